import type SQLite from 'better-sqlite3';
import type { CompiledQuery, Kysely, SqliteDatabase } from 'kysely';
import type { Atomic, QueryRunner } from '../atomic.js';

/** At most this many units of work share one commit. */
const MAX_GROUP = 64;

interface Pending {
  work: (q: QueryRunner) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * SQLite's fast path, with group commit. A WAL commit costs far more than a point read and a log
 * insert; when several requests are in flight, they share one transaction, each in its own
 * savepoint (a failing unit rolls back alone), and every caller is answered only after the shared
 * COMMIT, so that a disclosure is never returned without its record on disk.
 * The whole batch runs under Kysely's connection lock, so no Kysely transaction interleaves; the
 * runner executes synchronously on cached prepared statements. `betweenGroups` runs outside any
 * transaction after each group (the adapter finishes a background checkpoint there).
 */
export function sqliteAtomic<DB>(db: Kysely<DB>, raw: SQLite.Database, statements: SqliteDatabase, betweenGroups: () => void = () => undefined): Atomic {
  const sql = (text: string) => raw.prepare(text);
  const [begin, commit, rollback] = [sql('BEGIN'), sql('COMMIT'), sql('ROLLBACK')];
  const [savepoint, release, rollbackTo] = [sql('SAVEPOINT unit'), sql('RELEASE unit'), sql('ROLLBACK TO unit')];
  const runner: QueryRunner = {
    rows: <R>(query: CompiledQuery<R>) => Promise.resolve(statements.prepare(query.sql).all(query.parameters) as R[]),
    run: (query) => {
      statements.prepare(query.sql).run(query.parameters);
      return Promise.resolve();
    },
  };
  const queue: Pending[] = [];
  let draining = false;

  const runUnit = async (unit: Pending): Promise<() => void> => {
    savepoint.run();
    try {
      const value = await unit.work(runner);
      release.run();
      return () => unit.resolve(value);
    } catch (error) {
      rollbackTo.run();
      release.run();
      return () => unit.reject(error);
    }
  };

  const runGroup = async (group: Pending[]): Promise<void> => {
    begin.run();
    const settle: Array<() => void> = [];
    try {
      for (const unit of group) settle.push(await runUnit(unit));
      commit.run();
    } catch (error) {
      if (raw.inTransaction) rollback.run();
      for (const unit of group) unit.reject(error);
      return;
    }
    for (const s of settle) s();
  };

  const drain = async (): Promise<void> => {
    draining = true;
    try {
      while (queue.length > 0) {
        // Kysely's connection lock is taken per group, not for the whole drain: the queries queued
        // meanwhile (a session lookup, a list) run between two groups instead of waiting for the
        // queue to empty, which under steady load it never does.
        await db.connection().execute(() => runGroup(queue.splice(0, MAX_GROUP)));
        betweenGroups();
        // Let the callers just answered come back with their next request, so that the next
        // group is full rather than a race of microtasks.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      draining = false;
      if (queue.length > 0) void drain();
    }
  };

  return <T>(work: (q: QueryRunner) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!draining) void drain();
    });
}
