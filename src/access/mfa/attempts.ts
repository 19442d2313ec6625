/**
 * Second-factor guessing is bounded per account, whatever the sign-in or session it comes through:
 * 10 wrong codes or assertions in 15 minutes stop the second step for the rest of the window
 * (MFA.LOCKED, 429). A right password resets the password counter, never this one. The count is
 * read from the security log (indexed by account and time), so it needs no state of its own.
 */
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import { factorLocked } from './mfa-errors.js';
import type { FactorMethod, MfaDeps } from './mfa-deps.js';

export const MFA_FAILURE_LIMIT = 10;
export const MFA_FAILURE_WINDOW_MS = 15 * 60_000;

async function recentFailures(deps: MfaDeps, accountId: string, since: number): Promise<number[]> {
  const rows = await deps.db
    .selectFrom('security_events')
    .select('at')
    .where('account_id', '=', accountId)
    .where('at', '>', since)
    .where('kind', '=', 'mfa.failed')
    .orderBy('at')
    .execute();
  return rows.map((r) => Number(r.at));
}

/** Throws MFA.LOCKED when the account has used up its second-factor attempts. */
export async function checkFactorAttempts(deps: MfaDeps, accountId: string): Promise<void> {
  const now = deps.clock.now();
  const failures = await recentFailures(deps, accountId, now - MFA_FAILURE_WINDOW_MS);
  if (failures.length < MFA_FAILURE_LIMIT) return;
  const oldest = failures[failures.length - MFA_FAILURE_LIMIT] ?? now;
  throw factorLocked(Math.max(1, Math.ceil((oldest + MFA_FAILURE_WINDOW_MS - now) / 1000)));
}

export async function recordFactorFailure(
  deps: MfaDeps,
  accountId: string,
  method: FactorMethod | 'device_code',
  source: RequestSource,
): Promise<void> {
  await recordSecurityEvent(deps.db, {
    at: deps.clock.now(),
    kind: 'mfa.failed',
    accountId,
    sourceIp: source.ip,
    details: { method },
  });
}
