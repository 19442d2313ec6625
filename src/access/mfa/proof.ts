/**
 * Proving a second factor, the same way at sign-in and at step-up: the account's attempts are
 * bounded (attempts.ts), a wrong proof is recorded and answered MFA.INVALID whatever was wrong,
 * a right one is recorded with its method.
 */
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import type { SecurityEventKind } from '../security-events.js';
import { checkFactorAttempts, recordFactorFailure } from './attempts.js';
import { factorRejected } from './mfa-errors.js';
import type { MfaDeps } from './mfa-deps.js';
import { useRecoveryCode } from './recovery-codes.js';
import { verifyTotp } from './totp-factor.js';
import type { AuthenticationResponseJSON } from './webauthn.js';
import { verifyAssertion } from './webauthn.js';

export type FactorProof =
  | { readonly method: 'totp'; readonly code: string }
  | { readonly method: 'recovery'; readonly code: string }
  | { readonly method: 'webauthn'; readonly response: AuthenticationResponseJSON };

/** Where the proof is asked: at sign-in (owner = pending sign-in) or inside a session (step-up). */
export interface ProofContext {
  readonly accountId: string;
  readonly owner: Buffer;
  readonly purpose: 'sign_in' | 'step_up';
  readonly source: RequestSource;
}

function check(deps: MfaDeps, ctx: ProofContext, proof: FactorProof): Promise<boolean> {
  switch (proof.method) {
    case 'totp':
      return verifyTotp(deps, ctx.accountId, proof.code);
    case 'recovery':
      return useRecoveryCode(deps, ctx.accountId, proof.code);
    case 'webauthn':
      return verifyAssertion(deps, ctx.accountId, ctx.owner, ctx.purpose, proof.response);
  }
}

const successKind = (ctx: ProofContext, proof: FactorProof): SecurityEventKind =>
  proof.method === 'recovery' ? 'mfa.recovery_used' : ctx.purpose === 'step_up' ? 'mfa.step_up' : 'mfa.verified';

/** Throws MFA.LOCKED (too many recent failures) or MFA.INVALID; returns when the factor is proven. */
export async function proveFactor(deps: MfaDeps, ctx: ProofContext, proof: FactorProof): Promise<void> {
  await checkFactorAttempts(deps, ctx.accountId);
  if (!(await check(deps, ctx, proof))) {
    await recordFactorFailure(deps, ctx.accountId, proof.method, ctx.source);
    throw factorRejected();
  }
  const details = { method: proof.method, purpose: ctx.purpose };
  await recordSecurityEvent(deps.db, {
    at: deps.clock.now(),
    kind: successKind(ctx, proof),
    accountId: ctx.accountId,
    sourceIp: ctx.source.ip,
    details,
  });
}
