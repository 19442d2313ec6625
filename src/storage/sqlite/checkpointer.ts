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
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next tick */ }
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
  stop(): Promise<void>;
}

export const CHECKPOINT_INTERVAL_MS = 250;

/** `onFailure` runs if the worker dies (the caller then checkpoints in-line again). */
export function startCheckpointer(file: string, onFailure: () => void, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  worker.on('error', onFailure);
  let exited = false;
  worker.once('exit', () => (exited = true));
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        if (exited) return resolve();
        const done = () => resolve();
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.once('error', done);
        worker.once('exit', done);
        worker.postMessage('stop');
      })),
  };
}
