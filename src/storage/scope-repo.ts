/**
 * An incident's scope, computed in the database from the disclosure log: one INSERT … SELECT that
 * groups the incident's rows by person, so that 340,000 people never travel to the process. Each
 * branch of the query is a range scan of the covering index `disclosures_reader_scope` (reader,
 * time); several branches (accounts, single sessions) are merged with UNION, which also drops a row
 * matched twice (by its seq).
 */
import { sql } from 'kysely';
import type { Expression, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import type { ExposureCategory } from '../domain/incidents.js';
import { CATEGORY_FIELDS, EXPOSURE_CATEGORIES } from '../domain/incidents.js';
import type { DbOrTx } from './database.js';
import type { DialectCapabilities } from './dialect.js';
import type { Database } from './schema.js';

export interface ScopeCriteria {
  readonly incidentId: string;
  /** Every session of these accounts. */
  readonly readers: readonly string[];
  /** Single sessions: an account's credential named by its session reference. */
  readonly sessions: readonly { readonly accountId: string; readonly sessionRef: string }[];
  readonly from: number;
  /** Exclusive; null: every row under the head. */
  readonly to: number | null;
  /** The last row of the sealed tree head the scope is computed under. */
  readonly lastSeq: number;
}

type Branch = SelectQueryBuilder<Database, 'disclosures', ScopeRow>;
interface ScopeRow {
  seq: number;
  person_id: string;
  at: number;
  fields: string;
  purpose: string;
}

function branch(db: DbOrTx, c: ScopeCriteria, who: (q: Branch) => Branch): Branch {
  let q = db
    .selectFrom('disclosures')
    .select(['seq', 'person_id', 'at', 'fields', 'purpose'])
    .where('at', '>=', c.from)
    .where('seq', '<=', c.lastSeq);
  if (c.to !== null) q = q.where('at', '<', c.to);
  return who(q);
}

/** The incident's rows: one branch per criterion, merged (null when the criteria name nobody). */
export function scopeRows(db: DbOrTx, c: ScopeCriteria): Branch | null {
  const branches: Branch[] = [];
  if (c.readers.length > 0) branches.push(branch(db, c, (q) => q.where('reader_id', 'in', [...c.readers])));
  for (const s of c.sessions)
    branches.push(branch(db, c, (q) => q.where('reader_id', '=', s.accountId).where('session_ref', '=', s.sessionRef)));
  const [first, ...rest] = branches;
  if (!first) return null;
  return rest.reduce<Branch>((all, b) => all.union(b), first);
}

const hasField = (list: RawBuilder<string>, field: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`((',' || ${list} || ',') LIKE ${`%,${field},%`})`;

const categoryFlag = (list: RawBuilder<string>, category: ExposureCategory): RawBuilder<number> =>
  sql<number>`CASE WHEN ${sql.join(
    CATEGORY_FIELDS[category].map((f) => hasField(list, f)),
    sql` OR `,
  )} THEN 1 ELSE 0 END`;

const CATEGORY_COLUMNS = {
  identity: 'c_identity',
  birth_date: 'c_birth_date',
  nir: 'c_nir',
  postal_address: 'c_postal_address',
  email: 'c_email',
  phone: 'c_phone',
} as const satisfies Record<ExposureCategory, string>;

/**
 * Replaces the incident's people by the scope of `c`: per person, the fields and purposes
 * delivered, first and last time and row, the number of rows, and a flag per exposure category.
 */
export async function replaceIncidentPeople(tx: DbOrTx, caps: DialectCapabilities, c: ScopeCriteria): Promise<void> {
  await tx.deleteFrom('incident_people').where('incident_id', '=', c.incidentId).execute();
  const rows = scopeRows(tx, c);
  if (rows === null) return;
  const grouped = tx
    .selectFrom(rows.as('d'))
    .select([
      'd.person_id',
      caps.distinctList(sql.ref('d.fields')).as('fields'),
      caps.distinctList(sql.ref('d.purpose')).as('purposes'),
      (eb) => eb.fn.min('d.at').as('first_at'),
      (eb) => eb.fn.max('d.at').as('last_at'),
      (eb) => eb.fn.min('d.seq').as('first_seq'),
      (eb) => eb.fn.max('d.seq').as('last_seq'),
      (eb) => eb.fn.countAll<number>().as('disclosures'),
    ])
    .groupBy('d.person_id');
  const list = sql.ref('g.fields') as RawBuilder<string>;
  const flags = EXPOSURE_CATEGORIES.map((cat) => categoryFlag(list, cat).as(CATEGORY_COLUMNS[cat]));
  const identifying = sql<number>`CASE WHEN ${sql.join(
    EXPOSURE_CATEGORIES.flatMap((cat) => CATEGORY_FIELDS[cat].map((f) => hasField(list, f))),
    sql` OR `,
  )} THEN 1 ELSE 0 END`;
  const select = tx
    .selectFrom(grouped.as('g'))
    .select([
      sql.lit(c.incidentId).as('incident_id'),
      'g.person_id',
      'g.fields',
      'g.purposes',
      'g.first_at',
      'g.last_at',
      'g.first_seq',
      'g.last_seq',
      'g.disclosures',
      identifying.as('identifying'),
      ...flags,
    ]);
  await tx
    .insertInto('incident_people')
    .columns([
      'incident_id',
      'person_id',
      'fields',
      'purposes',
      'first_at',
      'last_at',
      'first_seq',
      'last_seq',
      'disclosures',
      'identifying',
      ...EXPOSURE_CATEGORIES.map((cat) => CATEGORY_COLUMNS[cat]),
    ])
    .expression(select as unknown as Expression<unknown>)
    .execute();
}

export interface PeopleTotals {
  readonly people: number;
  readonly identifyingPeople: number;
  readonly rows: number;
  readonly byCategory: Readonly<Record<ExposureCategory, number>>;
}

/** Totals over the incident's people (after `replaceIncidentPeople`). */
export async function incidentPeopleTotals(db: DbOrTx, incidentId: string): Promise<PeopleTotals> {
  const row = await db
    .selectFrom('incident_people')
    .select((eb) => [
      eb.fn.countAll<number>().as('people'),
      eb.fn.coalesce(eb.fn.sum<number>('identifying'), sql.lit(0)).as('identifying'),
      eb.fn.coalesce(eb.fn.sum<number>('disclosures'), sql.lit(0)).as('rows'),
      ...EXPOSURE_CATEGORIES.map((cat) => eb.fn.coalesce(eb.fn.sum<number>(CATEGORY_COLUMNS[cat]), sql.lit(0)).as(cat)),
    ])
    .where('incident_id', '=', incidentId)
    .executeTakeFirstOrThrow();
  const r = row as unknown as Record<string, unknown>;
  const byCategory = Object.fromEntries(EXPOSURE_CATEGORIES.map((cat) => [cat, Number(r[cat])])) as Record<
    ExposureCategory,
    number
  >;
  return { people: Number(row.people), identifyingPeople: Number(row.identifying), rows: Number(row.rows), byCategory };
}

/** Distinct people (and identifying ones) among the rows of some readers only: totals by kind of organisation. */
export async function distinctPeopleOf(db: DbOrTx, c: ScopeCriteria): Promise<{ people: number; identifying: number }> {
  const rows = scopeRows(db, c);
  if (rows === null) return { people: 0, identifying: 0 };
  const identifying = sql<number>`CASE WHEN ${sql.join(
    EXPOSURE_CATEGORIES.flatMap((cat) => CATEGORY_FIELDS[cat].map((f) => hasField(sql.ref('d.fields'), f))),
    sql` OR `,
  )} THEN d.person_id END`;
  const row = await db
    .selectFrom(rows.as('d'))
    .select([
      sql<number>`count(DISTINCT d.person_id)`.as('people'),
      sql<number>`count(DISTINCT ${identifying})`.as('identifying'),
    ])
    .executeTakeFirstOrThrow();
  return { people: Number(row.people), identifying: Number(row.identifying) };
}

export interface ScopedPerson {
  readonly personId: string;
  readonly fields: readonly string[];
  readonly purposes: readonly string[];
  readonly firstAt: number;
  readonly lastAt: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly disclosures: number;
  readonly identifying: boolean;
  readonly categories: readonly ExposureCategory[];
}

const uniqueList = (text: string): string[] => [...new Set(text.split(',').filter((s) => s.length > 0))];

type PersonRow = Database['incident_people'];
const toPerson = (r: { [K in keyof PersonRow]: PersonRow[K] }): ScopedPerson => ({
  personId: r.person_id,
  fields: uniqueList(r.fields),
  purposes: uniqueList(r.purposes).sort(),
  firstAt: Number(r.first_at),
  lastAt: Number(r.last_at),
  firstSeq: Number(r.first_seq),
  lastSeq: Number(r.last_seq),
  disclosures: Number(r.disclosures),
  identifying: r.identifying === 1,
  categories: EXPOSURE_CATEGORIES.filter((cat) => r[CATEGORY_COLUMNS[cat]] === 1),
});

export interface PeoplePage {
  readonly total: number;
  readonly people: readonly ScopedPerson[];
}

/** A page of the incident's people, by person id (stable across pages). */
export async function incidentPeoplePage(
  db: DbOrTx,
  incidentId: string,
  after: string | null,
  limit: number,
  identifyingOnly = false,
): Promise<ScopedPerson[]> {
  let q = db
    .selectFrom('incident_people')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('person_id')
    .limit(limit);
  if (after !== null) q = q.where('person_id', '>', after);
  if (identifyingOnly) q = q.where('identifying', '=', 1);
  return (await q.execute()).map(toPerson);
}

/** One person's entry in an incident, if in scope. */
export async function incidentPerson(
  db: DbOrTx,
  incidentId: string,
  personId: string,
): Promise<ScopedPerson | undefined> {
  const r = await db
    .selectFrom('incident_people')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return r ? toPerson(r) : undefined;
}
