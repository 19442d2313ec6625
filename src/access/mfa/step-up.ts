/**
 * Assurance inside a session. A session proves a second factor at sign-in (assurance 'mfa',
 * `mfa_at`); a step-up proves one again later and moves `mfa_at` to now, so that detection can
 * demand a fresh factor before a risky disclosure (AUTH.STEP_UP_REQUIRED), and grants one change of
 * factors (`step_up_at`, factor-change.ts). A session that rises from 'password' to 'mfa' is
 * replaced by a new one (new token, bound to a renewed device token), never upgraded in place: a
 * token known before the factor was proven does not gain from it.
 */
import { markFactorProven, revokeSessionRow } from '../../storage/access/sessions-repo.js';
import type { RequestSource } from '../access-deps.js';
import { getAccount } from '../accounts.js';
import type { SessionGrant } from '../sessions.js';
import { createSession, hashToken } from '../sessions.js';
import type { DeviceGrant } from '../throttle-devices.js';
import { trustDevice } from '../throttle-devices.js';
import type { MfaDeps } from './mfa-deps.js';

/** What a session needs to say about its assurance. */
export interface SessionAssurance {
  readonly assurance: 'password' | 'mfa';
  readonly mfaAt?: number | null;
}

/** True when the session proved a second factor less than `freshnessMs` ago. */
export const isMfaFresh = (session: SessionAssurance, now: number, freshnessMs: number): boolean =>
  session.assurance === 'mfa' &&
  session.mfaAt !== null &&
  session.mfaAt !== undefined &&
  now - session.mfaAt < freshnessMs;

export interface Raised {
  /** The new session (and the renewed device token) when a 'password' session was replaced; null when it was 'mfa'. */
  readonly replaced: { readonly session: SessionGrant; readonly device: DeviceGrant } | null;
  readonly mfaAt: number;
}

/**
 * A factor was just proven inside this session (an enrolment, `stepUp: false`; a step-up, `stepUp:
 * true`, which also grants one change of factors): an 'mfa' session records it, a 'password' one is
 * replaced by a new 'mfa' session bound to a renewed trusted-device token, in one transaction.
 */
export async function raiseSession(
  deps: MfaDeps,
  current: { readonly token: string; readonly accountId: string; readonly assurance: 'password' | 'mfa' },
  source: RequestSource,
  stepUp: boolean,
): Promise<Raised> {
  const now = deps.clock.now();
  const idHash = hashToken(current.token);
  if (current.assurance === 'mfa') {
    await markFactorProven(deps.db, idHash, now, stepUp);
    return { replaced: null, mfaAt: now };
  }
  const account = await getAccount(deps.db, current.accountId);
  const replaced = await deps.db.transaction().execute(async (tx) => {
    const device = await trustDevice(tx, account.id, source.deviceToken, now);
    const session = await createSession(deps, account, source, 'mfa', { deviceHash: device.idHash, db: tx, stepUp });
    await revokeSessionRow(tx, idHash, now);
    return { session, device };
  });
  return { replaced, mfaAt: now };
}
