import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the serving thread.
 *
 * By default SQLite checkpoints inside the COMMIT that crosses 1,000 WAL pages: that commit copies
 * the pages into the database file and fsyncs it, on the thread that serves requests (measured: a
 * third of the disclosure gate's time under load). The serving connection turns that off
 * (`wal_autocheckpoint = 0`) and this worker thread, with its own connection, runs PASSIVE
 * checkpoints (they never block readers or writers) while the WAL grows. SQLite rewinds the WAL
 * once every frame is checkpointed, and `journal_size_limit` truncates the file then.
 *
 * The worker is plain CommonJS evaluated from this string, so that it runs the same from src/
 * (tests) and from dist/; better-sqlite3 is resolved here and handed over by path.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log >= 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch { /* busy: next tick */ }
  timer = setTimeout(tick, workerData.intervalMs);
};
let timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* the closing connection checkpoints */ }
  db.close();
  parentPort.postMessage('stopped');
});
`;

export interface Checkpointer {
  /**
   * Between two transactions of the serving connection: if the worker has reported a large WAL
   * nearly all copied, checkpoints the last frames here. Under a steady stream of commits the worker
   * never catches up alone, and SQLite rewinds the WAL only after a checkpoint that copied every frame.
   */
  finishIfDue(database: { pragma(source: string): unknown }): void;
  stop(): Promise<void>;
}

export interface CheckpointTuning {
  readonly intervalMs: number;
  /** WAL frames past which the serving connection finishes the worker's checkpoint… */
  readonly rewindFrames: number;
  /** …provided at most this many frames remain to copy. */
  readonly tailFrames: number;
}

/**
 * A PASSIVE checkpoint every 250 ms; the serving connection finishes one past 128 MiB of WAL (4 KiB
 * frames) with at most 4 MiB left: each finish costs a few fsyncs (~30 ms here), so rarely.
 */
export const DEFAULT_CHECKPOINT_TUNING: CheckpointTuning = { intervalMs: 250, rewindFrames: 32_768, tailFrames: 1024 };

/** `onFailure` runs if the worker dies (the caller then checkpoints in-line again). */
export function startCheckpointer(
  file: string,
  onFailure: () => void,
  tuning: CheckpointTuning = DEFAULT_CHECKPOINT_TUNING,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: tuning.intervalMs } });
  worker.unref();
  worker.on('error', onFailure);
  let due = false;
  worker.on('message', (m: unknown) => {
    if (typeof m !== 'object' || m === null) return;
    const { log, checkpointed } = m as { log: number; checkpointed: number };
    due = log >= tuning.rewindFrames && log - checkpointed <= tuning.tailFrames;
  });
  let exited = false;
  worker.once('exit', () => (exited = true));
  let stopping: Promise<void> | undefined;
  return {
    finishIfDue: (database) => {
      if (!due) return;
      due = false;
      try {
        database.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // The worker is checkpointing: it will report again.
      }
    },
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        if (exited) return resolve();
        const done = () => resolve();
        worker.on('message', (m) => {
          if (m === 'stopped') void worker.terminate().then(done, done);
        });
        worker.once('error', done);
        worker.once('exit', done);
        worker.postMessage('stop');
      })),
  };
}
