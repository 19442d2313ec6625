/**
 * The second step of a sign-in, opened by the pending cookie of POST /api/auth/login: a passkey,
 * a TOTP code or a recovery code (`next: 'mfa'`), or the code e-mailed to a job seeker on a new
 * device (`next: 'email_code'`). Each wrong answer counts against the pending sign-in (5) and the
 * account (10 in 15 minutes, MFA.LOCKED).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkFactorAttempts, recordFactorFailure } from '../../access/mfa/attempts.js';
import { emailCodeMatches } from '../../access/mfa/email-code.js';
import { factorRejected } from '../../access/mfa/mfa-errors.js';
import type { PendingSignIn } from '../../access/mfa/pending.js';
import { failPendingSignIn, resolvePendingSignIn } from '../../access/mfa/pending.js';
import type { FactorProof } from '../../access/mfa/proof.js';
import { proveFactor } from '../../access/mfa/proof.js';
import { authenticationOptions } from '../../access/mfa/webauthn.js';
import { isAppError } from '../../domain/errors.js';
import type { HttpDeps } from '../http-deps.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { PENDING_COOKIE, completeSignIn, mfaDepsOf } from './mfa-flow.js';
import { AuthenticationCredential, Code, LoginResult, WebauthnOptions } from './mfa-schemas.js';

const pendingOf = (deps: HttpDeps, request: FastifyRequest, step: PendingSignIn['step']) =>
  resolvePendingSignIn(mfaDepsOf(deps), request.cookies[PENDING_COOKIE], step);

async function proveAndComplete(deps: HttpDeps, request: FastifyRequest, reply: FastifyReply, proof: FactorProof) {
  const mfa = mfaDepsOf(deps);
  const pending = await pendingOf(deps, request, 'mfa');
  try {
    await proveFactor(
      mfa,
      { accountId: pending.accountId, owner: pending.idHash, purpose: 'sign_in', source: sourceOf(request) },
      proof,
    );
  } catch (e) {
    if (isAppError(e) && e.code === 'MFA.INVALID') await failPendingSignIn(mfa, pending);
    throw e;
  }
  return completeSignIn(deps, request, reply, pending, 'mfa');
}

async function checkEmailCode(deps: HttpDeps, request: FastifyRequest, reply: FastifyReply, code: string) {
  const mfa = mfaDepsOf(deps);
  const pending = await pendingOf(deps, request, 'email_code');
  await checkFactorAttempts(mfa, pending.accountId);
  if (!emailCodeMatches(mfa, pending, code)) {
    await failPendingSignIn(mfa, pending);
    await recordFactorFailure(mfa, pending.accountId, 'email', sourceOf(request));
    throw factorRejected();
  }
  return completeSignIn(deps, request, reply, pending, 'password');
}

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
      const pending = await pendingOf(deps, request, 'mfa');
      return {
        options: { ...(await authenticationOptions(mfaDepsOf(deps), pending.accountId, pending.idHash, 'sign_in')) },
      };
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
    async ({ body, request, reply }) => proveAndComplete(deps, request, reply, { method: 'webauthn', response: body }),
  );

  route(
    app,
    deps,
    {
      ...step('/api/auth/mfa/totp', 'Connexion : code de l’application d’authentification'),
      body: Code,
      response: LoginResult,
    },
    async ({ body, request, reply }) => proveAndComplete(deps, request, reply, { method: 'totp', code: body.code }),
  );

  route(
    app,
    deps,
    {
      ...step('/api/auth/mfa/recovery', 'Connexion : code de secours (usage unique)'),
      body: Code,
      response: LoginResult,
    },
    async ({ body, request, reply }) => proveAndComplete(deps, request, reply, { method: 'recovery', code: body.code }),
  );

  route(
    app,
    deps,
    {
      ...step('/api/auth/email-code', 'Connexion depuis un nouvel appareil : code reçu par courriel'),
      body: Code,
      response: LoginResult,
    },
    async ({ body, request, reply }) => checkEmailCode(deps, request, reply, body.code),
  );
};
