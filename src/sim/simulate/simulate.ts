/**
 * `vigie simulate`: seeds the population once into a temporary SQLite file, snapshots it, and runs
 * every requested scenario and variant on its own copy of the snapshot, with the defence under
 * test. The legitimate figures are summed over the runs.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { manualClock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { openStore, removeSqliteFiles } from '../../storage/database.js';
import { keyringFromDocument, newKeyDocument, serializeKeyDocument } from '../../vault/keyring.js';
import type { KeyringSource } from '../../vault/keyring.js';
import { sealingWorkersAvailable } from '../seed/chunk-source.js';
import { seedPopulation } from '../seed/seed-population.js';
import { DEFENCES } from './defences.js';
import { runInPool, scenarioWorkersAvailable } from './scenario-pool.js';
import { plantPopulationCanaries } from './canaries.js';
import { runScenario, simStart } from './run-scenario.js';
import type { LegitFigures, ScenarioResult, SimulateOptions, SimulationReport } from './types.js';

export const MAX_DAYS = 366;

function check(options: SimulateOptions): void {
  if (!Number.isInteger(options.days) || options.days < 2 || options.days > MAX_DAYS) {
    throw invalid('SIMULATE.INVALID_DAYS', `La durée simulée (--days) doit être un entier entre 2 et ${MAX_DAYS}.`);
  }
  if (options.scenarios.length === 0 || options.variants.length === 0)
    throw invalid('SIMULATE.NOTHING_TO_RUN', 'Aucun scénario à simuler.');
}

/** A seeded population on disk, and the keys its people are sealed with; copied for each run. */
export interface Snapshot {
  readonly dir: string;
  readonly file: string;
  readonly keys: KeyringSource;
  /** The keys as a key document's text, for the scenario threads. */
  readonly keyText: string;
  readonly seconds: number;
  /** A fresh copy of the snapshot for one run. */
  copy(n: number): string;
  /** Where copy `n` is (to remove it). */
  copyPath(n: number): string;
  dispose(): void;
}

export async function seedSnapshot(
  people: number,
  seed: string,
  onProgress?: SimulateOptions['onProgress'],
  workers = sealingWorkersAvailable() ? availableParallelism() : 0,
): Promise<Snapshot> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'vigie-sim-'));
  const doc = newKeyDocument();
  const keys = keyringFromDocument(doc);
  const keyText = serializeKeyDocument(doc);
  const file = join(dir, 'seed.db');
  const store = openStore(file);
  try {
    await store.migrate();
    const progress = (p: { phase: string; done: number; total: number }) =>
      onProgress?.({ phase: 'seed', label: `seed ${p.phase}`, done: p.done, total: p.total });
    const clock = manualClock(simStart());
    await seedPopulation(
      { store, keys, clock },
      { people, seed, onProgress: progress, workers, keysAt: { text: keyText } },
    );
    await plantPopulationCanaries(store, keys, clock, seed);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    await store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    dir,
    file,
    keys,
    keyText,
    seconds,
    copy: (n) => copyOf(file, dir, n),
    copyPath: (n) => join(dir, `run-${n}.db`),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function copyOf(snapshot: string, dir: string, n: number): string {
  const file = join(dir, `run-${n}.db`);
  copyFileSync(snapshot, file);
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(snapshot + suffix)) copyFileSync(snapshot + suffix, file + suffix);
  return file;
}

function mergeCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export function sumLegit(results: readonly ScenarioResult[]): LegitFigures {
  const zero: LegitFigures = {
    accounts: 0,
    account_days: 0,
    requests: 0,
    step_ups: 0,
    slow_downs: 0,
    hard_blocks: 0,
    collateral_blocks: 0,
    errors: 0,
    canaries_reached: 0,
    blocks: {},
  };
  return results.reduce<LegitFigures>(
    (sum, r) => ({
      accounts: sum.accounts + r.legitimate.accounts,
      account_days: sum.account_days + r.legitimate.account_days,
      requests: sum.requests + r.legitimate.requests,
      step_ups: sum.step_ups + r.legitimate.step_ups,
      slow_downs: sum.slow_downs + r.legitimate.slow_downs,
      hard_blocks: sum.hard_blocks + r.legitimate.hard_blocks,
      collateral_blocks: sum.collateral_blocks + r.legitimate.collateral_blocks,
      errors: sum.errors + r.legitimate.errors,
      canaries_reached: sum.canaries_reached + r.legitimate.canaries_reached,
      blocks: mergeCounts(sum.blocks, r.legitimate.blocks),
    }),
    zero,
  );
}

/** The name of a defence factory among DEFENCES (threads rebuild the defence from its name). */
const defenceName = (factory: SimulateOptions['defence']): string | undefined =>
  Object.entries(DEFENCES).find(([, f]) => f === factory)?.[0];

/**
 * Runs every scenario and variant of `options` on copies of `snapshot`: over `options.threads`
 * scenario threads when the compiled worker exists and the defence is a named one (the figures are
 * the same: runs share nothing), else one after the other in this thread.
 */
export async function runAll(
  snapshot: Snapshot,
  options: SimulateOptions,
): Promise<{ results: ScenarioResult[]; defence: string }> {
  const runs = options.scenarios.flatMap((name) => options.variants.map((variant) => ({ name, variant })));
  const threads = Math.min(runs.length, options.threads ?? 1);
  const named = defenceName(options.defence);
  if (threads > 1 && named !== undefined && scenarioWorkersAvailable()) {
    return runInPool({
      snapshot,
      runs,
      threads,
      defence: named,
      days: options.days,
      seed: options.seed,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  return runHere(snapshot, options);
}

async function runHere(
  snapshot: Snapshot,
  options: SimulateOptions,
): Promise<{ results: ScenarioResult[]; defence: string }> {
  const results: ScenarioResult[] = [];
  let defence = '';
  const recorded: SimulateOptions['defence'] = async (deps) => {
    const d = await options.defence(deps);
    defence = d.name;
    return d;
  };
  for (const name of options.scenarios) {
    for (const variant of options.variants) {
      const file = snapshot.copy(results.length);
      const progress = options.onProgress ? { onProgress: options.onProgress } : {};
      results.push(
        await runScenario({
          file,
          keys: snapshot.keys,
          name,
          variant,
          days: options.days,
          seed: options.seed,
          defence: recorded,
          ...progress,
        }),
      );
      removeSqliteFiles(file);
    }
  }
  return { results, defence };
}

const round = (s: number): number => Math.round(s * 10) / 10;

export async function simulate(options: SimulateOptions): Promise<SimulationReport> {
  check(options);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const snapshot = await seedSnapshot(options.people, options.seed, options.onProgress, options.workers);
  try {
    const { results, defence } = await runAll(snapshot, {
      ...options,
      threads: options.threads ?? availableParallelism(),
    });
    const seconds = round((performance.now() - started) / 1000);
    const used = process.cpuUsage(cpu);
    const cpu_seconds = round((used.user + used.system) / 1e6);
    return {
      scenarios: results,
      legitimate: sumLegit(results),
      defence,
      people: options.people,
      days: options.days,
      seed: options.seed,
      seconds,
      cpu_seconds,
      seed_seconds: round(snapshot.seconds),
    };
  } finally {
    snapshot.dispose();
  }
}
