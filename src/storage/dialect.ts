import type { ColumnDataType, CreateTableBuilder, Dialect, Kysely, RawBuilder } from 'kysely';
import type { Atomic } from './atomic.js';

/** SQL that differs between the dialects, for repositories (a store exposes it as `capabilities`). */
export interface DialectCapabilities {
  /** The distinct values of a text expression over a group, comma-separated, in no particular order. */
  distinctList(expression: RawBuilder<string>): RawBuilder<string>;
}

/**
 * What differs between SQLite and PostgreSQL, and nothing else. Everything outside the dialect
 * folders is written once against Kysely<Database>.
 */
export interface DialectAdapter extends DialectCapabilities {
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
  /**
   * Creates an index on `keys` that also carries `include`, so that a range scan needs no table
   * lookup (PostgreSQL: INCLUDE columns; SQLite: trailing key columns, the rowid being in every index).
   */
  createCoveringIndex(db: Kysely<any>, index: CoveringIndex): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations run untyped
  /** Called once after migrations; e.g. SQLite's ANALYZE. */
  afterMigrate?(): Promise<void>;
  close(): Promise<void>;
}

export interface CoveringIndex {
  readonly name: string;
  readonly table: string;
  readonly keys: readonly string[];
  readonly include: readonly string[];
  /** The table's serial key, if `include` names it (SQLite's rowid: in every index already). */
  readonly serialKey?: string;
}
