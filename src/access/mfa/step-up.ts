/**
 * Assurance inside a session. A session proves a second factor at sign-in (assurance 'mfa',
 * `mfa_at`); a step-up proves one again later and moves `mfa_at` to now, so that detection can
 * demand a fresh factor before a risky disclosure (AUTH.STEP_UP_REQUIRED). A session that rises
 * from 'password' to 'mfa' is replaced by a new one (new token), never upgraded in place: a token
 * known before the factor was proven does not gain from it.
 */
import type { RequestSource } from '../access-deps.js';
import { getAccount } from '../accounts.js';
import type { SessionGrant } from '../sessions.js';
import { createSession, hashToken } from '../sessions.js';
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

/** Records a factor just proven by an MFA session (step-up). */
export async function refreshMfa(deps: MfaDeps, token: string): Promise<void> {
  await deps.db
    .updateTable('sessions')
    .set({ mfa_at: deps.clock.now() })
    .where('id_hash', '=', hashToken(token))
    .where('assurance', '=', 'mfa')
    .execute();
}

/** Replaces a 'password' session by a new 'mfa' session of the same account (the old token stops working). */
export async function replaceWithMfaSession(
  deps: MfaDeps,
  token: string,
  accountId: string,
  source: RequestSource,
): Promise<SessionGrant> {
  const account = await getAccount(deps.db, accountId);
  const grant = await createSession(deps, account, source, 'mfa');
  await deps.db
    .updateTable('sessions')
    .set({ revoked_at: deps.clock.now() })
    .where('id_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .execute();
  return grant;
}
