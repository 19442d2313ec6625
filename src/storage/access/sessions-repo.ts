/**
 * The sessions table: the per-request lookup (compiled once per database: the hot path skips
 * Kysely's builder and compiler), and the writes of sign-in, sign-out, binding and revocation.
 */
import type { CompiledQuery, Insertable } from 'kysely';
import { queryTemplate } from '../atomic.js';
import type { DbOrTx } from '../database.js';
import type { SessionTable } from '../schema.js';

const lookupQuery = (db: DbOrTx, idHash: Buffer) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      's.account_id',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      's.assurance',
      's.mfa_at',
      's.step_up_at',
      's.source_ip',
      's.user_agent',
      's.device_hash',
    ])
    .select([
      'a.role',
      'a.organisation_id',
      'a.person_id',
      'a.status',
      'a.created_at as account_created_at',
      'o.kind',
      'o.channel_suspended_at',
    ])
    .where('s.id_hash', '=', idHash);

export type SessionLookupRow = Awaited<ReturnType<ReturnType<typeof lookupQuery>['executeTakeFirstOrThrow']>>;
type LookupTemplate = (args: readonly [Buffer]) => CompiledQuery<SessionLookupRow>;

const templates = new WeakMap<DbOrTx, LookupTemplate>();

/** The session of this hash with its account and organisation (one indexed query). */
export async function lookupSession(db: DbOrTx, idHash: Buffer): Promise<SessionLookupRow | undefined> {
  let template = templates.get(db);
  if (!template) {
    template = queryTemplate<readonly [Buffer], SessionLookupRow>(1, ([p]) => lookupQuery(db, p as unknown as Buffer));
    templates.set(db, template);
  }
  return (await db.executeQuery(template([idHash]))).rows[0];
}

export async function insertSession(db: DbOrTx, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** Revokes one session if it is not already; true if this call revoked it. */
export async function revokeSessionRow(db: DbOrTx, idHash: Buffer, now: number): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function moveSession(db: DbOrTx, idHash: Buffer, sourceIp: string | null): Promise<void> {
  await db.updateTable('sessions').set({ source_ip: sourceIp }).where('id_hash', '=', idHash).execute();
}

export async function touchSession(db: DbOrTx, idHash: Buffer, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function sessionOwner(
  db: DbOrTx,
  idHash: Buffer,
): Promise<{ account_id: string; revoked_at: number | null } | undefined> {
  return db
    .selectFrom('sessions')
    .select(['account_id', 'revoked_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
}

/** The account's sessions not revoked nor past their lifetime, newest first (idle ones are filtered by the caller). */
export async function liveSessionsOf(db: DbOrTx, accountId: string, now: number) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select([
      's.id_hash',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.source_ip',
      's.user_agent',
      's.assurance',
      'a.role',
    ])
    .where('s.account_id', '=', accountId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .orderBy('s.created_at', 'desc')
    .execute();
}

export async function revokeSessionsOf(db: DbOrTx, accountId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteSessionsEndedBefore(db: DbOrTx, before: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A factor proven inside a session: `mfa_at` moves; a step-up also grants one change of factors. */
export async function markFactorProven(db: DbOrTx, idHash: Buffer, now: number, stepUp: boolean): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ mfa_at: now, ...(stepUp ? { step_up_at: now } : {}) })
    .where('id_hash', '=', idHash)
    .where('assurance', '=', 'mfa')
    .execute();
}

/** Takes the session's step-up grant if it was given after `since`; true once (conditional update). */
export async function takeStepUpGrant(db: DbOrTx, idHash: Buffer, since: number): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ step_up_at: null })
    .where('id_hash', '=', idHash)
    .where('step_up_at', '>=', since)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
