/**
 * Incidents, their credentials and their timeline. Each action appended to the timeline is also a
 * security event, in the caller's transaction (`appendIncidentEvent`).
 */
import type { Selectable } from 'kysely';
import { AppError } from '../domain/errors.js';
import type { CredentialKind, IncidentAction, IncidentSource, IncidentStatus } from '../domain/incidents.js';
import { CREDENTIAL_KINDS, INCIDENT_ACTIONS, INCIDENT_SOURCES, INCIDENT_STATUSES } from '../domain/incidents.js';
import type { DbOrTx } from './database.js';
import type { IncidentTable } from './schema.js';

export interface IncidentCredential {
  readonly kind: CredentialKind;
  readonly accountId: string;
  /** Set for a session credential; null for every session of the account. */
  readonly sessionRef: string | null;
}

export interface IncidentRecord {
  readonly id: string;
  readonly reference: string;
  readonly title: string;
  readonly description: string;
  readonly status: IncidentStatus;
  readonly sourceKind: IncidentSource;
  readonly sourceId: string | null;
  readonly organisationId: string | null;
  readonly windowFrom: number;
  readonly windowTo: number | null;
  readonly awareAt: number;
  readonly lettersOnly: boolean;
  readonly openedAt: number;
  readonly openedBy: string;
  readonly updatedAt: number;
  readonly closedAt: number | null;
  readonly credentials: readonly IncidentCredential[];
}

/** A stored value outside its union is a corrupted row, not something to coerce. */
export function parseEnum<T extends string>(values: readonly T[], value: string, what: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new AppError('STORAGE.INVALID_ROW', 'internal', `Valeur inattendue pour ${what}.`);
}

const toRecord = (r: Selectable<IncidentTable>, credentials: IncidentCredential[]): IncidentRecord => ({
  id: r.id,
  reference: r.reference,
  title: r.title,
  description: r.description,
  status: parseEnum(INCIDENT_STATUSES, r.status, 'incidents.status'),
  sourceKind: parseEnum(INCIDENT_SOURCES, r.source_kind, 'incidents.source_kind'),
  sourceId: r.source_id,
  organisationId: r.organisation_id,
  windowFrom: Number(r.window_from),
  windowTo: r.window_to === null ? null : Number(r.window_to),
  awareAt: Number(r.aware_at),
  lettersOnly: r.letters_only === 1,
  openedAt: Number(r.opened_at),
  openedBy: r.opened_by,
  updatedAt: Number(r.updated_at),
  closedAt: r.closed_at === null ? null : Number(r.closed_at),
  credentials,
});

/** The next reference of the year: VIG-2026-0001, … (unique: a concurrent twin fails and retries). */
export async function nextIncidentReference(db: DbOrTx, year: number): Promise<string> {
  const prefix = `VIG-${year}-`;
  const row = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reference', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return `${prefix}${String(Number(row.n) + 1).padStart(4, '0')}`;
}

export async function insertIncident(db: DbOrTx, r: IncidentRecord): Promise<void> {
  await db
    .insertInto('incidents')
    .values({
      id: r.id,
      reference: r.reference,
      title: r.title,
      description: r.description,
      status: r.status,
      source_kind: r.sourceKind,
      source_id: r.sourceId,
      organisation_id: r.organisationId,
      window_from: r.windowFrom,
      window_to: r.windowTo,
      aware_at: r.awareAt,
      letters_only: r.lettersOnly ? 1 : 0,
      opened_at: r.openedAt,
      opened_by: r.openedBy,
      updated_at: r.updatedAt,
      closed_at: r.closedAt,
    })
    .execute();
  if (r.credentials.length === 0) return;
  await db
    .insertInto('incident_credentials')
    .values(
      r.credentials.map((c) => ({
        incident_id: r.id,
        kind: c.kind,
        account_id: c.accountId,
        session_ref: c.sessionRef ?? '',
      })),
    )
    .execute();
}

async function credentialsOf(db: DbOrTx, ids: readonly string[]): Promise<Map<string, IncidentCredential[]>> {
  const out = new Map<string, IncidentCredential[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('incident_credentials')
    .selectAll()
    .where('incident_id', 'in', ids)
    .orderBy('account_id')
    .orderBy('session_ref')
    .execute();
  for (const r of rows) {
    const list = out.get(r.incident_id) ?? [];
    list.push({
      kind: parseEnum(CREDENTIAL_KINDS, r.kind, 'incident_credentials.kind'),
      accountId: r.account_id,
      sessionRef: r.session_ref === '' ? null : r.session_ref,
    });
    out.set(r.incident_id, list);
  }
  return out;
}

export async function findIncident(db: DbOrTx, id: string): Promise<IncidentRecord | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return toRecord(row, (await credentialsOf(db, [id])).get(id) ?? []);
}

export interface IncidentFilter {
  readonly status?: IncidentStatus;
  readonly limit: number;
}

/** Newest first. */
export async function listIncidents(db: DbOrTx, filter: IncidentFilter): Promise<IncidentRecord[]> {
  let q = db.selectFrom('incidents').selectAll().orderBy('opened_at', 'desc').orderBy('id').limit(filter.limit);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  const rows = await q.execute();
  const credentials = await credentialsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toRecord(r, credentials.get(r.id) ?? []));
}

/** Moves the status if it is still `from` (a concurrent change makes it return false). */
export async function setIncidentStatus(
  db: DbOrTx,
  id: string,
  from: IncidentStatus,
  to: IncidentStatus,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('incidents')
    .set({ status: to, updated_at: at, ...(to === 'closed' ? { closed_at: at } : {}) })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type EventDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface IncidentEvent {
  readonly incidentId: string;
  readonly at: number;
  readonly accountId: string | null;
  readonly sourceIp: string | null;
  readonly action: IncidentAction;
  readonly details: EventDetails;
}

/** Appends to the incident's timeline and writes the security event `incident.<action>`, in `db`'s transaction. */
export async function appendIncidentEvent(db: DbOrTx, e: IncidentEvent): Promise<void> {
  const details = JSON.stringify({ incidentId: e.incidentId, ...e.details });
  await db
    .insertInto('incident_events')
    .values({ incident_id: e.incidentId, at: e.at, account_id: e.accountId, action: e.action, details })
    .execute();
  await db
    .insertInto('security_events')
    .values({ at: e.at, kind: `incident.${e.action}`, account_id: e.accountId, source_ip: e.sourceIp, details })
    .execute();
}

export interface StoredIncidentEvent {
  readonly seq: number;
  readonly at: number;
  readonly accountId: string | null;
  readonly action: IncidentAction;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The incident's timeline, oldest first. */
export async function incidentEvents(db: DbOrTx, incidentId: string): Promise<StoredIncidentEvent[]> {
  const rows = await db
    .selectFrom('incident_events')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: Number(r.at),
    accountId: r.account_id,
    action: parseEnum(INCIDENT_ACTIONS, r.action, 'incident_events.action'),
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}

/** The organisation kinds of accounts (for the scope's totals by kind of organisation). */
export async function organisationKindsOf(
  db: DbOrTx,
  accountIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (accountIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'o.kind'])
    .where('a.id', 'in', accountIds)
    .execute();
  return new Map(rows.map((r) => [r.id, r.kind ?? null]));
}

/** Accounts of an organisation (a partner's channel: every one of them is a reader of the incident). */
export async function accountsOfOrganisation(db: DbOrTx, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom('accounts').select('id').where('organisation_id', '=', organisationId).execute();
  return rows.map((r) => r.id);
}

export async function organisationKind(db: DbOrTx, organisationId: string): Promise<string | undefined> {
  const row = await db.selectFrom('organisations').select('kind').where('id', '=', organisationId).executeTakeFirst();
  return row?.kind;
}
