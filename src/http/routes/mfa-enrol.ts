/**
 * Enrolling second factors: passkeys (WebAuthn), a TOTP application, recovery codes. Open to a
 * staff session limited to enrolment (`next: 'enrol'` at sign-in), and to any session adding a
 * factor. An account that already has a factor must have proven one recently (step-up) to add
 * another: a stolen session alone cannot plant the thief's passkey. Proving a new factor raises
 * a 'password' session to 'mfa' under a new token.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getAccount } from '../../access/accounts.js';
import { checkFactorAttempts, recordFactorFailure } from '../../access/mfa/attempts.js';
import { methodsOf } from '../../access/mfa/factors.js';
import { factorRejected, factorRequired, stepUpRequired } from '../../access/mfa/mfa-errors.js';
import { generateRecoveryCodes } from '../../access/mfa/recovery-codes.js';
import { isMfaFresh } from '../../access/mfa/step-up.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../access/mfa/totp-factor.js';
import { registerCredential, registrationOptions } from '../../access/mfa/webauthn.js';
import { hashToken } from '../../access/sessions.js';
import { authOf } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { mfaDepsOf, raiseSession } from './mfa-flow.js';
import { Code, RegistrationCredential, SessionView, WebauthnOptions } from './mfa-schemas.js';

const Enrolled = z.object({ session: SessionView });
const NewPasskey = z.object({ credential: RegistrationCredential, label: z.string().max(64).default('Clé d’accès') });
const TotpStart = z.object({
  uri: z.string().meta({ description: 'URI otpauth:// à scanner (QR code), affichée une seule fois.' }),
  secret: z.string().meta({ description: 'Le même secret en base32, pour une saisie manuelle.' }),
});
const RecoveryCodes = z.object({
  codes: z.array(z.string()).meta({ description: 'Dix codes à usage unique, affichés une seule fois.' }),
});

/** Adding a factor to an account that has one demands a fresh proof of it. */
async function guardFactorChange(deps: HttpDeps, request: FastifyRequest): Promise<void> {
  const { session } = authOf(request);
  const hasFactor = (await methodsOf(deps.access.db, session.accountId)).length > 0;
  if (hasFactor && !isMfaFresh(session, deps.access.clock.now(), deps.config.mfa.stepUpFreshnessMs))
    throw stepUpRequired();
}

async function authenticatorName(deps: HttpDeps, accountId: string): Promise<string> {
  const account = await getAccount(deps.access.db, accountId);
  return account.email ?? 'Demandeur d’emploi'; // a job seeker's login is their identifier: not shown to third-party apps
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
      await guardFactorChange(deps, request);
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
      body: NewPasskey,
      response: Enrolled,
      status: 201,
    },
    async ({ body, request, reply }) => {
      await guardFactorChange(deps, request);
      const { session, token } = authOf(request);
      await registerCredential(
        mfaDepsOf(deps),
        session.accountId,
        hashToken(token),
        body.credential,
        body.label,
        sourceOf(request),
      );
      return raiseSession(deps, request, reply);
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
      await guardFactorChange(deps, request);
      const { session } = authOf(request);
      return startTotpEnrolment(mfaDepsOf(deps), session.accountId, await authenticatorName(deps, session.accountId));
    },
  );

  route(
    app,
    deps,
    {
      ...enrol('/api/auth/enrol/totp/confirm', 'Confirmer l’application d’authentification par un premier code'),
      body: Code,
      response: Enrolled,
    },
    async ({ body, request, reply }) => {
      await guardFactorChange(deps, request);
      const { session } = authOf(request);
      const mfa = mfaDepsOf(deps);
      await checkFactorAttempts(mfa, session.accountId);
      if (!(await confirmTotpEnrolment(mfa, session.accountId, body.code, sourceOf(request)))) {
        await recordFactorFailure(mfa, session.accountId, 'totp', sourceOf(request));
        throw factorRejected();
      }
      return raiseSession(deps, request, reply);
    },
  );

  route(
    app,
    deps,
    {
      ...enrol('/api/auth/enrol/recovery-codes', 'Générer mes codes de secours (les précédents sont annulés)'),
      response: RecoveryCodes,
      status: 201,
    },
    async ({ request }) => {
      const { session } = authOf(request);
      if ((await methodsOf(deps.access.db, session.accountId)).length === 0) throw factorRequired();
      if (!isMfaFresh(session, deps.access.clock.now(), deps.config.mfa.stepUpFreshnessMs)) throw stepUpRequired();
      return { codes: await generateRecoveryCodes(mfaDepsOf(deps), session.accountId, sourceOf(request)) };
    },
  );
};
