/**
 * An adviser gives a job seeker a sign-in code (access/mfa/assisted-codes.ts): for a file with
 * neither e-mail nor mobile, or a code that never came. Recorded; the code alone opens nothing.
 */
import { z } from 'zod';
import { issueAssistedCode } from '../../access/mfa/assisted-codes.js';
import { Instant, Uuid, iso } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { mfaDepsOf } from './mfa-flow.js';

const NewCode = z.object({ personId: Uuid.meta({ description: 'Le demandeur d’emploi, de votre agence.' }) });
const IssuedCode = z.object({
  code: z.string().meta({ description: 'Huit chiffres, à remettre en main propre ; usage unique.' }),
  expiresAt: Instant,
});

const DESCRIPTION = [
  'Pour un demandeur d’emploi de votre agence qui ne peut pas recevoir de code de connexion (ni adresse électronique ni mobile dans son dossier, ou code jamais reçu).',
  'Vérifiez son identité en personne (pièce d’identité), jamais sur un appel entrant.',
  'Le code remplace seulement le code envoyé au nouvel appareil : son mot de passe reste nécessaire. Valable 24 heures, une fois ; enregistré dans le journal de sécurité.',
].join(' ');

export const assistedCodeRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/auth/assisted-codes',
      summary: 'Donner un code de connexion à un demandeur d’emploi',
      description: DESCRIPTION,
      tags: ['authentification'],
      auth: ['adviser'],
      body: NewCode,
      response: IssuedCode,
      status: 201,
    },
    async ({ body, request }, reader) => {
      const issued = await issueAssistedCode(mfaDepsOf(deps), reader, body.personId, sourceOf(request));
      return { code: issued.code, expiresAt: iso(issued.expiresAt) };
    },
  );
};
