/**
 * Alerts: what a security officer reads (GET /api/security/alerts), what the webhook receives and
 * what the SIEM ingests. Ids, counts and reason codes only: never a job seeker's personal data.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DbOrTx } from '../storage/database.js';
import type { AlertTable } from '../storage/schema.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Alert {
  readonly id: string;
  readonly at: number;
  readonly severity: Severity;
  /** The rule that fired: a signal, a budget window, 'canary', 'pressure'… */
  readonly rule: string;
  /** The action taken: 'slow_down', 'mask', 'suspend_credential', 'suspend_channel', 'containment_lifted'… */
  readonly action: string;
  readonly accountId: string | null;
  readonly organisationId: string | null;
  readonly sourceIp: string | null;
  readonly sessionRef: string | null;
  readonly containmentId: string | null;
  /** French, for people. */
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface StoredAlert extends Alert {
  readonly deliveryAttempts: number;
  readonly deliveredAt: number | null;
}

export async function insertAlert(db: DbOrTx, a: Alert): Promise<void> {
  await db
    .insertInto('alerts')
    .values({
      id: a.id,
      at: a.at,
      severity: a.severity,
      rule: a.rule,
      action: a.action,
      account_id: a.accountId,
      organisation_id: a.organisationId,
      source_ip: a.sourceIp,
      session_ref: a.sessionRef,
      containment_id: a.containmentId,
      message: a.message,
      details: JSON.stringify(a.details),
    })
    .execute();
}

/** Stores an alert raised outside detection (access: session replays, factor changes) in the caller's transaction. */
export const insertRaisedAlert = (db: DbOrTx, a: Omit<Alert, 'id' | 'containmentId'>): Promise<void> =>
  insertAlert(db, { ...a, id: randomUUID(), containmentId: null });

const toAlert = (r: Selectable<AlertTable>): StoredAlert => ({
  id: r.id,
  at: r.at,
  severity: r.severity as Severity,
  rule: r.rule,
  action: r.action,
  accountId: r.account_id,
  organisationId: r.organisation_id,
  sourceIp: r.source_ip,
  sessionRef: r.session_ref,
  containmentId: r.containment_id,
  message: r.message,
  details: JSON.parse(r.details) as Record<string, unknown>,
  deliveryAttempts: Number(r.delivery_attempts),
  deliveredAt: r.delivered_at,
});

export interface AlertFilter {
  readonly limit?: number;
  /** Only alerts strictly older than this instant (paging backwards). */
  readonly before?: number;
  readonly accountId?: string;
  readonly organisationId?: string;
  readonly severity?: Severity;
}

/** Alerts, newest first. */
export async function listAlerts(db: DbOrTx, filter: AlertFilter = {}): Promise<StoredAlert[]> {
  let query = db.selectFrom('alerts').selectAll();
  if (filter.before !== undefined) query = query.where('at', '<', filter.before);
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.organisationId !== undefined) query = query.where('organisation_id', '=', filter.organisationId);
  if (filter.severity !== undefined) query = query.where('severity', '=', filter.severity);
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(Math.min(filter.limit ?? 50, 500))
    .execute();
  return rows.map(toAlert);
}

export async function getAlert(db: DbOrTx, id: string): Promise<StoredAlert | undefined> {
  const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAlert(row);
}

export async function recordDelivery(
  db: DbOrTx,
  id: string,
  attempts: number,
  deliveredAt: number | null,
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ delivery_attempts: attempts, delivered_at: deliveredAt })
    .where('id', '=', id)
    .execute();
}
