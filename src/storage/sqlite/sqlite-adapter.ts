import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, SqliteDialect } from 'kysely';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { DialectAdapter } from '../dialect.js';
import { startCheckpointer } from './checkpointer.js';
import { refreshPlannerStatistics } from './planner-statistics.js';
import type { CheckpointTuning } from './checkpointer.js';
import { sqliteAtomic } from './sqlite-atomic.js';

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a point
 * query. Hand it a database whose prepare() reuses statements (a small LRU keyed by SQL text).
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sqlText: string): SqliteStatement {
      const hit = cache.get(sqlText);
      if (hit) {
        cache.delete(sqlText);
        cache.set(sqlText, hit);
        return hit;
      }
      const statement = database.prepare(sqlText);
      cache.set(sqlText, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/** SQLite, the embedded default: one file, WAL mode, no set-up. */
export function sqliteAdapter(
  file: string,
  tuning?: CheckpointTuning,
  sync: 'normal' | 'full' = 'normal',
): DialectAdapter & { readonly raw: SQLite.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  // NORMAL: a commit survives a crash of the process; a power cut may lose the last commit groups.
  // FULL: each commit (one per group of disclosures) waits for the disk: about half the throughput here.
  database.pragma(sync === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  const checkpointer = file === ':memory:' ? undefined : backgroundCheckpoints(database, file, tuning);
  const statements = withStatementCache(database);
  return {
    name: 'sqlite',
    bytes: 'blob',
    time: 'integer',
    // A rowid alias without AUTOINCREMENT: append-only tables never delete, so rowids only grow, and
    // each commit saves the sqlite_sequence update.
    addSerialKey: (table, column) => table.addColumn(column, 'integer', (c) => c.primaryKey()),
    dialect: new SqliteDialect({ database: statements }),
    distinctList: (expression) => sql<string>`group_concat(DISTINCT ${expression})`,
    createCoveringIndex: (db, index) =>
      db.schema
        .createIndex(index.name)
        .on(index.table)
        .columns([...index.keys, ...index.include.filter((c) => c !== index.serialKey)])
        .execute(),
    atomic: (db) => sqliteAtomic(db, database, statements, () => checkpointer?.finishIfDue(database)),
    raw: database,
    afterMigrate: async () => refreshPlannerStatistics(database),
    close: async () => checkpointer?.stop(), // Kysely.destroy() has closed the better-sqlite3 handle
  };
}

/** Checkpoints move to a worker thread (see checkpointer.ts); in-line again if it fails. */
function backgroundCheckpoints(database: SQLite.Database, file: string, tuning?: CheckpointTuning) {
  database.pragma('journal_size_limit = 67108864');
  database.pragma('wal_autocheckpoint = 0');
  return startCheckpointer(
    file,
    () => {
      if (database.open) database.pragma('wal_autocheckpoint = 1000');
    },
    tuning,
  );
}
