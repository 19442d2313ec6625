/**
 * The security log for a SIEM: an append-only file of JSON lines (one event per line: timestamp,
 * seq, kind, account, source_ip, details), fed from the security_events table like an outbox. The
 * file is its own cursor (the seq of its last line), so a restart neither loses nor repeats events,
 * and the writers of events (inside their own transactions) never wait for the file.
 *
 * PostgreSQL hands out seq values at insert, not at commit: an event may become visible after a
 * later one. The exporter therefore only takes events older than `lagMs` (2 s), past which no
 * transaction of ours is still open. Lines hold what the table holds: never a job seeker's name,
 * identifier or contact, only account ids, addresses, reason codes and counts.
 *
 * Scheduling: `scheduleSiemExport` runs it every 5 s in the `serve` process; a SIEM agent (Filebeat,
 * Vector, rsyslog imfile) tails the file. Rotation: rename the file and the next run starts a new one
 * from the last seq it finds there (nothing is lost; the old file is complete).
 */
import { appendFile, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { repeatEvery } from '../domain/periodic.js';
import type { Db } from '../storage/database.js';
import { toStoredEvent } from './security-events-query.js';
import type { StoredSecurityEvent } from './security-events.js';

const BATCH = 1_000;
const TAIL_BYTES = 64 * 1024;
export const SIEM_LAG_MS = 2_000;

/** One line of the SIEM file. */
export function siemLine(e: StoredSecurityEvent): string {
  return `${JSON.stringify({ timestamp: new Date(e.at).toISOString(), seq: e.seq, kind: e.kind, account: e.accountId, source_ip: e.sourceIp, details: e.details })}\n`;
}

/** The seq of the last complete line of the file, or 0 for a missing or empty file. */
export async function lastExportedSeq(file: string): Promise<number> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) return 0;
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const last = lines.at(-1);
    return last === undefined ? 0 : Number((JSON.parse(last) as { seq: number }).seq);
  } finally {
    await handle.close();
  }
}

/** Appends every event not yet in the file and older than the lag; returns how many. */
export async function exportSecurityEvents(db: Db, file: string, now: number, lagMs = SIEM_LAG_MS): Promise<number> {
  await mkdir(dirname(file), { recursive: true });
  let cursor = await lastExportedSeq(file);
  let exported = 0;
  for (;;) {
    const rows = await db
      .selectFrom('security_events')
      .selectAll()
      .where('seq', '>', cursor)
      .where('at', '<=', now - lagMs)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return exported;
    const events = rows.map(toStoredEvent);
    await appendFile(file, events.map(siemLine).join(''), { encoding: 'utf8', flag: 'a', mode: 0o640 });
    cursor = events.at(-1)?.seq ?? cursor;
    exported += events.length;
  }
}

/** Exports every `everyMs` in a long-lived process; returns a stop function. One run at a time. */
export function scheduleSiemExport(
  db: Db,
  file: string,
  clock: { now(): number },
  onError: (e: unknown) => void,
  everyMs = 5_000,
): () => void {
  return repeatEvery(() => exportSecurityEvents(db, file, clock.now()), everyMs, onError);
}
