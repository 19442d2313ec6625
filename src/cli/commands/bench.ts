/**
 * `vigie bench disclose`: seeds a fresh SQLite store in a temporary directory (default 100,000
 * people), then measures the disclosure gate in-process, the bare baseline and the HTTP API
 * (src/sim/bench). `--json` prints the figures as one JSON object on stdout.
 */
import type { Command } from 'commander';
import { runDiscloseBench } from '../../sim/bench/run-disclose-bench.js';
import type { DiscloseBenchResult } from '../../sim/bench/run-disclose-bench.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { integerAtLeast, positiveInteger } from '../store-options.js';

interface BenchOptions {
  readonly db?: string;
  readonly people: number;
  readonly seconds: number;
  readonly concurrency: number;
  readonly json?: boolean;
}

const LABELS: ReadonlyArray<[keyof DiscloseBenchResult, string]> = [
  ['gated_per_s', 'Porte complète (en mémoire, lectures/s)'],
  ['gated_sequential_per_s', 'Porte complète, une lecture à la fois (lectures/s)'],
  ['gated_cpu_us_per_read', 'Porte complète : temps CPU du processus par lecture (µs)'],
  ['bare_per_s', 'Minimum sans Vigie : lecture + écriture du journal (transactions/s)'],
  ['ratio', 'Rapport porte / minimum'],
  ['bare_grouped_per_s', 'Minimum sur la validation groupée de Vigie (transactions/s)'],
  ['http_req_per_s', 'HTTP : dossier d’un stagiaire (requêtes/s)'],
  ['http_p50_ms', 'HTTP : médiane (ms)'],
  ['http_p99_ms', 'HTTP : 99e centile (ms)'],
];

async function benchDisclose(io: CliIo, options: BenchOptions): Promise<void> {
  const bar = new ProgressBar(io, 'Population');
  const result = await runDiscloseBench({
    ...(options.db !== undefined ? { db: options.db } : {}),
    people: options.people,
    seconds: options.seconds,
    concurrency: options.concurrency,
    onProgress: (p) => {
      if (p.phase === 'people') bar.update(p.done, p.total);
      else if (p.phase === 'measure') {
        bar.finish();
        io.err(`Mesure : ${p.step}…`);
      }
    },
  });
  bar.finish();
  if (options.json) io.out(JSON.stringify(result));
  else for (const [key, label] of LABELS) io.out(`${label} : ${String(result[key]).replace('.', ',')}`);
}

export function registerBench(program: Command, io: CliIo): void {
  const bench = program.command('bench').description('mesures de performance');
  bench
    .command('disclose')
    .description('débit de la porte de divulgation, du minimum sans Vigie et de l’API HTTP, sur une base neuve')
    .option(
      '--db <url>',
      'où créer la base neuve : postgres://… (un schéma temporaire, supprimé ensuite) ou un fichier SQLite qui n’existe pas encore (défaut : un fichier temporaire)',
    )
    .option('--people <n>', 'taille de la population synthétique', positiveInteger('--people'), 100_000)
    .option('--seconds <n>', 'durée de chaque mesure', positiveInteger('--seconds'), 10)
    .option('--concurrency <n>', 'lectures simultanées (en mémoire et HTTP)', integerAtLeast('--concurrency', 1), 32)
    .option('--json', 'affiche les mesures en JSON sur la sortie standard')
    .action((options: BenchOptions) => benchDisclose(io, options));
}
