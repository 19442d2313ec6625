/**
 * `vigie simulate`: the attack scenarios of THREATS.md inside a synthetic population with its
 * legitimate traffic, against the detection (default) or no defence (`--defence none`, the figures
 * of an undefended platform). A progress bar on standard error; `--json` prints the report.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DEFENCES } from '../../sim/simulate/defences.js';
import { checkGoals } from '../../sim/simulate/goals.js';
import { simulate } from '../../sim/simulate/simulate.js';
import type { Progress, ScenarioName, SimulationReport, Variant } from '../../sim/simulate/types.js';
import { isScenario, SCENARIOS, VARIANTS } from '../../sim/simulate/types.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { integerAtLeast, positiveInteger } from '../store-options.js';

interface SimulateCliOptions {
  readonly scenario: readonly ScenarioName[];
  readonly variant: readonly Variant[];
  readonly people: number;
  readonly days: number;
  readonly seed: string;
  readonly defence: string;
  readonly json?: boolean;
}

/** A scenario by name or number (1–8 of THREATS.md), or `all`. */
function scenarios(value: string): readonly ScenarioName[] {
  if (value === 'all') return SCENARIOS;
  const byNumber = SCENARIOS[Number(value) - 1];
  if (/^[1-8]$/.test(value) && byNumber) return [byNumber];
  if (isScenario(value)) return [value];
  throw new InvalidArgumentError(`scénario inconnu : ${SCENARIOS.join(', ')}, un numéro de 1 à 8, ou all.`);
}

function variants(value: string): readonly Variant[] {
  if (value === 'all') return VARIANTS;
  if ((VARIANTS as readonly string[]).includes(value)) return [value as Variant];
  throw new InvalidArgumentError('variante inconnue : bulk, quiet ou all.');
}

function defence(value: string): string {
  if (!Object.hasOwn(DEFENCES, value))
    throw new InvalidArgumentError(`défense inconnue : ${Object.keys(DEFENCES).join(', ')}.`);
  return value;
}

const cell = (v: unknown): string => (v === null || v === undefined ? '—' : String(v));

function printTable(io: CliIo, report: SimulationReport): void {
  io.out(
    `Défense : ${report.defence} · ${report.people} personnes · ${report.days} jours · graine « ${report.seed} » · ${report.seconds} s (processeur : ${report.cpu_seconds} s)`,
  );
  io.out('scénario                 variante  exposés  hors titulaire  confinement (s)  arrêt');
  for (const r of report.scenarios) {
    io.out(
      `${r.name.padEnd(24)} ${r.variant.padEnd(9)} ${cell(r.exposed_people).padStart(7)}  ${cell(r.exposed_beyond_holder).padStart(14)}  ${cell(r.seconds_to_containment).padStart(15)}  ${r.stopped_by}`,
    );
  }
  const l = report.legitimate;
  io.out(
    `Trafic légitime : ${l.account_days} comptes-jours, ${l.requests} requêtes, ${l.step_ups} seconds facteurs, ${l.hard_blocks} blocages (et ${l.collateral_blocks} par le confinement du compte ou du canal attaqué)`,
  );
  for (const [why, n] of Object.entries(l.blocks)) io.out(`  ${why} : ${n}`);
  for (const [goal, { met, detail }] of Object.entries(checkGoals(report.scenarios, l)))
    io.out(`${met === null ? '·' : met ? '✓' : '✗'} ${goal} (${detail})`);
}

async function run(io: CliIo, options: SimulateCliOptions): Promise<void> {
  let bar: ProgressBar | null = null;
  let label = '';
  const onProgress = (p: Progress) => {
    if (p.label !== label) {
      bar?.finish();
      label = p.label;
      bar = new ProgressBar(io, p.phase === 'seed' ? 'Population' : p.label);
    }
    bar?.update(p.done, p.total);
  };
  const factory = DEFENCES[options.defence] ?? DEFENCES['detection'];
  if (!factory) return;
  const report = await simulate({
    scenarios: options.scenario,
    variants: options.variant,
    people: options.people,
    days: options.days,
    seed: options.seed,
    defence: factory,
    onProgress,
  });
  (bar as ProgressBar | null)?.finish();
  if (options.json) io.out(JSON.stringify({ ...report, targets: checkGoals(report.scenarios, report.legitimate) }));
  else printTable(io, report);
}

export function registerSimulate(program: Command, io: CliIo): void {
  program
    .command('simulate')
    .description('scénarios d’attaque (THREATS.md) dans une population synthétique avec son trafic légitime')
    .option('--scenario <nom>', 'scénario (nom, numéro 1 à 8) ou all', scenarios, SCENARIOS)
    .option('--variant <v>', 'bulk, quiet ou all', variants, VARIANTS)
    .option('--people <n>', 'taille de la population synthétique', positiveInteger('--people'), 100_000)
    .option('--days <n>', 'jours simulés', integerAtLeast('--days', 2), 30)
    .option('--seed <graine>', 'graine de la population et du trafic', 'vigie')
    .option(
      '--defence <d>',
      'detection (createDetection), canaries (les canaris seuls) ou none (unlimitedBudget)',
      defence,
      'detection',
    )
    .option('--json', 'affiche le rapport en JSON sur la sortie standard')
    .action((options: SimulateCliOptions) => run(io, options));
}
