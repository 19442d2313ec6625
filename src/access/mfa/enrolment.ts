/**
 * Enrolling and changing second factors as use cases: each runs under changeFactors (a fresh
 * step-up grant unless it is the account's first factor; the change, its event and its alert in one
 * transaction). The first factor comes with ten recovery codes, in the same transaction (issue 9,
 * item 8: "offers no recovery codes"), shown once.
 */
import type { DbOrTx } from '../../storage/database.js';
import { checkFactorAttempts, recordFactorFailure } from './attempts.js';
import type { ChangeContext } from './factor-change.js';
import { changeFactors } from './factor-change.js';
import { countRecoveryCodesLeft, listFactors, methodsOf, removeFactor, requiresSecondFactor } from './factors.js';
import { factorNotFound, factorRejected, factorRequired, lastFactor } from './mfa-errors.js';
import type { MfaDeps } from './mfa-deps.js';
import { generateRecoveryCodes } from './recovery-codes.js';
import { confirmTotpEnrolment } from './totp-factor.js';
import type { RegistrationResponseJSON } from './webauthn.js';
import { registerCredential } from './webauthn.js';

export interface Enrolled {
  /** Ten new recovery codes when the account had none left (its first factor), else null. */
  readonly recoveryCodes: string[] | null;
}

async function codesIfNone(deps: MfaDeps, tx: DbOrTx, c: ChangeContext): Promise<string[] | null> {
  if ((await countRecoveryCodesLeft(tx, c.accountId)) > 0) return null;
  return generateRecoveryCodes(deps, c.accountId, c.source, tx);
}

/** Confirms a TOTP enrolment with its first code; MFA.INVALID (recorded, counted) for a wrong one. */
export async function confirmTotp(deps: MfaDeps, c: ChangeContext, code: string): Promise<Enrolled> {
  await checkFactorAttempts(deps, c.accountId);
  const enrolled = await changeFactors(deps, c, 'mfa.enrolled', async (tx) => {
    if (!(await confirmTotpEnrolment({ ...deps, db: tx }, c.accountId, code, c.source))) return null;
    return { recoveryCodes: await codesIfNone(deps, tx, c) };
  });
  if (enrolled !== null) return enrolled;
  await recordFactorFailure(deps, c.accountId, 'totp', c.source);
  throw factorRejected();
}

/** Verifies and stores a new passkey (MFA.REGISTRATION_REJECTED if the response is not valid). */
export async function registerPasskey(
  deps: MfaDeps,
  c: ChangeContext,
  registration: { readonly response: RegistrationResponseJSON; readonly label: string },
): Promise<Enrolled> {
  const enrolled = await changeFactors(deps, c, 'mfa.enrolled', async (tx) => {
    await registerCredential(
      { ...deps, db: tx },
      c.accountId,
      c.sessionHash,
      registration.response,
      registration.label,
      c.source,
    );
    return { recoveryCodes: await codesIfNone(deps, tx, c) };
  });
  return enrolled ?? { recoveryCodes: null };
}

/** A new set of ten recovery codes (the unused ones stop working); MFA.FACTOR_REQUIRED without a factor. */
export async function regenerateRecoveryCodes(deps: MfaDeps, c: ChangeContext): Promise<string[]> {
  if ((await methodsOf(deps.db, c.accountId)).length === 0) throw factorRequired();
  const codes = await changeFactors(deps, c, 'mfa.recovery_codes_generated', (tx) =>
    generateRecoveryCodes(deps, c.accountId, c.source, tx),
  );
  return codes ?? [];
}

/** Removes one of the account's factors (never a staff account's last: said before any step-up is asked). */
export async function deleteFactor(deps: MfaDeps, c: ChangeContext, factorId: string): Promise<void> {
  const { factors } = await listFactors(deps.db, c.accountId);
  if (!factors.some((f) => f.id === factorId)) throw factorNotFound();
  if (factors.length === 1 && requiresSecondFactor(c.role)) throw lastFactor();
  await changeFactors(deps, c, 'mfa.removed', async (tx) => {
    await removeFactor(deps, { id: c.accountId, role: c.role }, factorId, c.source, tx);
    return true;
  });
}
