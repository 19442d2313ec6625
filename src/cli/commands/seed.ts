/**
 * `vigie seed --people N --seed S`: writes the synthetic population (src/sim/seed) into an empty
 * database, with a progress bar on standard error. Sealing runs on every core (worker threads)
 * when run from the build. `--json` prints {"people":…,"seconds":…,"people_per_s":…} on stdout.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { systemClock } from '../../domain/clock.js';
import { sealingWorkersAvailable } from '../../sim/seed/chunk-source.js';
import type { SeedPhase, SeedReport } from '../../sim/seed/seed-population.js';
import { seedPopulation } from '../../sim/seed/seed-population.js';
import type { Store } from '../../storage/database.js';
import { keysOf, withStore } from '../app-context.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { writeSeedRecord } from '../seed-record.js';
import type { StoreOptions } from '../store-options.js';
import { configOf, integerAtLeast, positiveInteger, withStoreOptions } from '../store-options.js';

export const DEFAULT_SEED = 'demo';
export const DEMO_PEOPLE = 20_000;

export interface SeedCommandOptions {
  readonly people: number;
  readonly seed: string;
  readonly json?: boolean;
  /** Sealing threads; default: one per core when running from the build, else none. */
  readonly workers?: number;
}

const number = new Intl.NumberFormat('fr-FR');
const defaultWorkers = (): number => (sealingWorkersAvailable() ? availableParallelism() : 0);

/** Seeds into `store` with progress bars, and records the parameters for `vigie demo`. */
export async function seedInto(
  store: Store,
  config: Config,
  io: CliIo,
  options: SeedCommandOptions,
  keys = keysOf(config),
): Promise<SeedReport> {
  const bars: Record<SeedPhase, ProgressBar> = {
    people: new ProgressBar(io, 'Population'),
    indexes: new ProgressBar(io, 'Index     '),
  };
  let phase: SeedPhase = 'people';
  const onProgress = (p: { phase: SeedPhase; done: number; total: number }): void => {
    if (p.phase !== phase) bars[phase].finish();
    phase = p.phase;
    bars[p.phase].update(p.done, p.total);
  };
  const ctx = { store, keys, clock: systemClock };
  try {
    const report = await seedPopulation(ctx, {
      people: options.people,
      seed: options.seed,
      workers: options.workers ?? defaultWorkers(),
      keysAt: config.keys,
      onProgress,
    });
    writeSeedRecord(config, { people: options.people, seed: options.seed, now: report.now });
    return report;
  } finally {
    bars[phase].finish();
  }
}

export function summary(report: SeedReport): string[] {
  const n = (v: number): string => number.format(v);
  return [
    `Population installée : ${n(report.people)} personnes en ${report.seconds.toFixed(1).replace('.', ',')} s (${n(Math.round(report.peoplePerSecond))} personnes/s).`,
    `  ${n(report.organisations)} organisations, ${n(report.staffAccounts)} comptes d’agents, ${n(report.sessions)} sessions de formation ;`,
    `  ${n(report.enrolments)} inscriptions en formation (${n(report.followups)} événements de suivi), ${n(report.coManagements)} cotraitances ;`,
    `  ${n(report.jobSeekerAccounts)} comptes de demandeurs d’emploi, ${n(report.contactRequests)} mises en relation.`,
  ];
}

export async function seedCommand(config: Config, io: CliIo, options: SeedCommandOptions): Promise<SeedReport> {
  const keys = keysOf(config); // a missing key file is reported before the database is touched
  const report = await withStore(config, (store) => seedInto(store, config, io, options, keys));
  for (const line of summary(report)) (options.json ? io.err : io.out)(line);
  if (options.json)
    io.out(
      JSON.stringify({
        people: report.people,
        seconds: Number(report.seconds.toFixed(3)),
        people_per_s: Math.round(report.peoplePerSecond),
      }),
    );
  return report;
}

interface SeedFlags extends StoreOptions {
  readonly people: number;
  readonly seed: string;
  readonly json?: boolean;
  readonly workers?: number;
}

export function registerSeed(program: Command, io: CliIo): void {
  withStoreOptions(
    program
      .command('seed')
      .description('installe une population synthétique dans une base vide (refuse une base non vide)'),
  )
    .option('--people <nombre>', 'nombre de demandeurs d’emploi', positiveInteger('--people'), DEMO_PEOPLE)
    .option('--seed <graine>', 'graine : même graine et même nombre, même population', DEFAULT_SEED)
    .option(
      '--workers <nombre>',
      'fils de chiffrement, 0 pour chiffrer dans le fil principal (défaut : un par cœur)',
      integerAtLeast('--workers', 0),
    )
    .option('--json', 'affiche la mesure en JSON : {"people":…,"seconds":…,"people_per_s":…}')
    .action(async (flags: SeedFlags) => void (await seedCommand(configOf(io, flags), io, flags)));
}
