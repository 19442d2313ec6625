/**
 * A small world for incident-response tests: an agency, a training organisation with two trainer
 * accounts, a Cap emploi with a partner adviser, a security officer, and `people` job seekers
 * enrolled at the training organisation and co-managed by Cap emploi. The gate is real; its budget
 * step masks a chosen share of requests (a masked answer delivers no identifying field).
 */
import { randomUUID } from 'node:crypto';
import { manualClock } from '../domain/clock.js';
import type { Clock } from '../domain/clock.js';
import { createGate } from '../disclosure/gate.js';
import type { Gate } from '../disclosure/types.js';
import type { BudgetHook } from '../detect/budget.js';
import type { RespondDeps } from '../respond/respond-deps.js';
import { advanceDisclosureLogHead } from '../services/log-heads.js';
import type { KeyringSource } from '../vault/keyring.js';
import type { TestAccount } from './detection-fixtures.js';
import { addAccount, addOrganisation, addPeople } from './detection-fixtures.js';
import { keyringFromDocument, newKeyDocument } from '../vault/keyring.js';
import type { KeyDocument } from '../vault/keyring.js';
import type { DialectName, TestStore } from './stores.js';
import { openTestStore } from './stores.js';

export const RESPOND_START = Date.UTC(2026, 5, 1, 8, 0); // Monday 1 June 2026, 10:00 in Paris
export const HOUR = 3_600_000;

export interface RespondWorld {
  readonly store: TestStore;
  readonly keys: KeyringSource;
  /** The key document behind `keys` (a worker process builds the same keyring from it). */
  readonly keyDocument: KeyDocument;
  readonly clock: ReturnType<typeof manualClock>;
  readonly gate: Gate;
  readonly deps: RespondDeps;
  readonly orgs: { agency: string; training: string; capEmploi: string; national: string };
  readonly accounts: { trainer1: TestAccount; trainer2: TestAccount; partner: TestAccount; officer: TestAccount };
  readonly people: readonly string[];
  /** Share of requests the budget step masks (0 to 1); change it between requests. */
  maskShare: number;
  dispose(): Promise<void>;
}

/** A deterministic PRNG (mulberry32) for reproducible random sequences. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const respondDepsOf = (store: TestStore, keys: KeyringSource, clock: Clock): RespondDeps => ({
  store,
  clock,
  sealHead: () => advanceDisclosureLogHead({ store, keys, clock }),
});

export async function openRespondWorld(dialect: DialectName, people = 40, seed = 1): Promise<RespondWorld> {
  const store = await openTestStore(dialect);
  const keyDocument = newKeyDocument();
  const keys = keyringFromDocument(keyDocument);
  const clock = manualClock(RESPOND_START);
  const random = seeded(seed);
  const orgs = {
    agency: await addOrganisation(store.db, 'agency'),
    training: await addOrganisation(store.db, 'training'),
    capEmploi: await addOrganisation(store.db, 'cap_emploi'),
    national: await addOrganisation(store.db, 'national'),
  };
  const accounts = {
    trainer1: await addAccount(store.db, 'trainer', orgs.training),
    trainer2: await addAccount(store.db, 'trainer', orgs.training),
    partner: await addAccount(store.db, 'partner_adviser', orgs.capEmploi),
    officer: await addAccount(store.db, 'security_officer', orgs.national),
  };
  const ids = await addPeople({ store, keys }, orgs.agency, people, { trainingOrg: orgs.training });
  await store.db
    .insertInto('co_managements')
    .values(ids.map((id) => ({ person_id: id, organisation_id: orgs.capEmploi, since: '2026-01-01', until: null })))
    .execute();
  const world: RespondWorld = {
    store,
    keys,
    keyDocument,
    clock,
    gate: undefined as unknown as Gate,
    deps: respondDepsOf(store, keys, clock),
    orgs,
    accounts,
    people: ids,
    maskShare: 0,
    dispose: () => store.dispose(),
  };
  const budget: BudgetHook = {
    assess: async () => (random() < world.maskShare ? { action: 'mask', why: 'test' } : { action: 'allow' }),
  };
  return Object.assign(world, { gate: createGate({ store, keys, clock, budget }) });
}

/** A random id for request ids and session references. */
export const rid = (): string => randomUUID();
