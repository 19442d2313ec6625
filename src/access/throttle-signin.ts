/**
 * Password sign-in behind the throttle: address/network threshold first (429 before any lookup or
 * argon2), then `authenticate` (per-account lockout, uniform answers) inside a bounded verification
 * slot whose priority favours trusted devices and clean sources. Every wrong password (or unknown
 * login) counts against the source's thresholds; every attempt counts towards its rank.
 */
import { isAppError } from '../domain/errors.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Account } from './accounts.js';
import { authenticate } from './accounts.js';
import { recordSecurityEvent } from './security-events.js';
import type { Crossing, SignInThrottle } from './throttle.js';
import { isTrustedDevice, trustDevice } from './throttle-devices.js';

export interface ThrottledSignIn {
  readonly login: string;
  readonly password: string;
  readonly source: RequestSource;
  /** The browser's trusted-device token, if it sent one. */
  readonly deviceToken: string | undefined;
}

export interface SignedIn {
  readonly account: Account;
  /** A fresh trusted-device token for this browser (set it as a cookie). */
  readonly device: { readonly token: string; readonly expiresAt: number };
}

async function recordCrossings(
  deps: AccessDeps,
  crossings: readonly Crossing[],
  source: RequestSource,
  now: number,
): Promise<void> {
  for (const c of crossings) {
    const details = { scope: c.scope, network: c.scope === 'network' ? c.key : null, failures: c.failures };
    await recordSecurityEvent(deps.db, {
      at: now,
      kind: 'auth.throttled',
      accountId: null,
      sourceIp: source.ip,
      details,
    });
  }
}

/**
 * Signs in with a password, throttled. Throws AUTH.TOO_MANY_ATTEMPTS (429, Retry-After) for a source
 * over its threshold or shed under load, AUTH.INVALID_CREDENTIALS (401) for every other failure.
 */
export async function throttledAuthenticate(
  deps: AccessDeps,
  throttle: SignInThrottle,
  input: ThrottledSignIn,
): Promise<SignedIn> {
  const now = deps.clock.now();
  const trusted = await isTrustedDevice(deps, input.deviceToken, input.login, now);
  throttle.noteAttempt(input.source, now);
  if (!trusted) throttle.admit(input.source, now);
  const priority = trusted ? 0 : throttle.rankerFor(input.source, deps.clock);
  try {
    const account = await throttle.verify(priority, () =>
      authenticate(deps, input.login, input.password, input.source),
    );
    const device = await trustDevice(deps.db, account.id, input.deviceToken, now);
    return { account, device };
  } catch (e) {
    if (isAppError(e) && e.code === 'AUTH.INVALID_CREDENTIALS')
      await recordCrossings(deps, throttle.recordFailure(input.source, now), input.source, now);
    throw e;
  }
}
