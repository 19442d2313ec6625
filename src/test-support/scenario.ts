/**
 * A small, deterministic world for workflow and authorisation tests: one agency with two advisers
 * (and a second agency), a training organisation with a session (and a second one), a Cap emploi,
 * an employer with a recruiter, and six job seekers sealed through the vault, with enrolments,
 * portfolios, co-management and two job seeker accounts. Ids derive from a seed, so two scenarios
 * with different seeds can share a store. Build it with `buildScenario`, or `openScenario` for a
 * fresh store, gate and clock in one call.
 *
 *   person  agency   adviser    relations
 *   p1      agency   adviser1   in training at `training` (session main), account (job seeker)
 *   p2      agency   adviser1   prescribed at `training` (main), co-managed by capEmploi
 *   p3      agency   adviser2   in training at `otherTraining` (other); co-management ended
 *   p4      agency   —          struck off; exited `training` (session past) in June: no longer visible
 *   p5      agency   —          registered, M1805 in 75, account (job seeker)
 *   p6      other    other      nothing with anyone above
 */
import { createHash, randomUUID } from 'node:crypto';
import { hashPassword } from '../access/passwords.js';
import { manualClock } from '../domain/clock.js';
import { nirKey } from '../domain/nir.js';
import type { JobSeeker } from '../domain/person.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import { createGate } from '../disclosure/gate.js';
import type { Reader } from '../disclosure/reader.js';
import type { AppContext } from '../services/context.js';
import { personRecord } from '../services/person-record.js';
import type { Db } from '../storage/database.js';
import { insertPeople } from '../storage/people-repo.js';
import type { KeyringSource } from '../vault/index.js';
import { blindIndex, Keyring } from '../vault/index.js';
import type { DialectName, TestStore } from './stores.js';
import { openTestStore } from './stores.js';

/** The scenario's "now": Friday 20 November 2026, 10:00 in Paris. */
export const SCENARIO_NOW = Date.UTC(2026, 10, 20, 9);
export const SCENARIO_TODAY = '2026-11-20';
/** Every scenario account signs in with this password. */
export const SCENARIO_PASSWORD = 'Mot de passe de test 2026 !';

export interface ScenarioAccount {
  id: string;
  login: string;
  role: Role;
  organisationId: string | null;
  organisationKind: OrganisationKind | null;
  personId: string | null;
}

export interface ScenarioPerson {
  id: string;
  identifier: string;
  lastName: string;
  email: string;
}

export interface Scenario {
  orgs: Record<'agency' | 'otherAgency' | 'training' | 'otherTraining' | 'capEmploi' | 'employer', string>;
  accounts: Record<
    | 'adviser1'
    | 'adviser2'
    | 'otherAdviser'
    | 'trainer'
    | 'otherTrainer'
    | 'partner'
    | 'recruiter'
    | 'seeker1'
    | 'seeker5',
    ScenarioAccount
  >;
  people: Record<'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'p6', ScenarioPerson>;
  sessions: Record<'main' | 'other' | 'catalogue' | 'past', string>;
  enrolments: Record<'p1Main' | 'p2Main' | 'p3Other' | 'p4Expired', string>;
}

/** A UUID (version 4 layout) derived from the seed and a name: stable across runs. */
export function scenarioId(seed: string, name: string): string {
  const h = createHash('sha256').update(`${seed}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A fixed keyring for scenarios (tests only: the keys are in the source). */
export const scenarioKeyring = (): Keyring => new Keyring(1, new Map([[1, Buffer.alloc(32, 7)]]), Buffer.alloc(32, 9));

let passwordHash: Promise<string> | undefined;
const scenarioPasswordHash = (): Promise<string> => (passwordHash ??= hashPassword(SCENARIO_PASSWORD));

const ORGS: ReadonlyArray<[keyof Scenario['orgs'], OrganisationKind, string, string]> = [
  ['agency', 'agency', 'Agence France Travail Paris 11', '75'],
  ['otherAgency', 'agency', 'Agence France Travail Lyon 3', '69'],
  ['training', 'training', 'Institut des Métiers du Numérique', '75'],
  ['otherTraining', 'training', 'Centre de Formation Rhône', '69'],
  ['capEmploi', 'cap_emploi', 'Cap emploi Paris', '75'],
  ['employer', 'employer', 'Société Exemple SAS', '75'],
];

async function insertOrganisations(db: Db, seed: string): Promise<Scenario['orgs']> {
  const orgs = Object.fromEntries(ORGS.map(([key]) => [key, scenarioId(seed, `org/${key}`)])) as Scenario['orgs'];
  await db
    .insertInto('organisations')
    .values(
      ORGS.map(([key, kind, name, departement]) => ({
        id: orgs[key],
        kind,
        name,
        siret: null,
        departement,
        parent_agency_id: kind === 'cap_emploi' ? orgs.agency : null,
        channel_suspended_at: null,
        created_at: SCENARIO_NOW - 86_400_000,
      })),
    )
    .execute();
  return orgs;
}

function identifierOf(seed: string, n: number): string {
  const digits = parseInt(createHash('sha256').update(`${seed}/identifier`).digest('hex').slice(0, 6), 16) % 900_000;
  return `${String(1_000_000 + digits * 10 + n).slice(-7)}${'ABCDEF'.charAt(n - 1)}`;
}

function jobSeeker(seed: string, n: number, agencyId: string, extra: Partial<JobSeeker>): JobSeeker {
  const nir13 = `2900475111${String(100 + n)}`;
  return {
    id: scenarioId(seed, `person/${n}`),
    sealed: {
      identity: {
        identifier: identifierOf(seed, n),
        civility: 'MME',
        lastName: `Martin${n}`,
        birthName: `Durand${n}`,
        firstNames: `Camille${n}`,
      },
      birth: { birthDate: '1990-04-12' },
      nir: { nir: nir13 + nirKey(nir13) },
      address: {
        addressLine: `${n} rue Oberkampf`,
        postalCode: '75011',
        communeInsee: '75111',
        communeName: 'Paris 11e Arrondissement',
      },
      contact: { email: `camille.martin${n}@messagerie.example`, phone: `+3363998000${n}` },
    },
    departement: '75',
    educationLevel: '5',
    drivingLicences: ['B'],
    vehicle: n % 2 === 1,
    romeCodes: ['M1805'],
    category: 'A',
    status: 'registered',
    registeredOn: '2026-01-05',
    struckOffOn: null,
    agencyId,
    adviserId: null,
    ...extra,
  };
}

function scenarioPeople(seed: string, orgs: Scenario['orgs'], adviser: (k: string) => string): JobSeeker[] {
  return [
    jobSeeker(seed, 1, orgs.agency, { adviserId: adviser('adviser1') }),
    jobSeeker(seed, 2, orgs.agency, { adviserId: adviser('adviser1'), romeCodes: ['M1805', 'M1607'] }),
    jobSeeker(seed, 3, orgs.agency, { adviserId: adviser('adviser2'), romeCodes: ['G1602'] }),
    jobSeeker(seed, 4, orgs.agency, { status: 'struck_off', struckOffOn: '2026-06-30' }),
    jobSeeker(seed, 5, orgs.agency, {}),
    jobSeeker(seed, 6, orgs.otherAgency, {
      adviserId: adviser('otherAdviser'),
      departement: '69',
      romeCodes: ['M1805'],
    }),
  ];
}

const ACCOUNTS: ReadonlyArray<[keyof Scenario['accounts'], Role, keyof Scenario['orgs'] | null, string]> = [
  ['adviser1', 'adviser', 'agency', 'alice.conseil'],
  ['adviser2', 'adviser', 'agency', 'bruno.conseil'],
  ['otherAdviser', 'adviser', 'otherAgency', 'chloe.conseil'],
  ['trainer', 'trainer', 'training', 'denis.formation'],
  ['otherTrainer', 'trainer', 'otherTraining', 'emma.formation'],
  ['partner', 'partner_adviser', 'capEmploi', 'farid.capemploi'],
  ['recruiter', 'recruiter', 'employer', 'gaelle.recrutement'],
];

async function insertAccounts(
  db: Db,
  keys: KeyringSource,
  seed: string,
  orgs: Scenario['orgs'],
  people: JobSeeker[],
): Promise<Scenario['accounts']> {
  const hash = await scenarioPasswordHash();
  const kindOf = new Map(ORGS.map(([key, kind]) => [key, kind]));
  const accounts: Partial<Scenario['accounts']> = {};
  for (const [key, role, org, name] of ACCOUNTS) {
    const login = `${name}@${seed.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'vigie'}.example`;
    accounts[key] = {
      id: scenarioId(seed, `account/${key}`),
      login,
      role,
      organisationId: org && orgs[org],
      organisationKind: org && (kindOf.get(org) ?? null),
      personId: null,
    };
  }
  for (const [key, person] of [
    ['seeker1', people[0]],
    ['seeker5', people[4]],
  ] as const) {
    if (!person) continue;
    accounts[key] = {
      id: scenarioId(seed, `account/${key}`),
      login: person.sealed.identity.identifier,
      role: 'job_seeker',
      organisationId: null,
      organisationKind: null,
      personId: person.id,
    };
  }
  const all = Object.values(accounts);
  await db
    .insertInto('accounts')
    .values(
      all.map((a) => ({
        id: a.id,
        organisation_id: a.organisationId,
        person_id: a.personId,
        role: a.role,
        login_index: blindIndex(keys, 'login', a.login),
        display_name: a.personId ? null : (a.login.split('@')[0] ?? null),
        email: a.personId ? null : a.login,
        password_hash: hash,
        status: 'active',
        created_by: null,
        approved_by: null,
        created_at: SCENARIO_NOW - 86_400_000,
        last_login_at: null,
        failed_logins: 0,
        locked_until: null,
      })),
    )
    .execute();
  return accounts as Scenario['accounts'];
}

function session(
  id: string,
  organisationId: string,
  title: string,
  rome: string,
  startsOn: string,
  endsOn: string,
  insee: string,
  label: string,
) {
  return {
    id,
    organisation_id: organisationId,
    title,
    rome_codes: rome,
    starts_on: startsOn,
    ends_on: endsOn,
    place_commune_insee: insee,
    place_label: label,
    capacity: 12,
    created_at: SCENARIO_NOW - 86_400_000,
  };
}

async function insertTraining(
  db: Db,
  seed: string,
  orgs: Scenario['orgs'],
  s: Pick<Scenario, 'accounts' | 'people'>,
): Promise<Pick<Scenario, 'sessions' | 'enrolments'>> {
  const sessions = {
    main: scenarioId(seed, 'session/main'),
    other: scenarioId(seed, 'session/other'),
    catalogue: scenarioId(seed, 'session/catalogue'),
    past: scenarioId(seed, 'session/past'),
  };
  await db
    .insertInto('training_sessions')
    .values([
      session(
        sessions.main,
        orgs.training,
        'Développeur web et web mobile',
        'M1805',
        '2026-10-05',
        '2027-03-26',
        '75111',
        'Paris 11e',
      ),
      session(
        sessions.other,
        orgs.otherTraining,
        'Commis de cuisine',
        'G1602',
        '2026-09-07',
        '2026-12-18',
        '69383',
        'Lyon 3e',
      ),
      session(
        sessions.catalogue,
        orgs.training,
        'Secrétaire assistant',
        'M1607,M1805',
        '2027-01-11',
        '2027-06-30',
        '75056',
        'Paris',
      ),
      session(
        sessions.past,
        orgs.training,
        'Développeur web (promotion de février)',
        'M1805',
        '2026-02-02',
        '2026-06-30',
        '75111',
        'Paris 11e',
      ),
    ])
    .execute();
  const enrolments = {
    p1Main: scenarioId(seed, 'enrolment/p1'),
    p2Main: scenarioId(seed, 'enrolment/p2'),
    p3Other: scenarioId(seed, 'enrolment/p3'),
    p4Expired: scenarioId(seed, 'enrolment/p4'),
  };
  const by = s.accounts.adviser1.id;
  const base = {
    prescribed_by: by,
    exited_on: null,
    exit_reason: null,
    visible_until: null,
    created_at: SCENARIO_NOW - 86_400_000,
  };
  await db
    .insertInto('enrolments')
    .values([
      {
        ...base,
        id: enrolments.p1Main,
        session_id: sessions.main,
        person_id: s.people.p1.id,
        organisation_id: orgs.training,
        prescribed_on: '2026-09-15',
        status: 'in_training',
        entered_on: '2026-10-05',
      },
      {
        ...base,
        id: enrolments.p2Main,
        session_id: sessions.main,
        person_id: s.people.p2.id,
        organisation_id: orgs.training,
        prescribed_on: '2026-11-02',
        status: 'prescribed',
        entered_on: null,
      },
      {
        ...base,
        id: enrolments.p3Other,
        session_id: sessions.other,
        person_id: s.people.p3.id,
        organisation_id: orgs.otherTraining,
        prescribed_on: '2026-08-20',
        status: 'in_training',
        entered_on: '2026-09-07',
        prescribed_by: s.accounts.adviser2.id,
      },
      {
        ...base,
        id: enrolments.p4Expired,
        session_id: sessions.past,
        person_id: s.people.p4.id,
        organisation_id: orgs.training,
        prescribed_on: '2026-01-10',
        status: 'completed',
        entered_on: '2026-02-02',
        exited_on: '2026-06-30',
        exit_reason: 'completed_certified',
        visible_until: '2026-09-30',
      },
    ])
    .execute();
  return { sessions, enrolments };
}

/** Builds the scenario on a migrated store. Quick: one password hash per process, a handful of rows. */
export async function buildScenario(db: Db, keys: KeyringSource, seed = 'vigie'): Promise<Scenario> {
  const orgs = await insertOrganisations(db, seed);
  const people = scenarioPeople(seed, orgs, (k) => scenarioId(seed, `account/${k}`));
  await insertPeople(
    db,
    people.map((p) => personRecord(keys, p, SCENARIO_NOW - 86_400_000)),
  );
  const accounts = await insertAccounts(db, keys, seed, orgs, people);
  const named = Object.fromEntries(
    people.map((p, i) => [
      `p${i + 1}`,
      {
        id: p.id,
        identifier: p.sealed.identity.identifier,
        lastName: p.sealed.identity.lastName,
        email: p.sealed.contact.email ?? '',
      },
    ]),
  ) as Scenario['people'];
  await db
    .insertInto('co_managements')
    .values([
      { person_id: named.p2.id, organisation_id: orgs.capEmploi, since: '2026-03-01', until: null },
      { person_id: named.p3.id, organisation_id: orgs.capEmploi, since: '2025-03-01', until: '2026-03-01' },
    ])
    .execute();
  const training = await insertTraining(db, seed, orgs, { accounts, people: named });
  return { orgs, accounts, people: named, ...training };
}

/** The Reader authentication would build for a scenario account (service-level tests). */
export function readerFor(account: ScenarioAccount, requestId: string = randomUUID()): Reader {
  return {
    accountId: account.id,
    role: account.role,
    organisationId: account.organisationId,
    organisationKind: account.organisationKind,
    personId: account.personId,
    sessionRef: 'scenario',
    sourceIp: '127.0.0.1',
    requestId,
    assurance: 'password',
  };
}

export interface OpenScenario {
  store: TestStore;
  ctx: AppContext;
  clock: ReturnType<typeof manualClock>;
  scenario: Scenario;
  dispose(): Promise<void>;
}

/** A fresh store of `dialect`, the scenario on it, and a context whose gate and clock are real. */
export async function openScenario(dialect: DialectName, seed = 'vigie'): Promise<OpenScenario> {
  const store = await openTestStore(dialect);
  const keys = scenarioKeyring();
  const clock = manualClock(SCENARIO_NOW);
  const scenario = await buildScenario(store.db, keys, seed);
  const ctx = { store, keys, clock, gate: createGate({ store, keys, clock }) };
  return { store, ctx, clock, scenario, dispose: () => store.dispose() };
}
