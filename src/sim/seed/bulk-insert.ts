/**
 * Multi-row inserts for bulk loading, written with Kysely once for both dialects. A statement of
 * several hundred rows is compiled once per table and shape (`queryTemplate`) and re-bound for
 * every batch, so the query builder's cost is paid once instead of once per row.
 */
import type { CompiledQuery, Insertable, Kysely } from 'kysely';
import { queryTemplate } from '../../storage/atomic.js';
import type { Db, DbOrTx } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';

/** Bound values per statement: below SQLite's limit (32,766) and PostgreSQL's (65,535). */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS_PER_STATEMENT = 500;

type Table = keyof Database;
type Row = Readonly<Record<string, unknown>>;
/** The tables' shapes are checked by `insert`'s signature; the builder works on plain records. */
type Untyped = Kysely<Record<string, Record<string, unknown>>>;

const flatten = (rows: readonly Row[], columns: readonly string[]): unknown[] => {
  const values = new Array<unknown>(rows.length * columns.length);
  let k = 0;
  for (const row of rows) for (const column of columns) values[k++] = row[column];
  return values;
};

export class BulkInserter {
  readonly #db: Untyped;
  readonly #templates = new Map<string, (args: readonly unknown[]) => CompiledQuery>();

  constructor(db: Db) {
    this.#db = db as unknown as Untyped;
  }

  /** Inserts `rows` (all with the same keys) in statements of up to 500 rows, on `tx`. */
  async insert<T extends Table>(tx: DbOrTx, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
    const first = rows[0] as Row | undefined;
    if (first === undefined) return;
    const columns = Object.keys(first);
    const perStatement = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const slice = rows.slice(i, i + perStatement) as readonly Row[];
      const values = flatten(slice, columns);
      const query =
        slice.length === perStatement
          ? this.#template(table, columns, perStatement)(values)
          : this.#compile(table, slice);
      await tx.executeQuery(query);
    }
  }

  #template(table: Table, columns: readonly string[], rows: number): (args: readonly unknown[]) => CompiledQuery {
    const key = `${table}:${rows}:${columns.join(',')}`;
    let template = this.#templates.get(key);
    if (!template) {
      template = queryTemplate<readonly unknown[], unknown>(rows * columns.length, (placeholders) => {
        const values = Array.from({ length: rows }, (_, r) =>
          Object.fromEntries(columns.map((c, i) => [c, placeholders[r * columns.length + i]])),
        );
        return this.#db.insertInto(table).values(values);
      });
      this.#templates.set(key, template);
    }
    return template;
  }

  #compile(table: Table, rows: readonly Row[]): CompiledQuery {
    return this.#db
      .insertInto(table)
      .values(rows.map((r) => ({ ...r })))
      .compile();
  }
}
