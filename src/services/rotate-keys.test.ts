import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../domain/clock.js';
import { createGate } from '../disclosure/gate.js';
import type { Reader } from '../disclosure/reader.js';
import type { Gate } from '../disclosure/types.js';
import { erasePerson } from '../storage/people-repo.js';
import { insertOrganisation, readerOf } from '../test-support/orgs.js';
import { insertJobSeekers, sampleJobSeeker } from '../test-support/people.js';
import { DIALECTS, openTestStore } from '../test-support/stores.js';
import type { TestStore } from '../test-support/stores.js';
import { addMasterKeyVersion, generateKeyFile } from '../vault/key-file.js';
import { openKeyringProvider } from '../vault/keyring-provider.js';
import { rewrapDataKeys } from './rotate-keys.js';

const NOW = Date.UTC(2026, 10, 20, 9);
const PEOPLE = 2_500;

describe.each(DIALECTS)('rewrapDataKeys on %s', (dialect) => {
  let store: TestStore;
  let dir: string;
  let file: string;
  let gate: Gate;
  let ids: string[];
  let adviser: Reader;
  const versions = async () =>
    (await store.db.selectFrom('people').select('key_version').where('wrapped_key', 'is not', null).execute()).map(
      (r) => r.key_version,
    );
  /** The gate, as the running service has it: its provider follows the key file, refresh off (reload on a miss only). */
  const readName = async (personId: string) =>
    (
      await gate.discloseOne({
        reader: { ...adviser, requestId: randomUUID() },
        purpose: 'portfolio_followup',
        person: personId,
        fields: ['lastName'],
      })
    ).fields.lastName;

  beforeEach(async () => {
    store = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'vigie-rotate-'));
    file = join(dir, 'keys.json');
    generateKeyFile(file);
    const service = openKeyringProvider({ file, refreshMs: 0 });
    const agency = await insertOrganisation(store.db, 'agency');
    adviser = readerOf('adviser', agency);
    const people = Array.from({ length: PEOPLE }, () => {
      const person = sampleJobSeeker(agency, { adviserId: adviser.accountId });
      return { ...person, sealed: { ...person.sealed, contact: { email: null, phone: null } } }; // the sample's phone numbers run out after 10,000
    });
    await insertJobSeekers(store.db, service, people, NOW);
    ids = people.map((p) => p.id).sort();
    gate = createGate({ store, keys: service, clock: manualClock(NOW) });
  });
  afterEach(async () => {
    await store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves every data key to the new version while gate reads keep working before, during and after', async () => {
    const [first, last] = [ids[0] ?? '', ids[ids.length - 1] ?? ''];
    const names = { first: await readName(first), last: await readName(last) };
    addMasterKeyVersion(file); // `vigie keys rotate`, in another process
    const rotation = openKeyringProvider({ file, refreshMs: 0 });
    const during: unknown[] = [];
    const report = await rewrapDataKeys(
      { db: store.db, keys: rotation },
      {
        batchSize: 1_000,
        afterBatch: async () => void during.push(await readName(first), await readName(last)),
      },
    );
    expect(report).toEqual({ version: 2, rewrapped: PEOPLE, alreadyCurrent: 0, failed: 0, skipped: 0 });
    expect(during).toEqual([names.first, names.last, names.first, names.last, names.first, names.last]);
    expect(new Set(await versions())).toEqual(new Set([2]));
    expect([await readName(first), await readName(last)]).toEqual([names.first, names.last]);
  });

  it('resumes an interrupted rotation, skipping rows already moved', async () => {
    addMasterKeyVersion(file);
    const rotation = openKeyringProvider({ file, refreshMs: 0 });
    const interrupted = rewrapDataKeys(
      { db: store.db, keys: rotation },
      {
        batchSize: 1_000,
        afterBatch: async () => {
          throw new Error('interrompu');
        },
      },
    );
    await expect(interrupted).rejects.toThrow('interrompu');
    expect((await versions()).filter((v) => v === 2)).toHaveLength(1_000);
    const resumed = await rewrapDataKeys({ db: store.db, keys: rotation }, { batchSize: 1_000 });
    expect(resumed).toEqual({ version: 2, rewrapped: PEOPLE - 1_000, alreadyCurrent: 1_000, failed: 0, skipped: 0 });
    expect(new Set(await versions())).toEqual(new Set([2]));
  });

  it('leaves erased people erased and counts unreadable keys without stopping', async () => {
    const [erased, corrupt] = [ids[0] ?? '', ids[1] ?? ''];
    await erasePerson(store.db, erased, NOW);
    await store.db
      .updateTable('people')
      .set({ wrapped_key: Buffer.alloc(61, 7) })
      .where('id', '=', corrupt)
      .execute();
    addMasterKeyVersion(file);
    const report = await rewrapDataKeys({ db: store.db, keys: openKeyringProvider({ file, refreshMs: 0 }) });
    expect(report).toMatchObject({ rewrapped: PEOPLE - 2, failed: 1 });
    const row = await store.db
      .selectFrom('people')
      .select(['wrapped_key', 'key_version'])
      .where('id', '=', erased)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ wrapped_key: null, key_version: 1 });
  });
});
