/**
 * Sign-ins between their two steps (pending_sign_ins), real or decoy, and the sign-in codes an
 * adviser hands to a job seeker (assisted_sign_in_codes).
 */
import type { Selectable } from 'kysely';
import type { DbOrTx } from '../database.js';
import type { CodeChannelColumn, PendingSignInTable, PendingStepColumn } from '../schema.js';

export type PendingRow = Selectable<PendingSignInTable>;

export interface NewPending {
  readonly idHash: Buffer;
  readonly accountId: string | null;
  readonly step: PendingStepColumn;
  readonly decoy: boolean;
  readonly now: number;
  readonly expiresAt: number;
  readonly sourceIp: string | null;
}

/** Inserts a pending sign-in (and sweeps the expired ones: the same two statements for every sign-in). */
export async function insertPending(db: DbOrTx, p: NewPending): Promise<void> {
  await db.deleteFrom('pending_sign_ins').where('expires_at', '<=', p.now).execute();
  await db
    .insertInto('pending_sign_ins')
    .values({
      id_hash: p.idHash,
      account_id: p.accountId,
      step: p.step,
      decoy: p.decoy ? 1 : 0,
      created_at: p.now,
      expires_at: p.expiresAt,
      failures: 0,
      code_hash: null,
      code_channel: null,
      source_ip: p.sourceIp,
    })
    .execute();
}

export async function pendingByHash(db: DbOrTx, idHash: Buffer): Promise<PendingRow | undefined> {
  return db.selectFrom('pending_sign_ins').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

/** Counts a wrong answer; at `limit` the pending sign-in ends. */
export async function countPendingFailure(db: DbOrTx, idHash: Buffer, limit: number): Promise<void> {
  await db
    .updateTable('pending_sign_ins')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id_hash', '=', idHash)
    .execute();
  await db.deleteFrom('pending_sign_ins').where('id_hash', '=', idHash).where('failures', '>=', limit).execute();
}

/** Ends a pending sign-in; false if another request ended it first. */
export async function deletePending(db: DbOrTx, idHash: Buffer): Promise<boolean> {
  const result = await db.deleteFrom('pending_sign_ins').where('id_hash', '=', idHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function setPendingCode(
  db: DbOrTx,
  idHash: Buffer,
  codeHash: Buffer,
  channel: CodeChannelColumn,
): Promise<boolean> {
  const result = await db
    .updateTable('pending_sign_ins')
    .set({ code_hash: codeHash, code_channel: channel })
    .where('id_hash', '=', idHash)
    .where('decoy', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface NewAssistedCode {
  readonly id: string;
  readonly accountId: string;
  readonly codeHash: Buffer;
  readonly issuedBy: string;
  readonly now: number;
  readonly expiresAt: number;
}

/** Stores a new adviser-issued code; the job seeker's earlier unused ones stop working. */
export async function insertAssistedCode(db: DbOrTx, c: NewAssistedCode): Promise<void> {
  await db
    .updateTable('assisted_sign_in_codes')
    .set({ used_at: c.now })
    .where('account_id', '=', c.accountId)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('assisted_sign_in_codes')
    .values({
      id: c.id,
      account_id: c.accountId,
      code_hash: c.codeHash,
      issued_by: c.issuedBy,
      created_at: c.now,
      expires_at: c.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Uses the account's live code of this hash: true once (a conditional update, so a race cannot use it twice). */
export async function useAssistedCode(db: DbOrTx, accountId: string, codeHash: Buffer, now: number): Promise<boolean> {
  const result = await db
    .updateTable('assisted_sign_in_codes')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The job seeker account of a live person of this agency, or undefined. */
export async function jobSeekerAccountInAgency(
  db: DbOrTx,
  personId: string,
  agencyId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('people as p')
    .innerJoin('accounts as a', 'a.person_id', 'p.id')
    .select('a.id')
    .where('p.id', '=', personId)
    .where('p.agency_id', '=', agencyId)
    .where('p.erased_at', 'is', null)
    .where('a.role', '=', 'job_seeker')
    .executeTakeFirst();
}
