/**
 * WebAuthn challenges live on the server: each is issued to one owner (the hash of a session or
 * pending sign-in token) for one purpose, expires after CHALLENGE_TTL_MS, and is taken (deleted)
 * by the first verification, right or wrong, so an assertion can never be replayed against it.
 */
import type { MfaDeps } from './mfa-deps.js';

export const CHALLENGE_TTL_MS = 5 * 60_000;
export type ChallengePurpose = 'register' | 'sign_in' | 'step_up';

export async function storeChallenge(
  deps: MfaDeps,
  owner: Buffer,
  purpose: ChallengePurpose,
  accountId: string,
  challenge: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.deleteFrom('webauthn_challenges').where('expires_at', '<=', now).execute();
  await deps.db
    .deleteFrom('webauthn_challenges')
    .where('owner_hash', '=', owner)
    .where('purpose', '=', purpose)
    .execute();
  await deps.db
    .insertInto('webauthn_challenges')
    .values({
      challenge,
      owner_hash: owner,
      purpose,
      account_id: accountId,
      created_at: now,
      expires_at: now + CHALLENGE_TTL_MS,
    })
    .execute();
}

/** The owner's live challenge for this purpose, consumed; null if there is none (or it expired). */
export async function takeChallenge(
  deps: MfaDeps,
  owner: Buffer,
  purpose: ChallengePurpose,
  accountId: string,
): Promise<string | null> {
  const row = await deps.db
    .selectFrom('webauthn_challenges')
    .select(['challenge', 'expires_at', 'account_id'])
    .where('owner_hash', '=', owner)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row) return null;
  const taken = await deps.db
    .deleteFrom('webauthn_challenges')
    .where('challenge', '=', row.challenge)
    .executeTakeFirst();
  const live = Number(taken.numDeletedRows) === 1 && row.expires_at > deps.clock.now() && row.account_id === accountId;
  return live ? row.challenge : null;
}
