/**
 * Scenario runs spread over threads (scenario-worker.ts): each thread takes the next run when it
 * finishes one; results come back in the order of the runs, progress as one bar over every run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../domain/errors.js';
import { removeSqliteFiles } from '../../storage/database.js';
import type { ScenarioJob, ScenarioReply, ScenarioWorkerData } from './scenario-worker.js';
import type { Progress, ScenarioName, ScenarioResult, Variant } from './types.js';

/** What the pool needs of the seeded snapshot (simulate.ts): its keys, and a fresh copy per run. */
export interface PoolSnapshot {
  readonly keyText: string;
  copy(n: number): string;
  copyPath(n: number): string;
}

const WORKER_FILE = new URL('./scenario-worker.js', import.meta.url);

/** True when the compiled worker script exists (running from dist/, not from TypeScript sources). */
export const scenarioWorkersAvailable = (): boolean =>
  WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));

export interface PoolInput {
  readonly snapshot: PoolSnapshot;
  readonly runs: readonly { readonly name: ScenarioName; readonly variant: Variant }[];
  readonly threads: number;
  readonly defence: string;
  readonly days: number;
  readonly seed: string;
  readonly onProgress?: (p: Progress) => void;
}

const failed = (detail: string): AppError =>
  new AppError('SIMULATE.THREAD_FAILED', 'internal', `Un fil de simulation a échoué (${detail}).`);

export async function runInPool(input: PoolInput): Promise<{ results: ScenarioResult[]; defence: string }> {
  const { snapshot, runs } = input;
  const results: (ScenarioResult | undefined)[] = runs.map(() => undefined);
  const done = runs.map(() => 0);
  let total = 0;
  let perRun = 0;
  let defence = '';
  let next = 0;
  const label = `${runs.length} scénarios sur ${input.threads} fils`;
  const data: ScenarioWorkerData = { keys: { text: snapshot.keyText }, defence: input.defence };
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const give = (worker: Worker): void => {
        const index = next++;
        const run = runs[index];
        if (!run) return;
        const job: ScenarioJob = {
          index,
          file: snapshot.copy(index),
          name: run.name,
          variant: run.variant,
          days: input.days,
          seed: input.seed,
        };
        worker.postMessage(job);
      };
      for (let t = 0; t < input.threads; t++) {
        const worker = new Worker(WORKER_FILE, { workerData: data });
        workers.push(worker);
        worker.on('message', (reply: ScenarioReply) => {
          if (reply.kind === 'progress') {
            done[reply.index] = reply.done;
            perRun = Math.max(perRun, reply.total);
            total = perRun * runs.length;
            input.onProgress?.({ phase: 'simulate', label, done: done.reduce((a, b) => a + b, 0), total });
            return;
          }
          if (reply.kind === 'error') return reject(failed(reply.error));
          results[reply.index] = reply.result;
          done[reply.index] = perRun;
          defence = reply.defence;
          removeSqliteFiles(snapshot.copyPath(reply.index));
          if (++finished === runs.length) return resolve();
          give(worker);
        });
        worker.on('error', (e) => reject(failed(e.message)));
        worker.on('exit', (code) => {
          if (finished < runs.length) reject(failed(`sortie ${code}`));
        });
        give(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { results: results.filter((r): r is ScenarioResult => r !== undefined), defence };
}
