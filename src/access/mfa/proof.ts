/**
 * Proving a second factor, the same way at sign-in and at step-up: the account's attempts are
 * bounded (attempts.ts), a wrong proof is recorded and answered MFA.INVALID whatever was wrong,
 * a right one is recorded with its method.
 */
import type { DbOrTx } from '../../storage/database.js';
import type { RequestSource } from '../access-deps.js';
import { getAccount } from '../accounts.js';
import { severityFor } from '../security-alerts.js';
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

/**
 * Throws MFA.LOCKED (too many recent failures) or MFA.INVALID; returns when the factor is proven.
 * The proof's own writes (a TOTP step, a recovery code, a WebAuthn counter and challenge) and its
 * security event are one transaction; a sign-in with a recovery code is also alerted on (a thief who
 * got codes signs in with them from elsewhere: issue 9, item 9).
 */
export async function proveFactor(deps: MfaDeps, ctx: ProofContext, proof: FactorProof): Promise<void> {
  await checkFactorAttempts(deps, ctx.accountId);
  const now = deps.clock.now();
  const proven = await deps.db.transaction().execute(async (tx) => {
    if (!(await check({ ...deps, db: tx }, ctx, proof))) return false;
    const details = { method: proof.method, purpose: ctx.purpose };
    const kind = successKind(ctx, proof);
    await recordSecurityEvent(tx, { at: now, kind, accountId: ctx.accountId, sourceIp: ctx.source.ip, details });
    if (proof.method === 'recovery') await alertRecoveryUse(deps, tx, ctx, now);
    return true;
  });
  if (proven) return;
  await recordFactorFailure(deps, ctx.accountId, proof.method, ctx.source);
  throw factorRejected();
}

async function alertRecoveryUse(deps: MfaDeps, tx: DbOrTx, ctx: ProofContext, now: number): Promise<void> {
  const account = await getAccount(tx, ctx.accountId);
  await deps.alerts(tx, {
    at: now,
    severity: severityFor(account.role, 'medium', 'low'),
    rule: 'recovery_code_used',
    action: ctx.purpose === 'sign_in' ? 'recovery_sign_in' : 'recovery_step_up',
    accountId: account.id,
    organisationId: account.organisationId,
    sourceIp: ctx.source.ip,
    sessionRef: null,
    message: 'Un code de secours a servi de second facteur : vérifiez que le titulaire en est bien l’auteur.',
    details: { purpose: ctx.purpose },
  });
}
