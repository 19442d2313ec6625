/**
 * Containments and their review. Suspending a credential revokes the account's sessions and sets
 * the account `suspended`; suspending a partner's channel sets `organisations.channel_suspended_at`,
 * which refuses every account of that organisation and no other. A security officer lifts (the
 * account gets its previous status back) or confirms a containment with a stated reason; both are
 * written to the security log.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AppError, conflict, invalid, notFound } from '../domain/errors.js';
import type { Db, DbOrTx } from '../storage/database.js';
import type { ContainmentTable } from '../storage/schema.js';
import type { Alert } from './alerts.js';
import { insertAlert } from './alerts.js';

export type ContainmentKind = 'credential' | 'channel';
export type ContainmentStatus = 'active' | 'lifted' | 'confirmed';
export const MIN_REVIEW_REASON = 10;

export interface NewContainment {
  readonly id: string;
  readonly at: number;
  readonly kind: ContainmentKind;
  readonly accountId: string;
  readonly organisationId: string | null;
  readonly sessionRef: string | null;
  readonly sourceIp: string | null;
  readonly rule: string;
  readonly alertId: string | null;
}

export interface ContainmentView {
  readonly id: string;
  readonly at: number;
  readonly kind: ContainmentKind;
  readonly accountId: string | null;
  readonly organisationId: string | null;
  readonly sessionRef: string | null;
  readonly rule: string;
  readonly status: ContainmentStatus;
  readonly alertId: string | null;
  readonly reviewedBy: string | null;
  readonly reviewedAt: number | null;
  readonly reviewReason: string | null;
}

const toView = (r: Selectable<ContainmentTable>): ContainmentView => ({
  id: r.id,
  at: r.at,
  kind: r.kind as ContainmentKind,
  accountId: r.account_id,
  organisationId: r.organisation_id,
  sessionRef: r.session_ref,
  rule: r.rule,
  status: r.status as ContainmentStatus,
  alertId: r.alert_id,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  reviewReason: r.review_reason,
});

async function securityEvent(
  db: DbOrTx,
  at: number,
  kind: string,
  accountId: string | null,
  sourceIp: string | null,
  details: Record<string, string | number | null>,
): Promise<void> {
  await db
    .insertInto('security_events')
    .values({ at, kind, account_id: accountId, source_ip: sourceIp, details: JSON.stringify(details) })
    .execute();
}

async function suspendAccount(tx: DbOrTx, c: NewContainment): Promise<string | null> {
  const row = await tx.selectFrom('accounts').select('status').where('id', '=', c.accountId).executeTakeFirst();
  if (!row) return null;
  await tx.updateTable('accounts').set({ status: 'suspended' }).where('id', '=', c.accountId).execute();
  await tx
    .updateTable('sessions')
    .set({ revoked_at: c.at })
    .where('account_id', '=', c.accountId)
    .where('revoked_at', 'is', null)
    .execute();
  return row.status === 'suspended' ? 'active' : row.status;
}

/** Carries out a containment decided by the budget step (after the disclosure's transaction). */
export async function persistContainment(db: Db, c: NewContainment): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const previous = c.kind === 'credential' ? await suspendAccount(tx, c) : null;
    if (c.kind === 'channel' && c.organisationId !== null) {
      await tx
        .updateTable('organisations')
        .set({ channel_suspended_at: c.at })
        .where('id', '=', c.organisationId)
        .where('channel_suspended_at', 'is', null)
        .execute();
    }
    await tx
      .insertInto('containments')
      .values({
        id: c.id,
        at: c.at,
        kind: c.kind,
        account_id: c.accountId,
        organisation_id: c.organisationId,
        session_ref: c.sessionRef,
        previous_status: previous,
        rule: c.rule,
        status: 'active',
        alert_id: c.alertId,
        reviewed_by: null,
        reviewed_at: null,
        review_reason: null,
      })
      .execute();
    const kind = c.kind === 'credential' ? 'detect.credential_suspended' : 'detect.channel_suspended';
    await securityEvent(tx, c.at, kind, c.accountId, c.sourceIp, {
      containmentId: c.id,
      organisationId: c.organisationId,
      rule: c.rule,
    });
  });
}

export interface Review {
  readonly containmentId: string;
  readonly decision: 'lift' | 'confirm';
  readonly officerId: string;
  readonly reason: string;
  readonly sourceIp: string | null;
  readonly at: number;
  /** Id of the alert that announces the review (default: a random UUID). */
  readonly alertId?: string;
}

export interface Reviewed {
  readonly containment: ContainmentView;
  /** The review, announced like an alert (stored; the detection instance also sends it on). */
  readonly alert: Alert;
}

function reviewAlert(r: Review, row: Selectable<ContainmentTable>, reason: string): Alert {
  const lifted = r.decision === 'lift';
  const what = row.kind === 'channel' ? 'du canal de l’organisation' : 'de l’accès';
  return {
    id: r.alertId ?? randomUUID(),
    at: r.at,
    severity: 'low',
    rule: row.rule,
    action: lifted ? 'containment_lifted' : 'containment_confirmed',
    accountId: row.account_id,
    organisationId: row.organisation_id,
    sourceIp: r.sourceIp,
    sessionRef: row.session_ref,
    containmentId: row.id,
    message: `${lifted ? 'Levée' : 'Confirmation'} de la suspension ${what} par un officier de sécurité.`,
    details: { officerId: r.officerId, reason, kind: row.kind },
  };
}

async function lift(tx: DbOrTx, row: Selectable<ContainmentTable>): Promise<void> {
  if (row.kind === 'channel' && row.organisation_id !== null) {
    await tx
      .updateTable('organisations')
      .set({ channel_suspended_at: null })
      .where('id', '=', row.organisation_id)
      .execute();
  } else if (row.account_id !== null) {
    await tx
      .updateTable('accounts')
      .set({ status: row.previous_status ?? 'active' })
      .where('id', '=', row.account_id)
      .where('status', '=', 'suspended')
      .execute();
  }
}

/**
 * Lifts or confirms an active containment. CONTAINMENT.NOT_FOUND (404), CONTAINMENT.ALREADY_REVIEWED
 * (409), CONTAINMENT.REASON_REQUIRED (400).
 */
export async function reviewContainment(db: Db, r: Review): Promise<Reviewed> {
  const reason = r.reason.trim();
  if (reason.length < MIN_REVIEW_REASON)
    throw invalid('CONTAINMENT.REASON_REQUIRED', `Indiquez un motif d’au moins ${MIN_REVIEW_REASON} caractères.`);
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('containments').selectAll().where('id', '=', r.containmentId).executeTakeFirst();
    if (!row) throw notFound('CONTAINMENT.NOT_FOUND', 'Mesure de confinement introuvable.');
    if (row.status !== 'active')
      throw conflict('CONTAINMENT.ALREADY_REVIEWED', 'Cette mesure a déjà été levée ou confirmée.');
    if (r.decision === 'lift') await lift(tx, row);
    const status: ContainmentStatus = r.decision === 'lift' ? 'lifted' : 'confirmed';
    const changed = await tx
      .updateTable('containments')
      .set({ status, reviewed_by: r.officerId, reviewed_at: r.at, review_reason: reason })
      .where('id', '=', row.id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1)
      throw new AppError('CONTAINMENT.ALREADY_REVIEWED', 'conflict', 'Cette mesure a déjà été levée ou confirmée.');
    const kind = r.decision === 'lift' ? 'detect.containment_lifted' : 'detect.containment_confirmed';
    await securityEvent(tx, r.at, kind, r.officerId, r.sourceIp, {
      containmentId: row.id,
      containedAccountId: row.account_id,
      organisationId: row.organisation_id,
      reason,
    });
    const alert = reviewAlert(r, row, reason);
    await insertAlert(tx, alert);
    return {
      containment: toView({ ...row, status, reviewed_by: r.officerId, reviewed_at: r.at, review_reason: reason }),
      alert,
    };
  });
}

export async function getContainment(db: DbOrTx, id: string): Promise<ContainmentView | undefined> {
  const row = await db.selectFrom('containments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toView(row);
}

/** Containments, newest first; `status` filters (e.g. the active ones). */
export async function listContainments(
  db: DbOrTx,
  filter: { status?: ContainmentStatus; organisationId?: string; limit?: number } = {},
): Promise<ContainmentView[]> {
  let q = db.selectFrom('containments').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.organisationId) q = q.where('organisation_id', '=', filter.organisationId);
  return (
    await q
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(Math.min(filter.limit ?? 100, 1000))
      .execute()
  ).map(toView);
}
