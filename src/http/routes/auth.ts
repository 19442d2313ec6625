/**
 * Sign-in, sign-out, and who I am. Sign-in is two steps for most accounts (access/sign-in.ts): the
 * password, through the throttle, then a second factor, an enrolment or a one-time code.
 */
import { z } from 'zod';
import { getAccount } from '../../access/accounts.js';
import { createMailer } from '../../access/mfa/mailer.js';
import { createTextSender } from '../../access/mfa/texter.js';
import { endSession } from '../../access/sessions.js';
import { signIn } from '../../access/sign-in.js';
import { authOf } from '../auth.js';
import { createBackground } from '../background.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.js';
import type { SignInServices } from './mfa-flow.js';
import { answerSignIn, contactReaderOf, meOf, signInDepsOf } from './mfa-flow.js';
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
  '`device_code` (demandeur d’emploi sur un nouvel appareil : un code à 6 chiffres part par courriel, ou par SMS vers le mobile du dossier ;',
  'sans l’un ni l’autre, le conseiller en donne un à 8 chiffres ; POST /api/auth/device-code).',
  'Pour un identifiant de demandeur d’emploi, depuis un appareil inconnu, la réponse est la même que le mot de passe soit juste ou faux :',
  'seule la seconde étape le dit.',
].join(' ');

/** The senders and background work of the sign-in routes, closed with the app. */
export function signInServices(app: Parameters<RouteModule>[0], deps: Parameters<RouteModule>[1]): SignInServices {
  const mailer = createMailer(deps.config.identity.mail);
  const texter = createTextSender(deps.config.identity.sms);
  const background = createBackground(app.log);
  app.addHook('onClose', async () => {
    await background.flush();
    mailer.close();
  });
  return { mailer, texter, background };
}

export const authRoutes: RouteModule = (app, deps) => {
  const tags = ['authentification'];
  const services = signInServices(app, deps);

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
      const input = { ...body, source: sourceOf(request), contact: contactReaderOf(deps, request) };
      return answerSignIn(deps, reply, await signIn(signInDepsOf(deps, services), input));
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
