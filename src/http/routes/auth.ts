/**
 * Sign-in, sign-out, and who I am. Sign-in is two steps for most accounts (see mfa-flow.ts):
 * the password, through the throttle, then a second factor, an enrolment or an e-mailed code.
 */
import { z } from 'zod';
import { getAccount } from '../../access/accounts.js';
import { createMailer } from '../../access/mfa/mailer.js';
import { endSession } from '../../access/sessions.js';
import { isTrustedDevice } from '../../access/throttle-devices.js';
import { authOf } from '../auth.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.js';
import { DEVICE_COOKIE, signInWithPassword } from '../throttle.js';
import { afterPassword, meOf } from './mfa-flow.js';
import { LoginResult, Me } from './mfa-schemas.js';

const Credentials = z.object({
  login: z
    .string()
    .min(1)
    .max(320)
    .meta({ description: 'Adresse professionnelle (agents) ou identifiant France Travail (demandeurs d’emploi).' }),
  password: z.string().min(1).max(1024),
});

const LOGIN_DESCRIPTION = [
  'Vérifie le mot de passe, puis indique l’étape suivante (`next`) :',
  '`done` (connecté), `mfa` (prouver un second facteur), `enrol` (agent sans second facteur : session limitée à son enregistrement),',
  '`email_code` (demandeur d’emploi sur un nouvel appareil : code envoyé par courriel).',
].join(' ');

export const authRoutes: RouteModule = (app, deps) => {
  const tags = ['authentification'];
  const mailer = createMailer(deps.config.identity.mail);
  app.addHook('onClose', async () => mailer.close());

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/auth/login',
      summary: 'Se connecter',
      description: LOGIN_DESCRIPTION,
      tags,
      auth: 'public',
      body: Credentials,
      response: LoginResult,
    },
    async ({ body, request, reply }) => {
      const knownDevice = await isTrustedDevice(
        deps.access,
        request.cookies[DEVICE_COOKIE],
        body.login,
        deps.access.clock.now(),
      );
      const signedIn = await signInWithPassword(deps, request, body);
      return afterPassword(deps, request, reply, signedIn, knownDevice, mailer);
    },
  );

  route(
    app,
    deps,
    { method: 'POST', url: '/api/auth/logout', summary: 'Se déconnecter', tags, auth: 'enrolment' },
    async ({ request, reply }) => {
      await endSession(deps.access, authOf(request).token, sourceOf(request));
      void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps.config));
    },
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/auth/me',
      summary: 'Mon compte',
      description:
        'Pour un demandeur d’emploi, aucune donnée personnelle : son dossier passe par la porte de divulgation.',
      tags,
      auth: 'enrolment',
      response: Me,
    },
    async ({ request }) => {
      const { session } = authOf(request);
      const account = await getAccount(deps.ctx.store.db, session.accountId);
      return meOf(deps, account, {
        ref: session.sessionRef,
        assurance: session.assurance,
        expiresAt: session.expiresAt,
        mfaAt: session.mfaAt,
      });
    },
  );
};
