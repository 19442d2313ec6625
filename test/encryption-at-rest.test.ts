import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertOrganisation } from '../src/test-support/orgs.js';
import { insertJobSeekers, sampleJobSeeker, testKeyring } from '../src/test-support/people.js';
import { DIALECTS, openTestStore, type TestStore } from '../src/test-support/stores.js';

/** Everything the database holds on disk: the SQLite file and its WAL, or PostgreSQL's table and index files. */
async function bytesOnDisk(store: TestStore): Promise<Buffer> {
  if (store.dialect === 'sqlite') {
    const dir = dirname(store.location);
    return Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
  }
  await sql`CHECKPOINT`.execute(store.db);
  const { rows } = await sql<{ data: Buffer }>`
    SELECT pg_read_binary_file(pg_relation_filepath(c.oid)) AS data
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't') AND pg_relation_filepath(c.oid) IS NOT NULL`.execute(
    store.db,
  );
  return Buffer.concat(rows.map((r) => r.data));
}

describe.each(DIALECTS)('encryption at rest on %s', (dialect) => {
  it('stores no plaintext name, e-mail, phone, NIR, identifier or address of a job seeker', async () => {
    const store = await openTestStore(dialect);
    try {
      const keys = testKeyring();
      const agency = await insertOrganisation(store.db, 'agency');
      const people = Array.from({ length: 20 }, () => sampleJobSeeker(agency)).map((p, i) => ({
        ...p,
        sealed: { ...p.sealed, nir: { nir: `1850${i % 10}7511200${String(i).padStart(2, '0')}` } },
      }));
      await insertJobSeekers(store.db, keys, people);
      const disk = await bytesOnDisk(store);
      expect(disk.length).toBeGreaterThan(10_000);
      // The check can fail: the clear attributes are found, proving the bytes are the table's.
      expect(disk.includes(Buffer.from(people[0]!.registeredOn))).toBe(true);
      for (const p of people) {
        const { identity, nir, contact, address, birth } = p.sealed;
        for (const secret of [
          identity.lastName,
          identity.birthName,
          identity.firstNames,
          identity.identifier,
          nir.nir,
          contact.email!,
          contact.phone!,
          address.addressLine,
          birth.birthDate,
        ]) {
          expect(disk.includes(Buffer.from(secret, 'utf8')), `${dialect}: plaintext found on disk`).toBe(false);
        }
      }
    } finally {
      await store.dispose();
    }
  });
});
