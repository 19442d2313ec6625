/**
 * Fixtures for detection tests: a fresh store with a real gate whose budget step is a real
 * detection instance, a manual clock, and quick ways to create organisations, accounts (rows, no
 * argon2), sessions, enrolled people and past disclosures. No mocks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sessionRefOf } from '../access/sessions.js';
import { createGate } from '../disclosure/gate.js';
import type { Reader } from '../disclosure/reader.js';
import type { Gate } from '../disclosure/types.js';
import { createDetection } from '../detect/detection.js';
import type { Detection, DetectionDeps } from '../detect/detection.js';
import { manualClock } from '../domain/clock.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import type { Db } from '../storage/database.js';
import type { KeyringSource } from '../vault/keyring.js';
import { enrol } from './orgs.js';
import { insertJobSeekers, sampleJobSeeker, testKeyring } from './people.js';
import type { DialectName, TestStore } from './stores.js';
import { openTestStore } from './stores.js';

/** Tuesday 3 March 2026, 10:00 in Paris (UTC+1). */
export const DETECT_START = Date.UTC(2026, 2, 3, 9, 0);
export const DAY = 86_400_000;

export type ManualClock = ReturnType<typeof manualClock>;

export interface DetectionFixture {
  readonly store: TestStore;
  readonly keys: KeyringSource;
  readonly clock: ManualClock;
  readonly detection: Detection;
  readonly gate: Gate;
  dispose(): Promise<void>;
}

export async function openDetectionFixture(
  dialect: DialectName,
  extra: Partial<Omit<DetectionDeps, 'store' | 'clock'>> = {},
): Promise<DetectionFixture> {
  const store = await openTestStore(dialect);
  const keys = testKeyring();
  const clock = manualClock(DETECT_START);
  const errors: unknown[] = [];
  const detection = createDetection({ store, clock, onError: (e) => errors.push(e), ...extra });
  const gate = createGate({ store, keys, clock, budget: detection.hook });
  return {
    store,
    keys,
    clock,
    detection,
    gate,
    dispose: async () => {
      await detection.close();
      await store.dispose();
      if (errors.length > 0) throw new Error(`detection errors: ${errors.map(String).join('; ')}`);
    },
  };
}

export async function addOrganisation(db: Db, kind: OrganisationKind): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('organisations')
    .values({
      id,
      kind,
      name: `Organisation ${kind}`,
      siret: null,
      departement: '75',
      parent_agency_id: null,
      channel_suspended_at: null,
      created_at: 0,
    })
    .execute();
  return id;
}

export interface TestAccount {
  readonly id: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly personId: string | null;
}

export async function addAccount(
  db: Db,
  role: Role,
  organisationId: string | null,
  options: { status?: string; createdAt?: number; personId?: string } = {},
): Promise<TestAccount> {
  const id = randomUUID();
  await db
    .insertInto('accounts')
    .values({
      id,
      organisation_id: organisationId,
      person_id: options.personId ?? null,
      role,
      login_index: randomBytes(16),
      display_name: 'Agent',
      email: null,
      password_hash: 'x',
      status: options.status ?? 'active',
      created_by: null,
      approved_by: null,
      created_at: options.createdAt ?? DETECT_START - 400 * DAY,
      last_login_at: null,
      failed_logins: 0,
      locked_until: null,
    })
    .execute();
  return { id, role, organisationId, personId: options.personId ?? null };
}

/** A session row opened at `at` from `ip` with `userAgent`; returns its reference. */
export async function addSession(
  db: Db,
  accountId: string,
  at: number,
  ip: string,
  userAgent = 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0',
): Promise<string> {
  const idHash = randomBytes(32);
  await db
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      account_id: accountId,
      created_at: at,
      last_seen_at: at,
      expires_at: at + 12 * 3_600_000,
      source_ip: ip,
      user_agent: userAgent,
      assurance: 'password',
      revoked_at: null,
    })
    .execute();
  return sessionRefOf(idHash);
}

export function readerOf(account: TestAccount, extra: Partial<Reader> = {}): Reader {
  return {
    accountId: account.id,
    role: account.role,
    organisationId: account.organisationId,
    organisationKind: null,
    personId: account.personId,
    sessionRef: null,
    sourceIp: '10.0.0.1',
    requestId: randomUUID(),
    assurance: 'password',
    ...extra,
  };
}

/** `n` people of `agencyId`, sealed through the vault; enrolled at `trainingOrg` when given. */
export async function addPeople(
  f: Pick<DetectionFixture, 'store' | 'keys'>,
  agencyId: string,
  n: number,
  options: { trainingOrg?: string; adviserId?: string } = {},
): Promise<string[]> {
  const people = Array.from({ length: n }, () =>
    sampleJobSeeker(agencyId, options.adviserId ? { adviserId: options.adviserId } : {}),
  );
  await insertJobSeekers(f.store.db, f.keys, people, DETECT_START - 30 * DAY);
  if (options.trainingOrg) for (const p of people) await enrol(f.store.db, options.trainingOrg, p.id, 'adviser');
  return people.map((p) => p.id);
}

/** Past disclosure rows (a reader's history), inserted directly: `perDay[i]` distinct people on day i before `until`. */
export async function addHistory(
  db: Db,
  readerId: string,
  people: readonly string[],
  perDay: readonly number[],
  until: number,
  fields = 'identifier,lastName',
): Promise<void> {
  const rows = perDay.flatMap((n, i) =>
    Array.from({ length: n }, (_, j) => ({
      at: until - (perDay.length - i) * DAY + 3_600_000 + j * 1_000,
      request_id: randomUUID(),
      reader_id: readerId,
      session_ref: null,
      organisation_id: null,
      person_id: people[j % people.length] ?? 'nobody',
      purpose: 'training_followup',
      fields,
      reason: null,
      source_ip: null,
      leaf_hash: randomBytes(32),
    })),
  );
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('disclosures')
      .values(rows.slice(i, i + 500))
      .execute();
}

export const errorOf = async (
  p: Promise<unknown>,
): Promise<{ code: string; details?: Record<string, unknown> } | null> => {
  try {
    await p;
    return null;
  } catch (e) {
    const err = e as { code?: string; details?: Record<string, unknown> };
    return { code: err.code ?? String(e), ...(err.details ? { details: err.details } : {}) };
  }
};
