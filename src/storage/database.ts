import { rmSync } from 'node:fs';
import { Kysely } from 'kysely';
import type { Transaction } from 'kysely';
import { AppError } from '../domain/errors.js';
import type { Atomic } from './atomic.js';
import type { DialectAdapter, DialectCapabilities } from './dialect.js';
import { applyMigrations } from './migrate.js';
import { postgresAdapter } from './postgres/postgres-adapter.js';
import type { Database } from './schema.js';
import type { CheckpointTuning } from './sqlite/checkpointer.js';
import { sqliteAdapter } from './sqlite/sqlite-adapter.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A repository function accepts the database or a transaction. */
export type DbOrTx = Kysely<Database>;

export interface Store {
  readonly db: Db;
  readonly dialect: DialectAdapter['name'];
  /** SQL that differs between the dialects (repositories ask for it instead of testing the dialect). */
  readonly capabilities: DialectCapabilities;
  /** One transaction running precompiled queries: the disclosure gate's hot path. */
  readonly atomic: Atomic;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL only: the schema to use (tests isolate themselves this way). */
  schema?: string;
  poolSize?: number;
  /** SQLite only: 'full' fsyncs every commit group; 'normal' (default) survives a crash, not a power cut. */
  sqliteSync?: 'normal' | 'full';
  /** SQLite only: background checkpoint thresholds (tests shrink them). */
  checkpoints?: CheckpointTuning;
}

/** Whether a database URL names PostgreSQL (`postgres://…` or `postgresql://…`). */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** The SQLite file a database URL names (`sqlite:PATH`, `file:PATH` or a plain path), or null for PostgreSQL. */
export const sqliteFileOf = (url: string): string | null =>
  isPostgresUrl(url) ? null : url.replace(/^(sqlite|file):(\/\/)?/, '');

/** Removes an SQLite database: its file, its WAL and its shared-memory index. */
export function removeSqliteFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

/** `postgres://…` or `postgresql://…` for PostgreSQL; `sqlite:PATH`, `file:PATH` or a plain path for SQLite. */
export function adapterFor(url: string, options: OpenOptions = {}): DialectAdapter {
  const file = sqliteFileOf(url);
  if (file === null) return postgresAdapter(url, options);
  if (file.length === 0) throw new AppError('DB.URL_INVALID', 'invalid', 'Adresse de base de données vide.');
  return sqliteAdapter(file, options.checkpoints, options.sqliteSync);
}

export function openStore(url: string, options: OpenOptions = {}): Store {
  const adapter = adapterFor(url, options);
  const db = new Kysely<Database>({ dialect: adapter.dialect });
  return {
    db,
    dialect: adapter.name,
    capabilities: { distinctList: adapter.distinctList },
    atomic: adapter.atomic(db),
    migrate: async () => {
      await applyMigrations(db, adapter);
      await adapter.afterMigrate?.();
    },
    close: async () => {
      await db.destroy();
      await adapter.close();
    },
  };
}
