/**
 * The security log as security officers query it: filters on account, kind and period, newest first,
 * by pages. Events about an account carry that account's id (lifecycle events name their actor in
 * details.actorId), so `account` finds both what an account did and what was done to it.
 */
import type { DbOrTx } from '../storage/database.js';
import type { SecurityEventDetails, SecurityEventKind, StoredSecurityEvent } from './security-events.js';

export const SECURITY_EVENTS_PAGE_SIZE = 100;

export interface SecurityEventFilter {
  readonly accountId?: string | undefined;
  readonly kind?: SecurityEventKind | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  /** 1-based. */
  readonly page: number;
}

export interface SecurityEventPage {
  readonly events: readonly StoredSecurityEvent[];
  readonly page: number;
  readonly pageSize: number;
  readonly hasMore: boolean;
}

interface Row {
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly account_id: string | null;
  readonly source_ip: string | null;
  readonly details: string;
}

export const toStoredEvent = (r: Row): StoredSecurityEvent => ({
  seq: Number(r.seq),
  at: Number(r.at),
  kind: r.kind as SecurityEventKind,
  accountId: r.account_id,
  sourceIp: r.source_ip,
  details: JSON.parse(r.details) as SecurityEventDetails,
});

/** One page of the events matching `filter`, newest first (seq descending). */
export async function querySecurityEvents(db: DbOrTx, filter: SecurityEventFilter): Promise<SecurityEventPage> {
  let query = db.selectFrom('security_events').selectAll();
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(SECURITY_EVENTS_PAGE_SIZE + 1)
    .offset((filter.page - 1) * SECURITY_EVENTS_PAGE_SIZE)
    .execute();
  const hasMore = rows.length > SECURITY_EVENTS_PAGE_SIZE;
  return {
    events: rows.slice(0, SECURITY_EVENTS_PAGE_SIZE).map(toStoredEvent),
    page: filter.page,
    pageSize: SECURITY_EVENTS_PAGE_SIZE,
    hasMore,
  };
}
