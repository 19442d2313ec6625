/**
 * Canaries in the simulated population, planted once in the seeded snapshot through the real
 * planting service (services/canaries.ts): one per agency (in no adviser's portfolio) and per
 * training organisation (a finished session still visible). Bulk reading of an agency or of every
 * trainee reaches them; legitimate
 * work never asks for them (population.ts leaves them out of what the personas pick from, as no
 * real job seeker calls about a person who does not exist). No canary among a partner's co-managed
 * files: their list pages, which real work reads, would show it. Ids come from the seed.
 */
import type { Clock } from '../../domain/clock.js';
import { isAppError } from '../../domain/errors.js';
import { createGate } from '../../disclosure/gate.js';
import type { CanaryTarget } from '../../services/canaries.js';
import { plantCanaries } from '../../services/canaries.js';
import type { Db, Store } from '../../storage/database.js';
import type { KeyringSource } from '../../vault/keyring.js';
import { createRng } from '../population/rng.js';
import type { Rng } from '../population/rng.js';

/** A version-4-shaped UUID drawn from the seeded generator. */
function uuidFrom(rng: Rng): string {
  const hex = Array.from({ length: 4 }, () => rng.nextUint32().toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function targets(db: Db): Promise<CanaryTarget[]> {
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'kind'])
    .where('kind', 'in', ['agency', 'training'])
    .orderBy('id')
    .execute();
  return orgs.map((o): CanaryTarget =>
    o.kind === 'agency'
      ? { placement: 'agency', organisationId: o.id }
      : { placement: 'training', organisationId: o.id },
  );
}

/** Plants the population's canaries; returns how many were planted (organisations with nowhere to place one are skipped). */
export async function plantPopulationCanaries(
  store: Store,
  keys: KeyringSource,
  clock: Clock,
  seed: string,
): Promise<number> {
  const ctx = { store, keys, clock, gate: createGate({ store, keys, clock }) };
  const rng = createRng(`${seed}/canaries`);
  const ids = createRng(`${seed}/canary-ids`);
  let planted = 0;
  for (const target of await targets(store.db)) {
    try {
      planted += (await plantCanaries(ctx, [target], rng, () => uuidFrom(ids))).length;
    } catch (e) {
      if (!isAppError(e) || !e.code.startsWith('CANARY.')) throw e; // e.g. no finished session still visible
    }
  }
  return planted;
}

/** Every canary of the population. */
export async function canaryIds(db: Db): Promise<ReadonlySet<string>> {
  return new Set((await db.selectFrom('canaries').select('person_id').execute()).map((r) => r.person_id));
}

export interface CanaryFigures {
  readonly canaries_planted: number;
  /** Canaries whose identifying fields reached the attacker. */
  readonly canary_disclosures: number;
  /** Canaries the attacker asked for (disclosed, masked, or refused by the canary rule). */
  readonly canaries_reached: number;
  /** Every canary reached was followed by a containment of the credential that reached it (null: none reached). */
  readonly canaries_contained: boolean | null;
}

/** The canary figures of an attack, from the disclosure log, the decisions and the containments. */
export async function canaryFigures(
  db: Db,
  accounts: readonly string[],
  since: number,
  exposed: ReadonlySet<string>,
): Promise<CanaryFigures> {
  const canaries = await canaryIds(db);
  const none = {
    canaries_planted: canaries.size,
    canary_disclosures: 0,
    canaries_reached: 0,
    canaries_contained: null,
  };
  if (canaries.size === 0 || accounts.length === 0) return none;
  const rows = await db
    .selectFrom('disclosures')
    .select(['person_id', 'reader_id', 'at'])
    .where('reader_id', 'in', [...accounts])
    .where('at', '>=', since)
    .where('request_id', 'like', 'sim-a-%')
    .execute();
  const reached = new Map<string, { account: string; at: number }>();
  for (const r of rows)
    if (canaries.has(r.person_id) && !reached.has(r.person_id))
      reached.set(r.person_id, { account: r.reader_id, at: r.at });
  const decisions = await db
    .selectFrom('detection_decisions')
    .select(['account_id', 'at', 'details'])
    .where('account_id', 'in', [...accounts])
    .where('rule', '=', 'canary')
    .where('at', '>=', since)
    .execute();
  for (const d of decisions) {
    const personId = (JSON.parse(d.details) as { canary?: { personId?: string } }).canary?.personId;
    if (personId && !reached.has(personId)) reached.set(personId, { account: d.account_id, at: d.at });
  }
  if (reached.size === 0) return none;
  const containments = await db
    .selectFrom('containments')
    .select(['account_id', 'at'])
    .where('account_id', 'in', [...accounts])
    .execute();
  const contained = [...reached.values()].every((r) =>
    containments.some((c) => c.account_id === r.account && c.at >= r.at),
  );
  return {
    canaries_planted: canaries.size,
    canary_disclosures: [...exposed].filter((p) => canaries.has(p)).length,
    canaries_reached: reached.size,
    canaries_contained: contained,
  };
}
