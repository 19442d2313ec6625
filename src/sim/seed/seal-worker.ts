/**
 * A sealing thread of `seedPopulation`: generates and seals the chunks it is asked for and sends
 * them back packed. Sealing is pure CPU (a fresh data key, six AES-GCM operations and four HMACs
 * per person), so the seed spreads it over threads while the main thread writes.
 * Started by chunk-source.ts with a WorkerJob as workerData; runs only compiled (dist/).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../domain/errors.js';
import { loadKeyring } from '../../vault/key-file.js';
import type { KeyringLocation } from '../../vault/key-file.js';
import { packChunk } from './chunk-codec.js';
import type { PackedChunk } from './chunk-codec.js';
import { chunkContext, generateChunk } from './people-chunk.js';
import type { SeedPlan } from './plan-types.js';

export interface WorkerJob {
  readonly plan: SeedPlan;
  readonly keys: KeyringLocation;
  readonly jobSeekerPasswordHash: string;
}

export type WorkerReply =
  { readonly chunk: number; readonly packed: PackedChunk } | { readonly chunk: number; readonly error: string };

const port = parentPort;
if (port) {
  const job = workerData as WorkerJob;
  const ctx = chunkContext(job.plan, loadKeyring(job.keys), job.jobSeekerPasswordHash);
  port.on('message', (chunk: number) => {
    try {
      const packed = packChunk(generateChunk(ctx, chunk));
      port.postMessage({ chunk, packed } satisfies WorkerReply, [packed.bytes, packed.spans.buffer as ArrayBuffer]);
    } catch (e) {
      const error = isAppError(e) ? `${e.code} ${e.message}` : e instanceof Error ? e.message : String(e);
      port.postMessage({ chunk, error } satisfies WorkerReply);
    }
  });
}
