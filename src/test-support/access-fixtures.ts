/**
 * Fixtures for access and HTTP tests: a fresh store with a keyring, a manual clock and a config, and
 * quick ways to create an organisation and an account. Real components throughout (no mocks).
 */
import { randomUUID } from 'node:crypto';
import type { AccessDeps } from '../access/access-deps.js';
import type { Account } from '../access/accounts.js';
import { createStaffAccount } from '../access/accounts.js';
import type { Config, ConfigOverrides } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import { manualClock } from '../domain/clock.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import type { Db } from '../storage/database.js';
import type { Keyring } from '../vault/keyring.js';
import { keyringFromDocument, newKeyDocument } from '../vault/keyring.js';
import type { DialectName, TestStore } from './stores.js';
import { openTestStore } from './stores.js';
import { insertRaisedAlert } from '../detect/alerts.js';

export const TEST_START = Date.UTC(2026, 2, 2, 8, 0); // a Monday morning, 09:00 in Paris

export type ManualClock = ReturnType<typeof manualClock>;

export interface AccessFixture {
  readonly store: TestStore;
  readonly keys: Keyring;
  readonly clock: ManualClock;
  readonly config: Config;
  readonly access: AccessDeps;
  dispose(): Promise<void>;
}

/** A config for tests: silent logs, plain-http cookies, no environment read. */
export const testConfig = (overrides: ConfigOverrides = {}): Config =>
  loadConfig({}, { dataDir: '/nonexistent/vigie-test', logLevel: 'silent', cookieSecure: false, ...overrides });

export const testKeyring = (): Keyring => keyringFromDocument(newKeyDocument());

export async function openAccessFixture(dialect: DialectName, overrides: ConfigOverrides = {}): Promise<AccessFixture> {
  const store = await openTestStore(dialect);
  const keys = testKeyring();
  const clock = manualClock(TEST_START);
  const config = testConfig(overrides);
  const access: AccessDeps = { db: store.db, keys, clock, session: config.session, alerts: insertRaisedAlert };
  return { store, keys, clock, config, access, dispose: () => store.dispose() };
}

export async function createOrganisation(
  db: Db,
  kind: OrganisationKind,
  name = `Organisation ${kind}`,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('organisations')
    .values({
      id,
      kind,
      name,
      siret: null,
      departement: '75',
      parent_agency_id: null,
      channel_suspended_at: null,
      created_at: TEST_START,
    })
    .execute();
  return id;
}

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestAccount {
  readonly account: Account;
  readonly login: string;
  readonly password: string;
}

let counter = 0;

/** A staff account created by the system (status active), with a unique e-mail login. */
export async function createTestAccount(
  access: AccessDeps,
  input: { organisationId: string; role: Role; password?: string; email?: string },
): Promise<TestAccount> {
  const login = input.email ?? `agent${++counter}.${randomUUID().slice(0, 8)}@example.fr`;
  const password = input.password ?? TEST_PASSWORD;
  const account = await createStaffAccount(access, 'system', {
    organisationId: input.organisationId,
    role: input.role,
    email: login,
    displayName: `Agent ${counter}`,
    password,
  });
  return { account, login, password };
}

/** An organisation of `kind` and one account of `role` in it. */
export async function createOrgWithAccount(
  access: AccessDeps,
  kind: OrganisationKind,
  role: Role,
): Promise<TestAccount & { organisationId: string }> {
  const organisationId = await createOrganisation(access.db, kind);
  return { organisationId, ...(await createTestAccount(access, { organisationId, role })) };
}
