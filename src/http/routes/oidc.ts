/**
 * Sign-in through the partners' OpenID provider (ProConnect-like). Both routes are browser
 * navigations, answered with redirects:
 *   GET /api/auth/oidc/start     → the provider's authorisation endpoint (state, nonce, PKCE), and a
 *                                  short-lived SameSite=Lax cookie binding the sign-in to this browser;
 *   GET /api/auth/oidc/callback  → back to the application: signed in with assurance 'mfa' when the
 *                                  provider asserted a second factor, else Vigie's own second step
 *                                  (pending second factor, or enrolment), exactly as after a password.
 * Linking an identity to an account: POST /api/accounts/:id/federated-identities (account managers).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AccessDeps } from '../../access/access-deps.js';
import type { OidcDeps } from '../../access/oidc.js';
import { finishOidcLogin, startOidcLogin } from '../../access/oidc.js';
import { linkFederatedIdentity } from '../../access/oidc-identities.js';
import { ProviderDirectory } from '../../access/oidc-metadata.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { Instant, Uuid, iso } from '../common-schemas.js';
import type { HttpDeps } from '../http-deps.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { afterVerified, openSession } from '../../access/sign-in.js';
import type { SignInServices } from './mfa-flow.js';
import { answerSignIn, contactReaderOf, signInDepsOf } from './mfa-flow.js';
import { signInServices } from './auth.js';

export const OIDC_COOKIE = 'vigie_oidc';
const OIDC_COOKIE_PATH = '/api/auth/oidc';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

const directories = new WeakMap<AccessDeps, ProviderDirectory>();

const notConfigured = (): AppError =>
  new AppError(
    'AUTH.OIDC_NOT_CONFIGURED',
    'not_found',
    'La connexion par fournisseur d’identité n’est pas proposée ici.',
  );

/** The relying party of this app (provider metadata and keys cached per app), or AUTH.OIDC_NOT_CONFIGURED. */
export function oidcDepsOf(deps: HttpDeps): OidcDeps {
  const oidc = deps.config.identity.oidc;
  if (oidc === null) throw notConfigured();
  let directory = directories.get(deps.access);
  if (!directory) {
    directory = new ProviderDirectory(oidc.issuer);
    directories.set(deps.access, directory);
  }
  return {
    ...deps.access,
    directory,
    client: { ...oidc, redirectUri: `${deps.config.identity.publicUrl}${OIDC_CALLBACK_PATH}` },
  };
}

const CallbackQuery = z.object({
  code: z.string().min(1).max(2048),
  state: z.string().min(1).max(256),
  iss: z.string().max(2048).optional(),
});

const appUrl = (deps: HttpDeps, params: Record<string, string>): string =>
  `${deps.config.identity.publicUrl}/connexion?${new URLSearchParams(params).toString()}`;

async function start(deps: HttpDeps, reply: FastifyReply): Promise<FastifyReply> {
  const started = await startOidcLogin(oidcDepsOf(deps));
  const cookie = {
    httpOnly: true,
    secure: deps.config.http.cookieSecure,
    sameSite: 'lax' as const,
    path: OIDC_COOKIE_PATH,
    expires: new Date(started.expiresAt),
  };
  return reply.setCookie(OIDC_COOKIE, started.binding, cookie).redirect(started.location, 302);
}

/** After the provider: an 'mfa' session if it asserted a second factor, else the same second step as after a password. */
async function callback(
  deps: HttpDeps,
  services: SignInServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  void reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
  const query = CallbackQuery.safeParse(request.query);
  if (!query.success) return reply.redirect(appUrl(deps, { erreur: 'AUTH.OIDC_STATE_INVALID' }), 302);
  try {
    const input = {
      code: query.data.code,
      state: query.data.state,
      iss: query.data.iss,
      binding: request.cookies[OIDC_COOKIE],
    };
    const { account, identity } = await finishOidcLogin(oidcDepsOf(deps), input, sourceOf(request));
    const source = sourceOf(request);
    const result = identity.multiFactor
      ? ({
          next: 'done',
          account,
          ...(await openSession(deps.access, account, source, { assurance: 'mfa', trust: true })),
        } as const)
      : await afterVerified(signInDepsOf(deps, services), account, false, {
          source,
          contact: contactReaderOf(deps, request),
        });
    const answer = await answerSignIn(deps, reply, result);
    return reply.redirect(appUrl(deps, { etape: answer.next }), 302);
  } catch (e) {
    if (!isAppError(e) || e.kind === 'internal') throw e;
    return reply.redirect(appUrl(deps, { erreur: e.code }), 302);
  }
}

const NewLink = z.object({
  issuer: z.url().max(2048).meta({ description: 'L’émetteur (iss) du fournisseur d’identité.' }),
  subject: z.string().min(1).max(255).meta({ description: 'L’identifiant (sub) de la personne chez ce fournisseur.' }),
});
const LinkView = z.object({
  link: z.object({
    issuer: z.string(),
    subject: z.string(),
    accountId: z.string(),
    createdBy: z.string(),
    createdAt: Instant,
  }),
});

export const oidcRoutes: RouteModule = (app, deps) => {
  const services = signInServices(app, deps);
  const tags = ['authentification'];
  app.get(
    '/api/auth/oidc/start',
    { schema: { summary: 'Se connecter avec le fournisseur d’identité (redirection)', tags } },
    async (_request, reply) => start(deps, reply),
  );
  app.get(
    OIDC_CALLBACK_PATH,
    { schema: { summary: 'Retour du fournisseur d’identité (redirection vers l’application)', tags } },
    async (request, reply) => callback(deps, services, request, reply),
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/accounts/:id/federated-identities',
      summary: 'Relier une identité du fournisseur d’identité à un compte',
      description: 'Le compte repasse en période probatoire jusqu’à l’approbation d’une seconde personne.',
      tags: ['comptes'],
      auth: ['account_manager', 'security_officer'],
      params: z.object({ id: Uuid }),
      body: NewLink,
      response: LinkView,
      status: 201,
    },
    async ({ params, body, request }, reader) => {
      const link = await linkFederatedIdentity(
        deps.access,
        reader,
        params.id,
        body.issuer.replace(/\/$/, ''),
        body.subject,
        sourceOf(request),
      );
      return { link: { ...link, createdAt: iso(link.createdAt) } };
    },
  );
};
