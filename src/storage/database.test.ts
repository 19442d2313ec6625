import { describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { adminQuery, DIALECTS, TEST_PG_URL, openTestStore, queryPlan } from '../test-support/stores.js';
import { insertOrganisation } from '../test-support/orgs.js';
import { MIGRATIONS } from './migrations/index.js';
import { openStore } from './database.js';

describe.each(DIALECTS)('storage on %s', (dialect) => {
  it('migrates, round-trips bytes and epoch-ms times, and numbers sequential log keys', async () => {
    const store = await openTestStore(dialect);
    try {
      const now = Date.UTC(2026, 10, 22, 9, 30);
      await store.db
        .insertInto('security_events')
        .values([
          { at: now, kind: 'test.one', account_id: null, source_ip: '127.0.0.1', details: '{}' },
          { at: now + 1, kind: 'test.two', account_id: null, source_ip: null, details: '{}' },
        ])
        .execute();
      const rows = await store.db.selectFrom('security_events').selectAll().orderBy('seq').execute();
      expect(rows.map((r) => [r.kind, r.at])).toEqual([
        ['test.one', now],
        ['test.two', now + 1],
      ]);
      expect(typeof rows[0]?.seq).toBe('number');
      expect(rows[1]!.seq).toBeGreaterThan(rows[0]!.seq);

      await store.db
        .insertInto('organisations')
        .values({
          id: 'o1',
          kind: 'agency',
          name: 'Agence',
          siret: null,
          departement: '75',
          parent_agency_id: null,
          channel_suspended_at: null,
          created_at: now,
        })
        .execute();
      const bytes = Buffer.from([0, 1, 2, 255]);
      await store.db
        .insertInto('accounts')
        .values({
          id: 'a1',
          organisation_id: 'o1',
          person_id: null,
          role: 'adviser',
          login_index: bytes,
          display_name: 'X',
          email: null,
          password_hash: 'h',
          status: 'active',
          created_by: null,
          approved_by: null,
          created_at: now,
          last_login_at: null,
          failed_logins: 0,
          locked_until: null,
        })
        .execute();
      const account = await store.db
        .selectFrom('accounts')
        .select(['login_index', 'created_at'])
        .where('login_index', '=', bytes)
        .executeTakeFirstOrThrow();
      expect(Buffer.compare(account.login_index, bytes)).toBe(0);
      expect(account.created_at).toBe(now);
    } finally {
      await store.dispose();
    }
  });

  it('is idempotent: migrating twice changes nothing', async () => {
    const store = await openTestStore(dialect);
    try {
      await store.migrate();
      const count = await store.db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    } finally {
      await store.dispose();
    }
  });
});

describe('storage on sqlite, durability', () => {
  it('fsyncs every commit when asked (synchronous FULL), survives a crash by default (NORMAL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-sync-'));
    try {
      for (const [mode, expected] of [
        [undefined, 1],
        ['full', 2],
        ['normal', 1],
      ] as const) {
        const store = openStore(join(dir, `${mode ?? 'default'}.db`), mode ? { sqliteSync: mode } : {});
        const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(store.db);
        expect(rows[0]?.synchronous).toBe(expected);
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('storage on sqlite, planner statistics', () => {
  it('keeps using the index of a table analysed while it was tiny, once it has grown', async () => {
    const store = await openTestStore('sqlite');
    try {
      const organisationId = await insertOrganisation(store.db, 'training');
      const accountId = randomUUID();
      await store.db
        .insertInto('accounts')
        .values({
          id: accountId,
          organisation_id: organisationId,
          role: 'trainer',
          login_index: randomBytes(32),
          password_hash: 'unused',
          status: 'active',
          created_at: 0,
          failed_logins: 0,
        })
        .execute();
      const session = (i: number) => ({
        id_hash: randomBytes(32),
        account_id: accountId,
        created_at: i,
        last_seen_at: i,
        expires_at: i,
        assurance: 'mfa',
      });
      await store.db.insertInto('sessions').values(session(0)).execute();
      await sql`ANALYZE`.execute(store.db); // what an earlier optimize recorded: sessions holds one row
      const plan = async () => {
        const query = store.db
          .selectFrom('sessions as s')
          .innerJoin('accounts as a', 'a.id', 's.account_id')
          .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
          .select(['s.account_id', 'a.role', 'o.kind'])
          .where('s.id_hash', '=', randomBytes(32))
          .compile();
        return (await queryPlan(store, query)).join(' | ');
      };
      // The hazard itself: with those statistics every lookup scans the table.
      expect(await plan()).toMatch(/SCAN s\b/);
      await store.migrate(); // every start: optimize, then small tables' statistics dropped
      for (let batch = 0; batch < 3; batch++)
        await store.db
          .insertInto('sessions')
          .values(Array.from({ length: 500 }, (_, i) => session(batch * 500 + i + 1)))
          .execute();
      expect(await plan()).toMatch(/SEARCH s USING INDEX/);
    } finally {
      await store.dispose();
    }
  });
});

describe('storage on sqlite, checkpoints', () => {
  it('copies the WAL into the database file from a background thread, not in the serving commits', async () => {
    const store = await openTestStore('sqlite');
    try {
      const size = () => statSync(store.location).size;
      const before = size();
      const details = 'x'.repeat(500);
      for (let batch = 0; batch < 40; batch++) {
        await store.db
          .insertInto('security_events')
          .values(
            Array.from({ length: 50 }, (_, i) => ({
              at: batch * 50 + i,
              kind: 'test.fill',
              account_id: null,
              source_ip: null,
              details,
            })),
          )
          .execute();
      }
      // The serving connection never checkpoints (wal_autocheckpoint = 0): only the worker can grow the file.
      await expect.poll(size, { timeout: 5000, interval: 100 }).toBeGreaterThan(before + 500_000);
    } finally {
      await store.dispose();
    }
  });
});

describe('storage on postgres, next to other schemas', () => {
  // In one process better-sqlite3 would block on its own lock; separate processes wait on each other.
  it('lets several processes migrate the same empty schema at once, each migration applied once', async () => {
    const target = await emptyDatabase('postgres');
    const stores = [0, 1, 2].map(() => openStore(target.url, target.options));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      const rows = await stores[0]!.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      expect(rows.map((r) => (r as { name: string }).name).sort()).toEqual(MIGRATIONS.map(([name]) => name));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await target.drop();
    }
  });
  it('migrates while other schemas of the cluster are created and dropped', async () => {
    let running = true;
    const churner = async () => {
      while (running) {
        const other = await emptyDatabase('postgres');
        await adminQuery(`CREATE TABLE ${other.schema}.t (id serial primary key, v text)`);
        await other.drop();
      }
    };
    const churn = Promise.all([churner(), churner(), churner()]);
    try {
      for (let i = 0; i < 10; i++) {
        const stores = await Promise.all([0, 1].map(() => openTestStore('postgres')));
        await Promise.all(stores.map((s) => s.dispose()));
      }
    } finally {
      running = false;
      await churn;
    }
  });
});

async function emptyDatabase(dialect: 'postgres') {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return {
    url: TEST_PG_URL,
    dialect,
    options: { schema, poolSize: 2 },
    schema,
    drop: () => adminQuery(`DROP SCHEMA ${schema} CASCADE`),
  };
}
