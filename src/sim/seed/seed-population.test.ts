import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../access/passwords.js';
import { manualClock } from '../../domain/clock.js';
import { addMonths, ageOn } from '../../domain/dates.js';
import { isAppError } from '../../domain/errors.js';
import { createGate } from '../../disclosure/gate.js';
import { communeByInsee } from '../../referential/communes.js';
import type { Db } from '../../storage/database.js';
import { openTestStore } from '../../test-support/stores.js';
import type { TestStore } from '../../test-support/stores.js';
import { readerOf } from '../../test-support/orgs.js';
import { blindIndex } from '../../vault/blind-index.js';
import { keyringFromDocument, newKeyDocument } from '../../vault/keyring.js';
import { openGroups } from '../../vault/open.js';
import type { SeedReport } from './seed-population.js';
import { seedPopulation } from './seed-population.js';

const NOW = Date.UTC(2026, 10, 20, 9);
const TODAY = '2026-11-20';
const PEOPLE = 2_000;
const keys = keyringFromDocument(newKeyDocument());

/** Clear columns only: sealed blobs and password hashes are random by design (nonces, data keys, salts). */
const DIGESTED: Record<string, { order: string; exclude: readonly string[] }> = {
  organisations: { order: 'id', exclude: [] },
  accounts: { order: 'id', exclude: ['password_hash'] },
  training_sessions: { order: 'id', exclude: [] },
  people: { order: 'id', exclude: ['wrapped_key', 's_identity', 's_birth', 's_nir', 's_address', 's_contact'] },
  person_rome: { order: 'person_id, rome_code', exclude: [] },
  co_managements: { order: 'person_id, organisation_id', exclude: [] },
  enrolments: { order: 'id', exclude: [] },
  followup_events: { order: 'id', exclude: [] },
  contact_requests: { order: 'id', exclude: [] },
};

const canonical = (value: unknown): unknown =>
  value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value === null ? null : String(value);

async function digest(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for (const [table, { order, exclude }] of Object.entries(DIGESTED)) {
    const rows = (
      await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.raw(order)}`.execute(db)
    ).rows;
    for (const row of rows) {
      const kept = Object.keys(row)
        .sort()
        .filter((c) => !exclude.includes(c));
      hash.update(`${table}|${kept.map((c) => `${c}=${JSON.stringify(canonical(row[c]))}`).join('|')}\n`);
    }
  }
  return hash.digest('hex');
}

const seed = (store: TestStore, people = PEOPLE, seedText = 'vigie-test') =>
  seedPopulation({ store, keys, clock: manualClock(NOW) }, { people, seed: seedText });

describe('seedPopulation: determinism (SQLite and PostgreSQL)', () => {
  const stores: TestStore[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.dispose())));
  const fresh = async (dialect: 'sqlite' | 'postgres') => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return store;
  };

  it('gives the same rows for the same seed, on both dialects, and other rows for another seed', async () => {
    const [a, b, pg, other] = [
      await fresh('sqlite'),
      await fresh('sqlite'),
      await fresh('postgres'),
      await fresh('sqlite'),
    ];
    await seed(a);
    await seed(b);
    await seed(pg);
    await seed(other, PEOPLE, 'another-seed');
    const first = await digest(a.db);
    expect(await digest(b.db)).toBe(first);
    expect(await digest(pg.db)).toBe(first);
    expect(await digest(other.db)).not.toBe(first);
  });

  it('refuses a database that is not empty', async () => {
    const store = await fresh('sqlite');
    await seed(store, 10);
    const error = await seed(store, 10).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('SEED.NOT_EMPTY');
  });
});

describe.each(['sqlite', 'postgres'] as const)('seedPopulation: a consistent population on %s', (dialect) => {
  let store: TestStore;
  let report: SeedReport;
  let indexesBefore: string[];
  const listIndexes = async (): Promise<string[]> =>
    dialect === 'sqlite'
      ? (
          await sql<{ name: string }>`select name from sqlite_master where type = 'index' order by name`.execute(
            store.db,
          )
        ).rows.map((r) => r.name)
      : (
          await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where schemaname = current_schema() order by 1`.execute(store.db)
        ).rows.map((r) => r.name);

  beforeAll(async () => {
    store = await openTestStore(dialect);
    indexesBefore = await listIndexes();
    report = await seed(store);
  });
  afterAll(() => store.dispose());

  it('writes every sealed group and the expected volumes, and rebuilds every index', async () => {
    const counts = await store.db
      .selectFrom('people')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.count<number>('s_identity').as('identity'),
        eb.fn.count<number>('s_nir').as('nir'),
        eb.fn.count<number>('wrapped_key').as('keys'),
      ])
      .executeTakeFirstOrThrow();
    expect([counts.n, counts.identity, counts.nir, counts.keys].map(Number)).toEqual([PEOPLE, PEOPLE, PEOPLE, PEOPLE]);
    expect(report.people).toBe(PEOPLE);
    expect(report.enrolments).toBeGreaterThan(PEOPLE * 0.03);
    expect(report.coManagements).toBeGreaterThan(PEOPLE * 0.03);
    expect(report.jobSeekerAccounts).toBeGreaterThan(10);
    expect(await listIndexes()).toEqual(indexesBefore);
  });

  it('places agencies in real communes of their département, and each adviser serves their own agency', async () => {
    const agencies = await store.db
      .selectFrom('organisations')
      .select(['id', 'name', 'departement'])
      .where('kind', '=', 'agency')
      .execute();
    for (const agency of agencies) expect(agency.name).toMatch(/^Agence France Travail /);
    const strays = await store.db
      .selectFrom('people as p')
      .leftJoin('accounts as a', 'a.id', 'p.adviser_id')
      .select('p.id')
      .where('p.adviser_id', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('a.role', '<>', 'adviser'),
          eb('a.organisation_id', 'is', null),
          eb('a.organisation_id', '<>', eb.ref('p.agency_id')),
        ]),
      )
      .execute();
    expect(strays).toEqual([]);
    const portfolios = await store.db
      .selectFrom('people')
      .select((eb) => ['adviser_id', eb.fn.countAll<number>().as('n')])
      .where('adviser_id', 'is not', null)
      .groupBy('adviser_id')
      .execute();
    for (const p of portfolios) expect(Number(p.n)).toBeGreaterThan(50);
  });

  it('ties enrolments to existing people and sessions, prescribed by an adviser of their agency, visible 3 months after exit', async () => {
    const rows = await store.db
      .selectFrom('enrolments as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .innerJoin('training_sessions as s', 's.id', 'e.session_id')
      .innerJoin('accounts as a', 'a.id', 'e.prescribed_by')
      .select([
        'e.status',
        'e.exited_on',
        'e.visible_until',
        'e.entered_on',
        'e.organisation_id',
        's.organisation_id as session_org',
        'a.organisation_id as adviser_org',
        'p.agency_id',
        's.starts_on',
        's.ends_on',
      ])
      .execute();
    expect(rows.length).toBe(report.enrolments);
    expect(new Set(rows.map((r) => r.status)).size).toBeGreaterThanOrEqual(3);
    const possible = (r: (typeof rows)[number]): string[] =>
      r.starts_on > TODAY
        ? ['prescribed', 'cancelled']
        : r.ends_on > TODAY
          ? ['in_training', 'interrupted', 'cancelled']
          : ['completed', 'interrupted', 'cancelled'];
    for (const r of rows) {
      expect(possible(r)).toContain(r.status);
      expect(r.organisation_id).toBe(r.session_org);
      expect(r.adviser_org).toBe(r.agency_id);
      expect(r.visible_until).toBe(r.exited_on === null ? null : addMonths(r.exited_on, 3));
      if (r.entered_on !== null) expect(r.entered_on <= TODAY && r.entered_on >= r.starts_on).toBe(true);
    }
  });

  it('has Missions locales co-manage only people under 26', async () => {
    const rows = await store.db
      .selectFrom('co_managements as c')
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select(['p.id', 'p.key_version', 'p.wrapped_key', 'p.s_birth', 'o.kind'])
      .execute();
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['mission_locale', 'cap_emploi']));
    for (const r of rows.filter((row) => row.kind === 'mission_locale')) {
      const { birth } = openGroups(
        keys,
        { id: r.id, keyVersion: r.key_version, wrappedKey: r.wrapped_key as Buffer },
        { birth: r.s_birth as Buffer },
      );
      expect(ageOn(birth?.birthDate ?? '', TODAY)).toBeLessThan(26);
    }
  });

  it('gives working demo logins: staff by e-mail, the job seeker by identifier', async () => {
    expect(report.logins.map((l) => l.role)).toEqual([
      'adviser',
      'trainer',
      'partner_adviser',
      'recruiter',
      'job_seeker',
      'account_manager',
    ]);
    for (const login of report.logins) {
      const account = await store.db
        .selectFrom('accounts')
        .selectAll()
        .where('login_index', '=', blindIndex(keys, 'login', login.login))
        .executeTakeFirstOrThrow();
      expect(account.role).toBe(login.role);
      expect(login.password.length).toBeGreaterThanOrEqual(12);
      if (login.role === 'adviser' || login.role === 'job_seeker')
        expect(await verifyPassword(account.password_hash, login.password)).toBe(true);
    }
    const seeker = report.logins.find((l) => l.role === 'job_seeker');
    const person = await store.db
      .selectFrom('people')
      .select('id')
      .where('bi_identifier', '=', blindIndex(keys, 'identifier', seeker?.login ?? ''))
      .executeTakeFirst();
    expect(person).toBeDefined();
  });

  it('lets the demo adviser read a person of their portfolio through the gate, with a record', async () => {
    const adviser = report.logins[0];
    const account = await store.db
      .selectFrom('accounts')
      .select(['id', 'organisation_id'])
      .where('email', '=', adviser?.login ?? '')
      .executeTakeFirstOrThrow();
    const person = await store.db
      .selectFrom('people')
      .select('id')
      .where('adviser_id', '=', account.id)
      .limit(1)
      .executeTakeFirstOrThrow();
    const gate = createGate({ store, keys, clock: manualClock(NOW) });
    const reader = readerOf('adviser', account.organisation_id, { accountId: account.id, organisationKind: 'agency' });
    const read = await gate.discloseOne({
      reader,
      purpose: 'portfolio_followup',
      person: person.id,
      fields: ['lastName', 'communeInsee'],
    });
    expect(communeByInsee(String(read.fields.communeInsee))).toBeDefined();
    const logged = await store.db
      .selectFrom('disclosures')
      .select('person_id')
      .where('reader_id', '=', account.id)
      .execute();
    expect(logged.map((l) => l.person_id)).toEqual([person.id]);
  });
});
