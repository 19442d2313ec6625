import pg from 'pg';
import { PostgresDialect, sql } from 'kysely';
import { kyselyAtomic } from '../atomic.js';
import type { DialectAdapter } from '../dialect.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** PostgreSQL, the production store. bigint columns hold epoch milliseconds: parse them as numbers. */
export function postgresAdapter(url: string, options: { schema?: string; poolSize?: number } = {}): DialectAdapter {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: types as pg.CustomTypesConfig,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  return {
    name: 'postgres',
    bytes: 'bytea',
    time: 'bigint',
    addSerialKey: (table, column) =>
      table.addColumn(column, 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity()),
    dialect: new PostgresDialect({ pool }),
    distinctList: (expression) => sql<string>`string_agg(DISTINCT ${expression}, ',')`,
    createCoveringIndex: async (db, index) => {
      const list = (names: readonly string[]) => sql.join(names.map((n) => sql.id(n)));
      await sql`CREATE INDEX ${sql.id(index.name)} ON ${sql.id(index.table)} (${list(index.keys)}) INCLUDE (${list(index.include)})`.execute(
        db,
      );
    },
    atomic: (db) => kyselyAtomic(db),
    close: async () => undefined, // Kysely.destroy() ends the pool
  };
}
