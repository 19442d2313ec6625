/** The successive scopes of an incident, each under the sealed tree head it was computed under. */
import type { ExposureCategory } from '../domain/incidents.js';
import type { DbOrTx } from './database.js';
import type { IncidentScopeTable } from './schema.js';
import type { Selectable } from 'kysely';

export interface ScopeTotals {
  readonly people: number;
  /** People who received at least one identifying field (the others only masked answers). */
  readonly identifyingPeople: number;
  /** Rows of the disclosure log counted. */
  readonly rows: number;
  readonly byCategory: Readonly<Record<ExposureCategory, number>>;
  /** Distinct people (and identifying ones) by kind of the reading organisation. */
  readonly byOrganisationKind: Readonly<Record<string, { readonly people: number; readonly identifying: number }>>;
}

export interface ScopeHead {
  readonly treeSize: number;
  readonly lastSeq: number;
  readonly rootHash: string;
  readonly createdAt: number;
}

export interface ScopeRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly number: number;
  readonly computedAt: number;
  readonly computedBy: string;
  readonly windowFrom: number;
  readonly windowTo: number;
  readonly head: ScopeHead;
  readonly totals: ScopeTotals;
}

export async function insertScope(db: DbOrTx, s: ScopeRecord): Promise<void> {
  await db
    .insertInto('incident_scopes')
    .values({
      id: s.id,
      incident_id: s.incidentId,
      number: s.number,
      computed_at: s.computedAt,
      computed_by: s.computedBy,
      window_from: s.windowFrom,
      window_to: s.windowTo,
      tree_size: s.head.treeSize,
      last_seq: s.head.lastSeq,
      root_hash: s.head.rootHash,
      head_created_at: s.head.createdAt,
      rows: s.totals.rows,
      people: s.totals.people,
      identifying_people: s.totals.identifyingPeople,
      totals: JSON.stringify(s.totals),
    })
    .execute();
}

const toScope = (r: Selectable<IncidentScopeTable>): ScopeRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  number: Number(r.number),
  computedAt: Number(r.computed_at),
  computedBy: r.computed_by,
  windowFrom: Number(r.window_from),
  windowTo: Number(r.window_to),
  head: {
    treeSize: Number(r.tree_size),
    lastSeq: Number(r.last_seq),
    rootHash: r.root_hash,
    createdAt: Number(r.head_created_at),
  },
  totals: JSON.parse(r.totals) as ScopeTotals,
});

/** Every scope of the incident, first first. */
export async function scopesOf(db: DbOrTx, incidentId: string): Promise<ScopeRecord[]> {
  const rows = await db
    .selectFrom('incident_scopes')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('number')
    .execute();
  return rows.map(toScope);
}

export async function latestScope(db: DbOrTx, incidentId: string): Promise<ScopeRecord | undefined> {
  const row = await db
    .selectFrom('incident_scopes')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toScope(row) : undefined;
}
