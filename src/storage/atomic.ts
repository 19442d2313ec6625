import type { CompiledQuery, Kysely } from 'kysely';

/**
 * Runs precompiled queries inside one transaction. The disclosure gate uses it for its hot path:
 * queries are written once with Kysely and compiled once per shape (see `queryTemplate`), and each
 * dialect adapter executes them the fastest way it can (SQLite: synchronously, on cached prepared
 * statements, under Kysely's own connection lock; PostgreSQL: a Kysely transaction).
 */
export interface QueryRunner {
  rows<R>(query: CompiledQuery<R>): Promise<R[]>;
  run(query: CompiledQuery): Promise<void>;
  /**
   * A write that runs once the unit's work has returned, in the same transaction, and only if the
   * work succeeded: the unit's last statement (the gate's disclosure records). A unit whose only
   * write is this one needs no savepoint on SQLite: nothing of it can remain if it fails.
   */
  runLast(query: CompiledQuery): void;
}

export type Atomic = <T>(work: (q: QueryRunner) => Promise<T>) => Promise<T>;

/** The PostgreSQL (and generic) implementation: a Kysely transaction. */
export function kyselyAtomic<DB>(db: Kysely<DB>): Atomic {
  return (work) =>
    db.transaction().execute(async (trx) => {
      const last: CompiledQuery[] = [];
      const value = await work({
        rows: async <R>(query: CompiledQuery<R>) => (await trx.executeQuery(query)).rows,
        run: async (query) => void (await trx.executeQuery(query)),
        runLast: (query) => void last.push(query),
      });
      for (const query of last) await trx.executeQuery(query);
      return value;
    });
}

const SENTINEL = '\u0000vigie-param-';

/**
 * Compiles a query once and re-binds its parameters per call, skipping Kysely's builder and
 * compiler on the hot path. `build` receives placeholder values (a placeholder it does not use is
 * simply not bound); constants stay as compiled.
 */
export function queryTemplate<A extends readonly unknown[], R>(
  arity: number,
  build: (placeholders: readonly string[]) => { compile(): CompiledQuery<R> },
): (args: A) => CompiledQuery<R> {
  const placeholders = Array.from({ length: arity }, (_, i) => `${SENTINEL}${i}`);
  const compiled = build(placeholders).compile();
  const slots = compiled.parameters.map((p) =>
    typeof p === 'string' && p.startsWith(SENTINEL) ? Number(p.slice(SENTINEL.length)) : -1,
  );
  const constants = compiled.parameters;
  return (args) => {
    const parameters = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      parameters[i] = slot < 0 ? constants[i] : args[slot];
    }
    return { query: compiled.query, queryId: compiled.queryId, sql: compiled.sql, parameters };
  };
}
