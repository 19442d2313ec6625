/**
 * What every simulated actor shares in one scenario run: the store (a copy of the seeded snapshot),
 * the real gate with the defence's budget step, the use cases' context, the access deps that open
 * and resolve sessions, and the simulated clock.
 */
import type { AccessDeps } from '../../access/access-deps.js';
import { loadConfig } from '../../config/config.js';
import type { manualClock } from '../../domain/clock.js';
import { createGate } from '../../disclosure/gate.js';
import type { ServiceContext } from '../../services/service-context.js';
import type { Store } from '../../storage/database.js';
import type { KeyringSource } from '../../vault/keyring.js';
import { Agenda } from './agenda.js';
import type { Reader } from '../../disclosure/reader.js';
import type { Defence, ListingFacts } from './types.js';
import { insertRaisedAlert } from '../../detect/alerts.js';

export type SimClock = ReturnType<typeof manualClock>;

/** Requests of legitimate users and of the attacker carry distinct ids, so the log tells them apart. */
export const LEGIT_PREFIX = 'sim-l-';
export const ATTACK_PREFIX = 'sim-a-';

export interface SimEnv {
  readonly store: Store;
  readonly keys: KeyringSource;
  readonly clock: SimClock;
  readonly ctx: ServiceContext;
  readonly access: AccessDeps;
  readonly agenda: Agenda;
  readonly defence: Defence;
  readonly seed: string;
  nextRequestId(prefix: string): string;
  /** What the HTTP layer reports to detection of a list page (page from 1). */
  listed(
    reader: Reader,
    kind: string,
    page: { readonly page: number; readonly pageSize: number; readonly total: number },
    facts?: ListingFacts,
  ): void;
}

export function createEnv(store: Store, keys: KeyringSource, clock: SimClock, defence: Defence, seed: string): SimEnv {
  const gate = createGate({ store, keys, clock, budget: defence.budget });
  const config = loadConfig({}, { dataDir: '/nonexistent-vigie-sim' });
  let n = 0;
  return {
    store,
    keys,
    clock,
    defence,
    seed,
    ctx: { store, keys, clock, gate },
    access: { db: store.db, keys, clock, session: config.session, alerts: insertRaisedAlert },
    agenda: new Agenda(),
    nextRequestId: (prefix) => `${prefix}${(n++).toString(36)}`,
    listed: (reader, kind, p, facts = {}) =>
      defence.recordListing?.(reader, kind, p.page, {
        ...facts,
        pageCount: Math.max(1, Math.ceil(p.total / p.pageSize)),
      }),
  };
}
