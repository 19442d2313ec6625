/**
 * Trusted devices (OWASP "device cookies"): after a successful sign-in, the browser receives a
 * random token bound to the account (stored as SHA-256). Coming back with it, a sign-in of that
 * account skips the address and network throttle and gets the first verification slots: a
 * legitimate user behind an address an attacker is hammering (an agency's NAT, a mobile carrier)
 * still signs in. The per-account lockout still applies to everyone.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../storage/database.js';
import { loginIndex } from './accounts.js';
import type { AccessDeps } from './access-deps.js';

export const TRUSTED_DEVICE_LIFETIME_MS = 90 * 24 * 3_600_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string): Buffer =>
  createHash('sha256').update('vigie/device/v1\0').update(token, 'utf8').digest();

/** True when `token` is a live trusted device of the account whose login is `login`. */
export async function isTrustedDevice(
  deps: Pick<AccessDeps, 'db' | 'keys'>,
  token: string | undefined,
  login: string,
  now: number,
): Promise<boolean> {
  if (token === undefined || !TOKEN_PATTERN.test(token)) return false;
  const index = loginIndex(deps, login);
  if (index === null) return false;
  const row = await deps.db
    .selectFrom('trusted_devices as d')
    .innerJoin('accounts as a', 'a.id', 'd.account_id')
    .select('d.account_id')
    .where('d.id_hash', '=', hashOf(token))
    .where('a.login_index', '=', index)
    .where('d.expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/** Issues a trusted-device token for this account (the previous one of this browser, if any, is replaced). */
export async function trustDevice(
  db: DbOrTx,
  accountId: string,
  previous: string | undefined,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  if (previous !== undefined && TOKEN_PATTERN.test(previous))
    await db.deleteFrom('trusted_devices').where('id_hash', '=', hashOf(previous)).execute();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + TRUSTED_DEVICE_LIFETIME_MS;
  await db
    .insertInto('trusted_devices')
    .values({ id_hash: hashOf(token), account_id: accountId, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** Forgets every trusted device of an account (password reset, containment). */
export async function forgetDevices(db: DbOrTx, accountId: string): Promise<void> {
  await db.deleteFrom('trusted_devices').where('account_id', '=', accountId).execute();
}
