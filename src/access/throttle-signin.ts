/**
 * Password checks behind the throttle: address/network threshold first (429 before any lookup or
 * argon2) unless the browser is a trusted device of the login, then `checkPassword` (counters where
 * the failures come from, uniform work) inside a bounded verification slot whose priority favours
 * trusted devices and clean sources. Every failure counts against the source's thresholds; every
 * attempt counts towards its rank.
 */
import type { TrustedDeviceRow } from '../storage/access/sign-in-repo.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { PasswordCheck } from './password-check.js';
import { checkPassword } from './password-check.js';
import { recordSecurityEvent } from './security-events.js';
import type { Crossing, SignInThrottle } from './throttle.js';
import { trustedDeviceFor } from './throttle-devices.js';

export interface ThrottledSignIn {
  readonly login: string;
  readonly password: string;
  /** Where from; its `deviceToken` is the browser's trusted-device cookie, if any. */
  readonly source: RequestSource;
}

export interface ThrottledCheck extends PasswordCheck {
  /** The browser's trusted device for this login, or null (an unknown device). */
  readonly device: TrustedDeviceRow | null;
}

async function recordCrossings(deps: AccessDeps, crossings: readonly Crossing[], source: RequestSource, now: number) {
  if (crossings.length === 0) return;
  await deps.db.transaction().execute(async (tx) => {
    for (const c of crossings) {
      const details = { scope: c.scope, network: c.scope === 'network' ? c.key : null, failures: c.failures };
      await recordSecurityEvent(tx, { at: now, kind: 'auth.throttled', accountId: null, sourceIp: source.ip, details });
    }
  });
}

/**
 * Checks a password, throttled. Throws AUTH.TOO_MANY_ATTEMPTS (429, Retry-After) for a source over
 * its threshold or shed under load; otherwise says whether the password was right (never throws for it).
 */
export async function throttledCheck(
  deps: AccessDeps,
  throttle: SignInThrottle,
  input: ThrottledSignIn,
): Promise<ThrottledCheck> {
  const now = deps.clock.now();
  const device = await trustedDeviceFor(deps, input.source.deviceToken, input.login, now);
  throttle.noteAttempt(input.source, now);
  if (device === null) throttle.admit(input.source, now);
  const priority = device !== null ? 0 : throttle.rankerFor(input.source, deps.clock);
  const check = await throttle.verify(priority, () =>
    checkPassword(deps, input.login, input.password, input.source, device),
  );
  if (!check.verified) await recordCrossings(deps, throttle.recordFailure(input.source, now), input.source, now);
  return { ...check, device };
}
