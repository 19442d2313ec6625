/** Print files of letters: a batch is claimed with its notices in one transaction, completed in another. */
import type { DbOrTx } from './database.js';

export interface BatchRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly number: number;
  readonly file: string;
  readonly complete: boolean;
  readonly letters: number;
  readonly pages: number;
  readonly sha256: string | null;
}

const fileOf = (number: number): string => `lot-${String(number).padStart(5, '0')}.pdf`;

/** A new batch of up to `limit` pending letters (null if none is pending). Call in a transaction. */
export async function claimBatch(
  tx: DbOrTx,
  incidentId: string,
  id: string,
  limit: number,
  now: number,
): Promise<BatchRecord | null> {
  const ids = (
    await tx
      .selectFrom('notices')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('channel', '=', 'letter')
      .where('status', '=', 'pending')
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return null;
  const last = await tx
    .selectFrom('notice_batches')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  const batch = {
    id,
    incidentId,
    number,
    file: fileOf(number),
    complete: false,
    letters: ids.length,
    pages: 0,
    sha256: null,
  };
  await tx
    .insertInto('notice_batches')
    .values({
      id,
      incident_id: incidentId,
      number,
      status: 'writing',
      letters: ids.length,
      pages: 0,
      file: batch.file,
      sha256: null,
      created_at: now,
      completed_at: null,
    })
    .execute();
  await tx
    .updateTable('notices')
    .set({ status: 'batched', batch_id: id, updated_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
  return batch;
}

/** Batches a run that died left half-written: written again, whole, before any new one. */
export async function unfinishedBatches(db: DbOrTx, incidentId: string): Promise<BatchRecord[]> {
  const rows = await db
    .selectFrom('notice_batches')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'writing')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    number: Number(r.number),
    file: r.file,
    complete: false,
    letters: Number(r.letters),
    pages: Number(r.pages),
    sha256: r.sha256,
  }));
}

export async function batchNoticeIds(db: DbOrTx, batchId: string): Promise<string[]> {
  const rows = await db.selectFrom('notices').select('id').where('batch_id', '=', batchId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The file is complete on disk: the batch and its letters are done, in one transaction. */
export async function completeBatch(
  tx: DbOrTx,
  batchId: string,
  done: { pages: number; sha256: string; printed: readonly string[]; undeliverable: readonly string[] },
  now: number,
): Promise<void> {
  await tx
    .updateTable('notice_batches')
    .set({
      status: 'complete',
      pages: done.pages,
      letters: done.printed.length,
      sha256: done.sha256,
      completed_at: now,
    })
    .where('id', '=', batchId)
    .execute();
  if (done.printed.length > 0)
    await tx
      .updateTable('notices')
      .set({ status: 'printed', sent_at: now, updated_at: now })
      .where('id', 'in', [...done.printed])
      .execute();
  if (done.undeliverable.length > 0)
    await tx
      .updateTable('notices')
      .set({ status: 'undeliverable', batch_id: null, updated_at: now })
      .where('id', 'in', [...done.undeliverable])
      .execute();
}

export async function completeBatches(db: DbOrTx, incidentId: string): Promise<BatchRecord[]> {
  const rows = await db
    .selectFrom('notice_batches')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'complete')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    number: Number(r.number),
    file: r.file,
    complete: true,
    letters: Number(r.letters),
    pages: Number(r.pages),
    sha256: r.sha256,
  }));
}
