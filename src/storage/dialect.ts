import type { ColumnDataType, CreateTableBuilder, Dialect, Kysely } from 'kysely';
import type { Atomic } from './atomic.js';

/**
 * What differs between SQLite and PostgreSQL, and nothing else. Everything outside the dialect
 * folders is written once against Kysely<Database>.
 */
export interface DialectAdapter {
  readonly name: 'sqlite' | 'postgres';
  /** Column type for encrypted blobs and blind indexes. */
  readonly bytes: ColumnDataType;
  /** Column type for epoch-millisecond times. */
  readonly time: ColumnDataType;
  /** Adds an auto-increment primary key column (append-only logs only). */
  addSerialKey<T extends string>(table: CreateTableBuilder<T>, column: string): CreateTableBuilder<T>;
  readonly dialect: Dialect;
  /** The transaction primitive of the hot path (see atomic.ts), bound to the Kysely instance. */
  atomic<DB>(db: Kysely<DB>): Atomic;
  /** Called once after migrations; e.g. SQLite's ANALYZE. */
  afterMigrate?(): Promise<void>;
  close(): Promise<void>;
}
