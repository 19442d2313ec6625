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
 * insert; when several requests are in flight, they share one transaction, each unit in its own
 * savepoint when it needs one (a failing unit rolls back alone), and every caller is answered only
 * after the shared COMMIT, so that a disclosure is never returned without its record on disk.
 * The whole batch runs under Kysely's connection lock, so no Kysely transaction interleaves; the
 * runner executes synchronously on cached prepared statements. `betweenGroups` runs outside any
 * transaction after each group (the adapter finishes a background checkpoint there).
 */
export function sqliteAtomic<DB>(
  db: Kysely<DB>,
  raw: SQLite.Database,
  statements: SqliteDatabase,
  betweenGroups: () => void = () => undefined,
): Atomic {
  const sql = (text: string) => raw.prepare(text);
  const [begin, commit, rollback] = [sql('BEGIN'), sql('COMMIT'), sql('ROLLBACK')];
  const [savepoint, release, rollbackTo] = [sql('SAVEPOINT unit'), sql('RELEASE unit'), sql('ROLLBACK TO unit')];
  const rows = <R>(query: CompiledQuery<R>) =>
    Promise.resolve(statements.prepare(query.sql).all(query.parameters) as R[]);
  const write = (query: CompiledQuery) => void statements.prepare(query.sql).run(query.parameters);
  const queue: Pending[] = [];
  let draining = false;

  // A unit's savepoint is taken before its first write, so that a unit failing after it rolls back
  // alone. A unit that only reads, then writes one last statement (the gate: select, then the
  // disclosure records), takes none: a failing statement undoes itself and nothing follows it.
  const runUnit = async (unit: Pending): Promise<() => void> => {
    let saved = false;
    const save = () => {
      if (!saved) savepoint.run();
      saved = true;
    };
    const last: CompiledQuery[] = [];
    const runner: QueryRunner = {
      rows,
      run: (query) => {
        save();
        write(query);
        return Promise.resolve();
      },
      runLast: (query) => void last.push(query),
    };
    try {
      const value = await unit.work(runner);
      if (last.length > 1) save();
      for (const query of last) write(query);
      if (saved) release.run();
      return () => unit.resolve(value);
    } catch (error) {
      if (saved) {
        rollbackTo.run();
        release.run();
      }
      return () => unit.reject(error);
    }
  };

  const runGroup = async (group: Pending[]): Promise<void> => {
    begin.run();
    const settle: Array<() => void> = [];
    try {
      for (const unit of group) {
        settle.push(await runUnit(unit));
        // An I/O error or a full disk may make SQLite roll the whole transaction back: the next
        // units would then autocommit one by one. Fail the group instead.
        if (!raw.inTransaction) throw new Error('SQLite rolled the group transaction back');
      }
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
