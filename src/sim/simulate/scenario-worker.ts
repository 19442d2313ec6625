/**
 * A scenario thread of `vigie simulate`: runs the scenario runs it is sent (each on its own copy of
 * the snapshot, with the named defence) and sends back their progress and results. Scenario runs
 * share nothing but the read-only snapshot, so `--scenario all` spreads them over threads.
 * Started by scenario-pool.ts; runs only compiled (dist/).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../domain/errors.js';
import { loadKeyring } from '../../vault/key-file.js';
import type { KeyringLocation } from '../../vault/key-file.js';
import { DEFENCES } from './defences.js';
import { runScenario } from './run-scenario.js';
import type { ScenarioName, ScenarioResult, Variant } from './types.js';

export interface ScenarioWorkerData {
  readonly keys: KeyringLocation;
  readonly defence: string;
}

export interface ScenarioJob {
  readonly index: number;
  readonly file: string;
  readonly name: ScenarioName;
  readonly variant: Variant;
  readonly days: number;
  readonly seed: string;
}

export type ScenarioReply =
  | { readonly index: number; readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly index: number; readonly kind: 'result'; readonly result: ScenarioResult; readonly defence: string }
  | { readonly index: number; readonly kind: 'error'; readonly error: string };

const port = parentPort;
if (port) {
  const data = workerData as ScenarioWorkerData;
  const keys = loadKeyring(data.keys);
  const factory = DEFENCES[data.defence];
  port.on('message', (job: ScenarioJob) => {
    let defence = '';
    const run = async () => {
      if (!factory) throw new Error(`défense inconnue : ${data.defence}`);
      const result = await runScenario({
        ...job,
        keys,
        defence: async (deps) => {
          const d = await factory(deps);
          defence = d.name;
          return d;
        },
        onProgress: (p) =>
          port.postMessage({
            index: job.index,
            kind: 'progress',
            done: p.done,
            total: p.total,
          } satisfies ScenarioReply),
      });
      port.postMessage({ index: job.index, kind: 'result', result, defence } satisfies ScenarioReply);
    };
    run().catch((e: unknown) => {
      const error = isAppError(e) ? `${e.code} ${e.message}` : e instanceof Error ? (e.stack ?? e.message) : String(e);
      port.postMessage({ index: job.index, kind: 'error', error } satisfies ScenarioReply);
    });
  });
}
