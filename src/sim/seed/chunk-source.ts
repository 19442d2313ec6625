/**
 * Where chunks come from: this thread, or a pool of sealing workers. Either way chunks arrive in
 * order (0, 1, 2…), so the database receives the same rows in the same order whatever the number
 * of threads. The pool keeps a bounded window of chunks in flight (memory stays flat).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../domain/errors.js';
import { unpackChunk } from './chunk-codec.js';
import type { ChunkContext, ChunkRows } from './people-chunk.js';
import { generateChunk } from './people-chunk.js';
import type { WorkerJob, WorkerReply } from './seal-worker.js';

const WORKER_FILE = new URL('./seal-worker.js', import.meta.url);
/**
 * Chunks requested ahead per worker: enough for the workers to keep sealing while the main thread
 * spends a few seconds writing a 50,000-person transaction (about 1 MB per chunk in flight).
 */
const WINDOW_PER_WORKER = 16;
/** Sealing allocates many short-lived buffers: a larger young generation cuts GC time by about a third. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 128 };

/** True when the compiled worker script exists (running from dist/, not from TypeScript sources). */
export const sealingWorkersAvailable = (): boolean =>
  WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));

/** Chunks 0…count-1 generated and sealed in this thread, yielding to the event loop between chunks. */
export async function* inThisThread(ctx: ChunkContext, count: number): AsyncGenerator<ChunkRows> {
  for (let i = 0; i < count; i++) {
    yield generateChunk(ctx, i);
    await yieldToLoop();
  }
}

const workerFailed = (detail: string): AppError =>
  new AppError('SEED.WORKER_FAILED', 'internal', `Un fil de chiffrement de la population a échoué (${detail}).`);

class SealingWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (rows: ChunkRows) => void; reject: (e: unknown) => void }>();
  #failure: AppError | undefined;

  constructor(job: WorkerJob) {
    this.#worker = new Worker(WORKER_FILE, { workerData: job, resourceLimits: WORKER_LIMITS });
    this.#worker.on('message', (reply: WorkerReply) => this.#settle(reply));
    this.#worker.on('error', (e) => this.#failAll(workerFailed(e.message)));
    this.#worker.on('exit', (code) => this.#failAll(workerFailed(`sortie ${code}`)));
  }

  get load(): number {
    return this.#pending.size;
  }

  request(chunk: number): Promise<ChunkRows> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending.set(chunk, { resolve, reject });
      this.#worker.postMessage(chunk);
    });
  }

  terminate(): Promise<number> {
    this.#worker.removeAllListeners('exit');
    return this.#worker.terminate();
  }

  #settle(reply: WorkerReply): void {
    const waiter = this.#pending.get(reply.chunk);
    this.#pending.delete(reply.chunk);
    if ('error' in reply) waiter?.reject(workerFailed(reply.error));
    else waiter?.resolve(unpackChunk(reply.packed));
  }

  #failAll(error: AppError): void {
    this.#failure ??= error;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}

/** Chunks 0…count-1 from `size` sealing workers, in order. */
export async function* fromWorkers(job: WorkerJob, size: number, count: number): AsyncGenerator<ChunkRows> {
  const workers = Array.from({ length: size }, () => new SealingWorker(job));
  const window: Promise<ChunkRows>[] = [];
  let next = 0;
  const refill = (): void => {
    while (next < count && window.length < size * WINDOW_PER_WORKER) {
      const idlest = workers.reduce((a, b) => (b.load < a.load ? b : a));
      const request = idlest.request(next++);
      request.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
      window.push(request);
    }
  };
  try {
    refill();
    for (let promise = window.shift(); promise; promise = window.shift()) {
      const rows = await promise;
      refill();
      yield rows;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
