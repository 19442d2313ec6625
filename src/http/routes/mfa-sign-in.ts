/**
 * The second step of a sign-in, opened by the pending cookie of POST /api/auth/login: a passkey,
 * a TOTP code or a recovery code (`next: 'mfa'`), or the one-time code of a job seeker on a new
 * device (`next: 'device_code'`, access/sign-in-complete.ts). Each wrong answer counts against the
 * pending sign-in (5) and the account (10 in 15 minutes, MFA.LOCKED).
 */
import type { FastifyRequest } from 'fastify';
import { resolvePendingSignIn } from '../../access/mfa/pending.js';
import { authenticationOptions } from '../../access/mfa/webauthn.js';
import { completeWithDeviceCode, completeWithFactor } from '../../access/sign-in-complete.js';
import { NO_ACCOUNT } from '../../storage/access/sign-in-repo.js';
import type { HttpDeps } from '../http-deps.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { PENDING_COOKIE, answerSignedIn, mfaDepsOf } from './mfa-flow.js';
import { AuthenticationCredential, Code, LoginResult, WebauthnOptions } from './mfa-schemas.js';

const pendingToken = (request: FastifyRequest): string | undefined => request.cookies[PENDING_COOKIE];

const DEVICE_CODE_SUMMARY =
  'Connexion depuis un nouvel appareil : code reçu par courriel ou SMS, ou donné par le conseiller';

export const mfaSignInRoutes: RouteModule = (app, deps) => {
  const tags = ['authentification'];
  const step = (url: string, summary: string) => ({
    method: 'POST' as const,
    url,
    summary,
    tags,
    auth: 'public' as const,
  });

  route(
    app,
    deps,
    { ...step('/api/auth/mfa/webauthn/options', 'Connexion : défi pour la clé d’accès'), response: WebauthnOptions },
    async ({ request }) => {
      const mfa = mfaDepsOf(deps);
      const pending = await resolvePendingSignIn(mfa, pendingToken(request), 'mfa');
      const accountId = pending.accountId ?? NO_ACCOUNT; // a decoy gets its account's options, as the real one would
      return { options: { ...(await authenticationOptions(mfa, accountId, pending.idHash, 'sign_in')) } };
    },
  );

  route(
    app,
    deps,
    {
      ...step('/api/auth/mfa/webauthn/verify', 'Connexion : preuve par clé d’accès'),
      body: AuthenticationCredential,
      response: LoginResult,
    },
    async ({ body, request, reply }) => factor(deps, request, reply, { method: 'webauthn', response: body }),
  );

  route(
    app,
    deps,
    {
      ...step('/api/auth/mfa/totp', 'Connexion : code de l’application d’authentification'),
      body: Code,
      response: LoginResult,
    },
    async ({ body, request, reply }) => factor(deps, request, reply, { method: 'totp', code: body.code }),
  );

  route(
    app,
    deps,
    {
      ...step('/api/auth/mfa/recovery', 'Connexion : code de secours (usage unique)'),
      body: Code,
      response: LoginResult,
    },
    async ({ body, request, reply }) => factor(deps, request, reply, { method: 'recovery', code: body.code }),
  );

  for (const [url, summary] of [
    ['/api/auth/device-code', DEVICE_CODE_SUMMARY],
    ['/api/auth/email-code', `${DEVICE_CODE_SUMMARY} (ancien nom de /api/auth/device-code)`],
  ] as const)
    route(app, deps, { ...step(url, summary), body: Code, response: LoginResult }, async ({ body, request, reply }) => {
      const signedIn = await completeWithDeviceCode(
        mfaDepsOf(deps),
        pendingToken(request),
        body.code,
        sourceOf(request),
      );
      return answerSignedIn(deps, reply, signedIn);
    });
};

async function factor(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: Parameters<typeof answerSignedIn>[1],
  proof: Parameters<typeof completeWithFactor>[2],
) {
  const signedIn = await completeWithFactor(mfaDepsOf(deps), pendingToken(request), proof, sourceOf(request));
  return answerSignedIn(deps, reply, signedIn);
}
