/**
 * Password sign-in's rows: the account's counter of failures from unknown devices, and the
 * trusted devices' own counters. Every function runs the same statements whether or not the
 * account exists (an unknown login updates no row with the same query), so that the work, and the
 * time it takes, does not tell a known login from an unknown one.
 */
import type { DbOrTx } from '../database.js';
import type { AccountTable } from '../schema.js';
import type { Selectable } from 'kysely';

export type AccountRow = Selectable<AccountTable>;

/** The id no account has: the unknown login's updates match no row. */
export const NO_ACCOUNT = '';

export async function accountByLoginIndex(db: DbOrTx, index: Buffer): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('login_index', '=', index).executeTakeFirst();
}

export interface PasswordOutcome {
  /** The password was wrong (or the account may not sign in): count it; else record the sign-in. */
  readonly failed: boolean;
  /** The attempt came from an unknown device: its failures count on the account, its success ends their count. */
  readonly unknownDevice: boolean;
  /** The failure that locks unknown devices out, and until when. */
  readonly limit: number;
  readonly lockUntil: number;
  readonly now: number;
  /** A new hash of the password (today's parameters), or null to keep the stored one. */
  readonly passwordHash: string | null;
}

/**
 * Records a password check on the account's row: one statement whatever the outcome, so that a
 * right and a wrong password, a known and an unknown login (no row matches), cost the same. From an
 * unknown device, the `limit`-th failure in a row locks unknown devices out until `lockUntil` and
 * starts the count again; a success ends the count and the lock. From a trusted device the row's
 * counters are left alone (the device counts its own). Returns the count and whether this locked.
 */
export async function recordPasswordOutcome(
  db: DbOrTx,
  accountId: string,
  o: PasswordOutcome,
): Promise<{ failures: number; locked: boolean }> {
  const counting = o.failed && o.unknownDevice;
  const clearing = !o.failed && o.unknownDevice;
  const row = await db
    .updateTable('accounts')
    .set((eb) => {
      // Flags as bound integers (SQLite binds no booleans): the statement's text is the same for every outcome.
      const flag = (on: boolean) => eb(eb.val(on ? 1 : 0), '=', eb.lit(1));
      const next = eb('failed_logins', '+', eb.val(counting ? 1 : 0));
      const reaches = eb.and([flag(counting), eb(next, '>=', eb.val(o.limit))]);
      return {
        failed_logins: eb.case().when(reaches).then(eb.val(0)).when(flag(clearing)).then(eb.val(0)).else(next).end(),
        locked_until: eb
          .case()
          .when(reaches)
          .then(eb.val<number | null>(o.lockUntil))
          .when(flag(clearing))
          .then(eb.val<number | null>(null))
          .else(eb.ref('locked_until'))
          .end(),
        last_login_at: eb.fn.coalesce(eb.val<number | null>(o.failed ? null : o.now), eb.ref('last_login_at')),
        password_hash: eb.fn.coalesce(eb.val<string | null>(o.passwordHash), eb.ref('password_hash')),
      };
    })
    .where('id', '=', accountId)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
  const locked = counting && row !== undefined && Number(row.failed_logins) === 0 && row.locked_until === o.lockUntil;
  return { failures: locked ? o.limit : Number(row?.failed_logins ?? 1), locked };
}

export interface TrustedDeviceRow {
  readonly idHash: Buffer;
  readonly accountId: string;
  readonly failures: number;
}

/** The live trusted device of this token hash for the account of this login index. */
export async function trustedDeviceOf(
  db: DbOrTx,
  idHash: Buffer,
  loginIndex: Buffer,
  now: number,
): Promise<TrustedDeviceRow | undefined> {
  const row = await db
    .selectFrom('trusted_devices as d')
    .innerJoin('accounts as a', 'a.id', 'd.account_id')
    .select(['d.account_id', 'd.failures'])
    .where('d.id_hash', '=', idHash)
    .where('a.login_index', '=', loginIndex)
    .where('d.expires_at', '>', now)
    .executeTakeFirst();
  return row && { idHash, accountId: row.account_id, failures: Number(row.failures) };
}

/** Counts a failure of a trusted device; at `limit` the device is forgotten (it is unknown again). */
export async function countTrustedDeviceFailure(db: DbOrTx, idHash: Buffer, limit: number): Promise<number> {
  const row = await db
    .updateTable('trusted_devices')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id_hash', '=', idHash)
    .returning('failures')
    .executeTakeFirst();
  const failures = Number(row?.failures ?? limit);
  if (failures >= limit) await db.deleteFrom('trusted_devices').where('id_hash', '=', idHash).execute();
  return failures;
}

export async function resetTrustedDeviceFailures(db: DbOrTx, idHash: Buffer): Promise<void> {
  await db.updateTable('trusted_devices').set({ failures: 0 }).where('id_hash', '=', idHash).execute();
}

/** Replaces this browser's previous device token (if any) by a new one. */
export async function replaceTrustedDevice(
  db: DbOrTx,
  previous: Buffer | null,
  next: { readonly idHash: Buffer; readonly accountId: string; readonly now: number; readonly expiresAt: number },
): Promise<void> {
  if (previous !== null) await db.deleteFrom('trusted_devices').where('id_hash', '=', previous).execute();
  await db
    .insertInto('trusted_devices')
    .values({ id_hash: next.idHash, account_id: next.accountId, created_at: next.now, expires_at: next.expiresAt })
    .execute();
}

export async function deleteTrustedDevicesOf(db: DbOrTx, accountId: string): Promise<void> {
  await db.deleteFrom('trusted_devices').where('account_id', '=', accountId).execute();
}
