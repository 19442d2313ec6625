/**
 * Seeds a synthetic population into an empty database, deterministically for (people, seed, now):
 * the plan (organisations, staff, sessions) first, then people in chunks generated and sealed in
 * this thread or in worker threads, written in large transactions with the secondary indexes
 * suspended, then the indexes rebuilt. Identifying fields are sealed with `personRecord`, exactly
 * as the registration path seals them. See plan.ts and people-chunk.ts for what is generated.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../domain/clock.js';
import { AppError, conflict, invalid } from '../../domain/errors.js';
import type { Store } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';
import type { KeyringLocation } from '../../vault/key-file.js';
import type { KeyringSource } from '../../vault/keyring.js';
import { BulkInserter } from './bulk-insert.js';
import { fromWorkers, inThisThread } from './chunk-source.js';
import type { DemoLogin } from './demo-credentials.js';
import { demoLogins, hashDemoPasswords } from './demo-credentials.js';
import { IDENTIFIER_SPACE } from './ids.js';
import { restoreIndexes, suspendIndexes } from './index-suspension.js';
import type { ChunkRows } from './people-chunk.js';
import { chunkContext, chunkCount, CHUNK_SIZE } from './people-chunk.js';
import { buildPlan } from './plan.js';
import type { SeedPlan } from './plan-types.js';
import type { PopulationCounts } from './population-writer.js';
import { PopulationWriter } from './population-writer.js';
import { fitSessionCapacities } from './session-capacity.js';
import { writePlan } from './write-plan.js';

export interface SeedContext {
  readonly store: Store;
  readonly keys: KeyringSource;
  readonly clock: Clock;
}

export type SeedPhase = 'people' | 'indexes';

export interface SeedProgress {
  readonly phase: SeedPhase;
  readonly done: number;
  readonly total: number;
}

export interface SeedOptions {
  readonly people: number;
  readonly seed: string;
  readonly onProgress?: (progress: SeedProgress) => void;
  /** Sealing threads (0: this thread). Workers load the keys from `keysAt`, which must hold ctx.keys. */
  readonly workers?: number;
  readonly keysAt?: KeyringLocation;
}

export interface SeedReport extends PopulationCounts {
  /** The population's "now" (epoch ms): with people and seed, all it takes to plan it again. */
  readonly now: number;
  readonly organisations: number;
  readonly staffAccounts: number;
  readonly sessions: number;
  readonly seconds: number;
  readonly peoplePerSecond: number;
  readonly logins: readonly DemoLogin[];
}

const SEEDED_TABLES: readonly (keyof Database)[] = [
  'accounts',
  'training_sessions',
  'people',
  'person_rome',
  'co_managements',
  'enrolments',
  'followup_events',
  'contact_requests',
];

function checkOptions(options: SeedOptions): void {
  if (!Number.isInteger(options.people) || options.people < 1 || options.people > IDENTIFIER_SPACE) {
    throw invalid('SEED.INVALID_SIZE', `Le nombre de personnes doit être un entier entre 1 et ${IDENTIFIER_SPACE}.`);
  }
  if (options.seed.trim() === '') throw invalid('SEED.INVALID_SEED', 'La graine (--seed) ne peut pas être vide.');
  if ((options.workers ?? 0) > 0 && options.keysAt === undefined) {
    throw new AppError(
      'SEED.WORKERS_NEED_KEYS',
      'internal',
      'Les fils de chiffrement ont besoin de l’emplacement des clés.',
    );
  }
}

/** Seeding is for an empty database: it never mixes a synthetic population with real files. */
async function assertEmpty(store: Store): Promise<void> {
  const organisation = await store.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  const person = await store.db.selectFrom('people').select('id').limit(1).executeTakeFirst();
  if (organisation || person) {
    throw conflict(
      'SEED.NOT_EMPTY',
      'La base contient déjà des données : une population synthétique ne s’installe que dans une base vide (autre --db, ou autre --data-dir).',
    );
  }
}

function chunkStream(
  ctx: SeedContext,
  options: SeedOptions,
  plan: SeedPlan,
  jobSeekerPasswordHash: string,
): AsyncGenerator<ChunkRows> {
  const count = chunkCount(plan.people);
  const workers = options.workers ?? 0;
  if (workers > 0 && options.keysAt)
    return fromWorkers({ plan, keys: options.keysAt, jobSeekerPasswordHash }, workers, count);
  return inThisThread(chunkContext(plan, ctx.keys, jobSeekerPasswordHash), count);
}

async function writePeople(
  ctx: SeedContext,
  options: SeedOptions,
  plan: SeedPlan,
  writer: PopulationWriter,
  hash: string,
): Promise<void> {
  let done = 0;
  options.onProgress?.({ phase: 'people', done, total: plan.people });
  for await (const chunk of chunkStream(ctx, options, plan, hash)) {
    await writer.add(chunk);
    done += chunk.people.length;
    if (done % (10 * CHUNK_SIZE) === 0 || done === plan.people)
      options.onProgress?.({ phase: 'people', done, total: plan.people });
  }
  await writer.flush();
}

/** Seeds `options.people` people for `options.seed` into the empty store of `ctx`. */
export async function seedPopulation(ctx: SeedContext, options: SeedOptions): Promise<SeedReport> {
  checkOptions(options);
  const started = performance.now();
  await assertEmpty(ctx.store);
  const plan = buildPlan(options.people, options.seed, ctx.clock.now());
  const hashes = await hashDemoPasswords();
  const inserter = new BulkInserter(ctx.store.db);
  const writer = new PopulationWriter(ctx.store, inserter);
  const indexes = await suspendIndexes(ctx.store, SEEDED_TABLES);
  let planCounts;
  try {
    planCounts = await ctx.store.db.transaction().execute((tx) => writePlan(tx, inserter, plan, ctx.keys, hashes));
    await writePeople(ctx, options, plan, writer, hashes.job_seeker);
  } finally {
    const total = indexes.length;
    options.onProgress?.({ phase: 'indexes', done: 0, total });
    await restoreIndexes(ctx.store, indexes, (done) => options.onProgress?.({ phase: 'indexes', done, total }));
  }
  await fitSessionCapacities(ctx.store.db);
  const seconds = (performance.now() - started) / 1000;
  return {
    ...writer.counts,
    now: plan.now,
    organisations: planCounts.organisations,
    staffAccounts: planCounts.staff,
    sessions: planCounts.sessions,
    seconds,
    peoplePerSecond: writer.counts.people / seconds,
    logins: demoLogins(plan),
  };
}
