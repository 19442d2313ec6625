/**
 * Enrolling second factors: passkeys (WebAuthn), a TOTP application (with its QR code), recovery
 * codes. Open to a staff session limited to enrolment (`next: 'enrol'` at sign-in), and to any
 * session adding a factor. An account that already has a factor must prove one by a step-up
 * inside this session first (POST /api/auth/step-up): each change takes that grant, is recorded and
 * alerted on (access/mfa/factor-change.ts). The first factor comes with ten recovery codes.
 * Proving a new factor raises a 'password' session to 'mfa' under a new token.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getAccount } from '../../access/accounts.js';
import { confirmTotp, regenerateRecoveryCodes, registerPasskey } from '../../access/mfa/enrolment.js';
import type { ChangeContext } from '../../access/mfa/factor-change.js';
import { raiseSession } from '../../access/mfa/step-up.js';
import { startTotpEnrolment } from '../../access/mfa/totp-factor.js';
import { qrSvg } from '../../access/mfa/totp-qr.js';
import { registrationOptions } from '../../access/mfa/webauthn.js';
import { hashToken } from '../../access/sessions.js';
import { authOf } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { answerRaised, mfaDepsOf } from './mfa-flow.js';
import { Code, RegistrationCredential, SessionView, WebauthnOptions } from './mfa-schemas.js';

const RecoveryCodeList = z
  .array(z.string())
  .meta({ description: 'Dix codes à usage unique, affichés une seule fois.' });
const Enrolled = z.object({
  session: SessionView,
  recoveryCodes: RecoveryCodeList.nullable().meta({
    description:
      'Avec le premier second facteur du compte : dix codes de secours, affichés une seule fois ; sinon null.',
  }),
});
const NewPasskey = z.object({ credential: RegistrationCredential, label: z.string().max(64).default('Clé d’accès') });
const TotpStart = z.object({
  uri: z.string().meta({ description: 'URI otpauth:// à scanner (QR code), affichée une seule fois.' }),
  secret: z.string().meta({ description: 'Le même secret en base32, pour une saisie manuelle.' }),
  qrSvg: z.string().meta({ description: 'Le QR code de l’URI, en SVG (dessiné par Vigie), affiché une seule fois.' }),
});
const RecoveryCodes = z.object({ codes: RecoveryCodeList });

/** The session asking for a change of factors, as the use cases see it. */
export function changeContextOf(request: FastifyRequest): ChangeContext {
  const { session, token } = authOf(request);
  return {
    accountId: session.accountId,
    role: session.role,
    organisationId: session.organisationId,
    sessionHash: hashToken(token),
    sessionRef: session.sessionRef,
    stepUpAt: session.stepUpAt,
    source: sourceOf(request),
  };
}

async function authenticatorName(deps: HttpDeps, accountId: string): Promise<string> {
  const account = await getAccount(deps.access.db, accountId);
  return account.email ?? 'Demandeur d’emploi'; // a job seeker's login is their identifier: not shown to third-party apps
}

/** After a factor was enrolled: the session raised (a proven factor), the codes if any. */
async function enrolled(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: Parameters<typeof answerRaised>[2],
  codes: string[] | null,
) {
  const { session, token } = authOf(request);
  const current = { token, accountId: session.accountId, assurance: session.assurance };
  const raised = await raiseSession(mfaDepsOf(deps), current, sourceOf(request), false);
  return { ...answerRaised(deps, request, reply, raised), recoveryCodes: codes };
}

export const mfaEnrolRoutes: RouteModule = (app, deps) => {
  const tags = ['second facteur'];
  const enrol = (url: string, summary: string) => ({
    method: 'POST' as const,
    url,
    summary,
    tags,
    auth: 'enrolment' as const,
  });

  route(
    app,
    deps,
    {
      ...enrol('/api/auth/enrol/webauthn/options', 'Enregistrer une clé d’accès : options'),
      response: WebauthnOptions,
    },
    async ({ request }) => {
      const { session, token } = authOf(request);
      const user = { accountId: session.accountId, name: await authenticatorName(deps, session.accountId) };
      return { options: { ...(await registrationOptions(mfaDepsOf(deps), user, hashToken(token))) } };
    },
  );

  route(
    app,
    deps,
    {
      ...enrol('/api/auth/enrol/webauthn/verify', 'Enregistrer une clé d’accès : vérification'),
      description: 'Un compte qui a déjà un second facteur doit d’abord le prouver (POST /api/auth/step-up).',
      body: NewPasskey,
      response: Enrolled,
      status: 201,
    },
    async ({ body, request, reply }) => {
      const registration = { response: body.credential, label: body.label };
      const { recoveryCodes } = await registerPasskey(mfaDepsOf(deps), changeContextOf(request), registration);
      return enrolled(deps, request, reply, recoveryCodes);
    },
  );

  route(
    app,
    deps,
    {
      ...enrol('/api/auth/enrol/totp', 'Enregistrer une application d’authentification (TOTP)'),
      response: TotpStart,
      status: 201,
    },
    async ({ request }) => {
      const { session } = authOf(request);
      const name = await authenticatorName(deps, session.accountId);
      const started = await startTotpEnrolment(mfaDepsOf(deps), session.accountId, name);
      return { ...started, qrSvg: qrSvg(started.uri, 'QR code à scanner avec votre application d’authentification') };
    },
  );

  route(
    app,
    deps,
    {
      ...enrol('/api/auth/enrol/totp/confirm', 'Confirmer l’application d’authentification par un premier code'),
      description: 'Un compte qui a déjà un second facteur doit d’abord le prouver (POST /api/auth/step-up).',
      body: Code,
      response: Enrolled,
    },
    async ({ body, request, reply }) => {
      const { recoveryCodes } = await confirmTotp(mfaDepsOf(deps), changeContextOf(request), body.code);
      return enrolled(deps, request, reply, recoveryCodes);
    },
  );

  route(
    app,
    deps,
    {
      ...enrol('/api/auth/enrol/recovery-codes', 'Générer mes codes de secours (les précédents sont annulés)'),
      description:
        'Demande une preuve récente d’un second facteur dans cette session (POST /api/auth/step-up), à chaque fois.',
      response: RecoveryCodes,
      status: 201,
    },
    async ({ request }) => ({ codes: await regenerateRecoveryCodes(mfaDepsOf(deps), changeContextOf(request)) }),
  );
};
