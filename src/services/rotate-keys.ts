/**
 * Key rotation, second half: after `addMasterKeyVersion` made version n+1 current, every person's
 * data key is re-wrapped under it (rewrapDataKey: the DEK is unwrapped and wrapped again inside the
 * vault; sealed fields are not touched and nothing is decrypted here).
 *
 * Built to run while the service serves:
 * - batches of a few thousand rows, read outside any transaction, then written in one short
 *   transaction of updates only (SQLite's writer lock is held for milliseconds, never across a read);
 * - each update is guarded by the row's old version and old wrapped key, so a row erased or changed
 *   meanwhile is left alone (an erased person is never given a key back);
 * - resumable: rows already at the current version are skipped, so a rerun finishes the job;
 * - the running service's keyring provider re-reads the key file when it meets version n+1.
 * Rows whose key does not open (VAULT.* errors) are counted and skipped, never fatal.
 */
import type { CompiledQuery } from 'kysely';
import { isAppError } from '../domain/errors.js';
import { queryTemplate } from '../storage/atomic.js';
import type { Db } from '../storage/database.js';
import type { PersonTable } from '../storage/schema.js';
import { rewrapDataKey } from '../vault/data-key.js';
import type { KeyringSource } from '../vault/keyring.js';

export const DEFAULT_ROTATION_BATCH = 2_000;

export interface RotationDeps {
  readonly db: Db;
  /** A key source that knows the new current version and every version still in the table. */
  readonly keys: KeyringSource;
}

export interface RotationProgress {
  readonly done: number;
  readonly total: number;
}

export interface RotationOptions {
  readonly batchSize?: number;
  readonly onProgress?: (progress: RotationProgress) => void;
  /** Called after each committed batch (tests interleave reads, or interrupt, here). */
  readonly afterBatch?: (progress: RotationProgress) => Promise<void>;
}

export interface RotationReport {
  /** The version every data key is now wrapped under. */
  readonly version: number;
  readonly rewrapped: number;
  /** Rows already at that version when this run started (a resumed rotation). */
  readonly alreadyCurrent: number;
  /** Rows whose data key did not open: left as they were. */
  readonly failed: number;
  /** Rows changed or erased while the batch was prepared: left as they were. */
  readonly skipped: number;
}

type Pending = Pick<PersonTable, 'id' | 'key_version' | 'wrapped_key'>;
type Rewrapped = { id: string; from: number; old: Buffer; wrapped: Buffer; version: number };

function updateTemplate(db: Db): (args: readonly unknown[]) => CompiledQuery {
  return queryTemplate<readonly unknown[], unknown>(5, ([wrapped, version, id, from, old]) =>
    db
      .updateTable('people')
      .set({ wrapped_key: wrapped as unknown as Buffer, key_version: version as unknown as number })
      .where('id', '=', id as string)
      .where('key_version', '=', from as unknown as number)
      .where('wrapped_key', '=', old as unknown as Buffer),
  );
}

async function countPeople(db: Db, version: number, current: boolean): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('wrapped_key', 'is not', null)
    .where('key_version', current ? '=' : '<>', version)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const nextBatch = (db: Db, version: number, after: string, size: number): Promise<Pending[]> =>
  db
    .selectFrom('people')
    .select(['id', 'key_version', 'wrapped_key'])
    .where('id', '>', after)
    .where('wrapped_key', 'is not', null)
    .where('key_version', '<>', version)
    .orderBy('id')
    .limit(size)
    .execute();

function rewrapAll(keys: KeyringSource, rows: readonly Pending[]): { done: Rewrapped[]; failed: number } {
  const done: Rewrapped[] = [];
  let failed = 0;
  for (const row of rows) {
    if (row.wrapped_key === null) continue;
    try {
      const next = rewrapDataKey(keys, row.id, row.wrapped_key, row.key_version);
      done.push({
        id: row.id,
        from: row.key_version,
        old: row.wrapped_key,
        wrapped: next.wrapped,
        version: next.keyVersion,
      });
    } catch (e) {
      if (!isAppError(e) || !e.code.startsWith('VAULT.')) throw e;
      failed++;
    }
  }
  return { done, failed };
}

/** One short transaction of guarded updates; returns how many rows it changed. */
const writeBatch = (
  db: Db,
  update: (args: readonly unknown[]) => CompiledQuery,
  batch: readonly Rewrapped[],
): Promise<number> =>
  db.transaction().execute(async (tx) => {
    let changed = 0;
    for (const r of batch)
      changed += Number(
        (await tx.executeQuery(update([r.wrapped, r.version, r.id, r.from, r.old]))).numAffectedRows ?? 0,
      );
    return changed;
  });

/** Re-wraps every live person's data key under the current master key version, in batches. */
export async function rewrapDataKeys(deps: RotationDeps, options: RotationOptions = {}): Promise<RotationReport> {
  const version = deps.keys.keyring().current;
  const batchSize = options.batchSize ?? DEFAULT_ROTATION_BATCH;
  const update = updateTemplate(deps.db);
  const total = await countPeople(deps.db, version, false);
  const alreadyCurrent = await countPeople(deps.db, version, true);
  let [rewrapped, failed, skipped, done, after] = [0, 0, 0, 0, ''];
  for (
    let rows = await nextBatch(deps.db, version, after, batchSize);
    rows.length > 0;
    rows = await nextBatch(deps.db, version, after, batchSize)
  ) {
    const batch = rewrapAll(deps.keys, rows);
    const changed = await writeBatch(deps.db, update, batch.done);
    [rewrapped, failed, skipped] = [rewrapped + changed, failed + batch.failed, skipped + batch.done.length - changed];
    done += rows.length;
    after = rows[rows.length - 1]?.id ?? after;
    options.onProgress?.({ done, total });
    await options.afterBatch?.({ done, total });
  }
  return { version, rewrapped, alreadyCurrent, failed, skipped };
}
