/** The lease of an incident's campaign: one runner at a time, taken over from a dead one. */
import type { DbOrTx } from './database.js';

export interface CampaignLease {
  readonly incidentId: string;
  readonly runner: string;
  readonly pid: number;
  readonly host: string;
  readonly heartbeatAt: number;
  readonly startedAt: number;
  readonly startedBy: string;
  readonly finishedAt: number | null;
  readonly inDoubt: number;
}

export async function findLease(db: DbOrTx, incidentId: string): Promise<CampaignLease | undefined> {
  const r = await db
    .selectFrom('notice_campaigns')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    incidentId: r.incident_id,
    runner: r.runner,
    pid: Number(r.pid),
    host: r.host,
    heartbeatAt: Number(r.heartbeat_at),
    startedAt: Number(r.started_at),
    startedBy: r.started_by,
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    inDoubt: Number(r.in_doubt),
  };
}

/** Writes the lease for this runner (insert or take over); the caller has decided it may. */
export async function writeLease(db: DbOrTx, l: CampaignLease): Promise<void> {
  const row = {
    runner: l.runner,
    pid: l.pid,
    host: l.host,
    heartbeat_at: l.heartbeatAt,
    started_at: l.startedAt,
    started_by: l.startedBy,
    finished_at: l.finishedAt,
    in_doubt: l.inDoubt,
  };
  const updated = await db
    .updateTable('notice_campaigns')
    .set(row)
    .where('incident_id', '=', l.incidentId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await db
      .insertInto('notice_campaigns')
      .values({ incident_id: l.incidentId, ...row })
      .execute();
}

/** Moves the heartbeat if this runner still holds the lease; false if another took it over. */
export async function heartbeat(db: DbOrTx, incidentId: string, runner: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('notice_campaigns')
    .set({ heartbeat_at: now })
    .where('incident_id', '=', incidentId)
    .where('runner', '=', runner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function finishLease(db: DbOrTx, incidentId: string, runner: string, now: number): Promise<void> {
  await db
    .updateTable('notice_campaigns')
    .set({ finished_at: now, heartbeat_at: now })
    .where('incident_id', '=', incidentId)
    .where('runner', '=', runner)
    .execute();
}

export async function addInDoubt(db: DbOrTx, incidentId: string, n: number): Promise<void> {
  if (n === 0) return;
  await db
    .updateTable('notice_campaigns')
    .set((eb) => ({ in_doubt: eb('in_doubt', '+', n) }))
    .where('incident_id', '=', incidentId)
    .execute();
}
