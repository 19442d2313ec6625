import { describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore } from '../test-support/stores.js';

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
        .values({ id: 'o1', kind: 'agency', name: 'Agence', siret: null, departement: '75', parent_agency_id: null, channel_suspended_at: null, created_at: now })
        .execute();
      const bytes = Buffer.from([0, 1, 2, 255]);
      await store.db
        .insertInto('accounts')
        .values({ id: 'a1', organisation_id: 'o1', person_id: null, role: 'adviser', login_index: bytes, display_name: 'X', email: null, password_hash: 'h', status: 'active', created_by: null, approved_by: null, created_at: now, last_login_at: null, failed_logins: 0, locked_until: null })
        .execute();
      const account = await store.db.selectFrom('accounts').select(['login_index', 'created_at']).where('login_index', '=', bytes).executeTakeFirstOrThrow();
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
      const count = await store.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    } finally {
      await store.dispose();
    }
  });
});
