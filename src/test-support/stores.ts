import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { openStore } from '../storage/database.js';
import type { Store } from '../storage/database.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** PostgreSQL of the test machines; CI fails (does not skip) when it is unreachable. */
export const TEST_PG_URL = process.env['VIGIE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore extends Store {
  /** Where the data lives: the SQLite file, or the PostgreSQL schema. */
  readonly location: string;
  dispose(): Promise<void>;
}

/** A fresh, migrated store: a new SQLite file, or a new PostgreSQL schema dropped on dispose. */
export async function openTestStore(dialect: DialectName): Promise<TestStore> {
  return dialect === 'sqlite' ? openSqlite() : openPostgres();
}

async function openSqlite(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-test-'));
  const file = join(dir, 'vigie.db');
  const store = openStore(file);
  await store.migrate();
  return {
    ...store,
    location: file,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<TestStore> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const store = openStore(TEST_PG_URL, { schema, poolSize: 4 });
  await store.migrate();
  return {
    ...store,
    location: schema,
    dispose: async () => {
      await store.close();
      await adminQuery(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
}

/** Runs one statement as the administrator of the test cluster (schemas). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** SQLite's plan for a compiled query: one line per step (`SEARCH p USING INDEX …`, `SCAN …`). */
export async function queryPlan(store: Store, query: CompiledQuery): Promise<string[]> {
  const { rows } = await store.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
  );
  return rows.map((r) => r.detail);
}
