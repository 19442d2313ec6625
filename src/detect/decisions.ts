/** The record of every non-allow answer of the budget step, with its explanation. Append-only. */
import type { DbOrTx } from '../storage/database.js';
import type { Action } from './ladder.js';

export interface DecisionRecord {
  readonly at: number;
  readonly accountId: string;
  readonly organisationId: string | null;
  readonly sessionRef: string | null;
  readonly requestId: string;
  readonly purpose: string;
  readonly action: Action | 'refuse_contained';
  readonly code: string | null;
  readonly rule: string;
  readonly score: number;
  readonly people: number;
  readonly details: Readonly<Record<string, unknown>>;
}

export async function insertDecision(db: DbOrTx, d: DecisionRecord): Promise<void> {
  await db
    .insertInto('detection_decisions')
    .values({
      at: d.at,
      account_id: d.accountId,
      organisation_id: d.organisationId,
      session_ref: d.sessionRef,
      request_id: d.requestId,
      purpose: d.purpose,
      action: d.action,
      code: d.code,
      rule: d.rule,
      score: Math.round(d.score * 100) / 100,
      people: d.people,
      details: JSON.stringify(d.details),
    })
    .execute();
}

export interface StoredDecision extends DecisionRecord {
  readonly seq: number;
}

/** An account's decisions, newest first. */
export async function decisionsOf(db: DbOrTx, accountId: string, limit = 100): Promise<StoredDecision[]> {
  const rows = await db
    .selectFrom('detection_decisions')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    accountId: r.account_id,
    organisationId: r.organisation_id,
    sessionRef: r.session_ref,
    requestId: r.request_id,
    purpose: r.purpose,
    action: r.action as Action,
    code: r.code,
    rule: r.rule,
    score: r.score,
    people: r.people,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
