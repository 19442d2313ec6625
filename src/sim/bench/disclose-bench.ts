import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import type { Gate } from '../../disclosure/types.js';
import type { Reader } from '../../disclosure/reader.js';
import type { Store } from '../../storage/database.js';
import { queryTemplate } from '../../storage/atomic.js';
import { sql } from 'kysely';

/** One trainee's file as a training organisation reads it: the benchmark's unit of work. */
export interface TraineeRead {
  readonly reader: Reader;
  readonly personId: string;
}

export interface LoadShape {
  readonly durationMs: number;
  readonly concurrency: number;
}

/** Runs `op` from `concurrency` loops for `durationMs`; returns completed operations per second. */
export async function throughput(shape: LoadShape, op: (i: number) => Promise<unknown>): Promise<number> {
  let done = 0;
  const until = performance.now() + shape.durationMs;
  const started = performance.now();
  const loop = async () => {
    while (performance.now() < until) await op(done++);
  };
  await Promise.all(Array.from({ length: shape.concurrency }, loop));
  return done / ((performance.now() - started) / 1000);
}

/** Gated: the whole gate (policy, presenter, budget step, decrypt, record) per trainee file. */
export function gatedOp(gate: Gate, reads: readonly TraineeRead[]): (i: number) => Promise<unknown> {
  return (i) => {
    const r = reads[i % reads.length]!;
    return gate.discloseOne({
      reader: { ...r.reader, requestId: randomUUID() },
      purpose: 'training_followup',
      person: r.personId,
    });
  };
}

/**
 * Bare, as the issue defines it: the minimum the invariant needs without Vigie's logic, on
 * better-sqlite3 directly: a plain select of the same person row and a plain insert of a log row of
 * the same size, in one transaction per read.
 */
export function bareSqlite(file: string, sampleRecord: Record<string, unknown>, reads: readonly TraineeRead[]) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const select = db.prepare('SELECT * FROM people WHERE id = ?');
  const columns = Object.keys(sampleRecord);
  const insert = db.prepare(
    `INSERT INTO disclosures (${columns.join(',')}) VALUES (${columns.map(() => '?').join(',')})`,
  );
  const values = Object.values(sampleRecord);
  const read = db.transaction((id: string) => {
    select.get(id);
    insert.run(values);
  });
  return {
    op: (i: number) => {
      read(reads[i % reads.length]!.personId);
      return Promise.resolve();
    },
    close: () => db.close(),
  };
}

/** Bare on Vigie's own transaction primitive (group commit): isolates the cost of the gate's logic. */
export function bareGrouped(store: Store, sampleRecord: Record<string, unknown>, reads: readonly TraineeRead[]) {
  const select = queryTemplate<[string], unknown>(1, ([id]) =>
    store.db.selectFrom('people').selectAll().where('id', '=', id!),
  );
  const insert = store.db
    .insertInto('disclosures')
    .values(sampleRecord as never)
    .compile();
  return (i: number) =>
    store.atomic(async (q) => {
      await q.rows(select([reads[i % reads.length]!.personId]));
      q.runLast(insert);
    });
}

/**
 * Bare on PostgreSQL: the same plain select and insert, in a transaction each, through the store's
 * pool (Kysely only passes the SQL through).
 */
export function barePostgres(store: Store, sampleRecord: Record<string, unknown>, reads: readonly TraineeRead[]) {
  const columns = Object.keys(sampleRecord);
  const values = Object.values(sampleRecord);
  const insert = sql`INSERT INTO disclosures (${sql.join(columns.map((c) => sql.id(c)))}) VALUES (${sql.join(values)})`;
  return {
    op: (i: number) =>
      store.db.transaction().execute(async (trx) => {
        await sql`SELECT * FROM people WHERE id = ${reads[i % reads.length]!.personId}`.execute(trx);
        await insert.execute(trx);
      }),
    close: () => undefined,
  };
}
