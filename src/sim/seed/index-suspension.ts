/**
 * Bulk loading into empty tables: the secondary indexes are dropped first and built again at the
 * end, one sort per index instead of one random B-tree insert per row and index (on SQLite this
 * makes a million people load about four times faster). The definitions are read back from the
 * database's own catalogue, so the rebuilt indexes are exactly those the migrations created.
 * Primary keys and unique constraints stay. Used only on tables the seed has checked are empty.
 *
 * The two catalogues differ, so this file holds one small implementation per dialect; it belongs
 * with the storage adapters if anything else ever needs it.
 */
import { sql } from 'kysely';
import type { Db, Store } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';

export interface IndexDefinition {
  readonly name: string;
  readonly sql: string;
}

interface CatalogueDialect {
  list(db: Db, tables: readonly string[]): Promise<IndexDefinition[]>;
  /** Refreshes the planner's statistics after the load. */
  analyse(db: Db): Promise<void>;
}

const CATALOGUES: Readonly<Record<Store['dialect'], CatalogueDialect>> = {
  sqlite: {
    list: async (db, tables) =>
      (
        await sql<IndexDefinition>`select name, sql from sqlite_master
          where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)}) order by name`.execute(db)
      ).rows,
    analyse: async (db) => {
      await sql`pragma analysis_limit = 1000`.execute(db);
      await sql`analyze`.execute(db);
    },
  },
  postgres: {
    list: async (db, tables) =>
      (
        await sql<IndexDefinition>`select i.relname as name, pg_get_indexdef(i.oid) as sql
          from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
          where t.relnamespace = current_schema()::regnamespace and t.relname in (${sql.join(tables)})
            and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
          order by i.relname`.execute(db)
      ).rows,
    analyse: async (db) => void (await sql`analyze`.execute(db)),
  },
};

/** Drops the secondary indexes of `tables` and returns their definitions, to pass to `restoreIndexes`. */
export async function suspendIndexes(store: Store, tables: readonly (keyof Database)[]): Promise<IndexDefinition[]> {
  const indexes = await CATALOGUES[store.dialect].list(store.db, tables);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(store.db);
  return indexes;
}

/** Builds the suspended indexes again, then refreshes the planner's statistics. */
export async function restoreIndexes(
  store: Store,
  indexes: readonly IndexDefinition[],
  onIndex?: (done: number) => void,
): Promise<void> {
  for (const [i, index] of indexes.entries()) {
    await sql.raw(index.sql).execute(store.db);
    onIndex?.(i + 1);
  }
  await CATALOGUES[store.dialect].analyse(store.db);
}
