/**
 * Trusted devices (OWASP "device cookies"): when a sign-in succeeds whole, the browser receives a
 * random token bound to the account (stored as SHA-256), renewed at each sign-in. Coming back with
 * it, a sign-in of that account skips the address and network throttle, gets the first verification
 * slots, is not subject to the lock of unknown devices, and (job seekers) needs no one-time code.
 * Its own failed passwords are counted: the tenth in a row forgets it (password-check.ts). Sessions
 * are bound to the device token they were opened with (sessions.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../storage/database.js';
import type { TrustedDeviceRow } from '../storage/access/sign-in-repo.js';
import { deleteTrustedDevicesOf, replaceTrustedDevice, trustedDeviceOf } from '../storage/access/sign-in-repo.js';
import { loginIndex } from './accounts.js';
import type { AccessDeps } from './access-deps.js';

export const TRUSTED_DEVICE_LIFETIME_MS = 90 * 24 * 3_600_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** SHA-256 of a well-formed device token, or null for a missing or malformed one. */
export const deviceHashOf = (token: string | null | undefined): Buffer | null =>
  typeof token === 'string' && TOKEN_PATTERN.test(token)
    ? createHash('sha256').update('vigie/device/v1\0').update(token, 'utf8').digest()
    : null;

/** The live trusted device of this token for the account whose login is `login`, or null. */
export async function trustedDeviceFor(
  deps: Pick<AccessDeps, 'db' | 'keys'>,
  token: string | undefined,
  login: string,
  now: number,
): Promise<TrustedDeviceRow | null> {
  const idHash = deviceHashOf(token);
  const index = loginIndex(deps, login);
  if (idHash === null || index === null) return null;
  return (await trustedDeviceOf(deps.db, idHash, index, now)) ?? null;
}

/** True when `token` is a live trusted device of the account whose login is `login`. */
export const isTrustedDevice = async (
  deps: Pick<AccessDeps, 'db' | 'keys'>,
  token: string | undefined,
  login: string,
  now: number,
): Promise<boolean> => (await trustedDeviceFor(deps, token, login, now)) !== null;

export interface DeviceGrant {
  readonly token: string;
  readonly idHash: Buffer;
  readonly expiresAt: number;
}

/** Issues a trusted-device token for this account (the previous one of this browser, if any, is replaced). */
export async function trustDevice(
  db: DbOrTx,
  accountId: string,
  previous: string | undefined,
  now: number,
): Promise<DeviceGrant> {
  const token = randomBytes(32).toString('base64url');
  const idHash = deviceHashOf(token) as Buffer;
  const expiresAt = now + TRUSTED_DEVICE_LIFETIME_MS;
  await replaceTrustedDevice(db, deviceHashOf(previous), { idHash, accountId, now, expiresAt });
  return { token, idHash, expiresAt };
}

/** Forgets every trusted device of an account (password reset, containment). */
export const forgetDevices = (db: DbOrTx, accountId: string): Promise<void> => deleteTrustedDevicesOf(db, accountId);
