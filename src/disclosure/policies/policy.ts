import { sql } from 'kysely';
import type { ExpressionBuilder, ExpressionWrapper, RawBuilder, SqlBool } from 'kysely';
import type { Purpose } from '../../domain/purposes.js';
import type { Role } from '../../domain/roles.js';
import type { Database } from '../../storage/schema.js';

export type PeopleScope = ExpressionBuilder<Database & { p: Database['people'] }, 'p'>;

/**
 * The values a relationship is checked against. They are placeholders at compile time (the
 * query is compiled once per shape) and bound per call.
 */
export interface RelationParams {
  readonly accountId: string;
  readonly organisationId: string;
  readonly personId: string;
  readonly today: string; // YYYY-MM-DD, Europe/Paris
}

/** A relationship: an SQL predicate over the person row `p`, true when the reader may see p. */
export type Relation = (
  eb: PeopleScope,
  params: RelationParams,
) => ExpressionWrapper<Database & { p: Database['people'] }, 'p', SqlBool>;

/**
 * A role's policy: for each purpose it may use, the relationship that must hold. Purposes absent
 * from the map are closed to the role. Policies are by relationship, never by role alone: a role
 * opens a purpose, the relationship decides whom.
 */
export type RolePolicy = Partial<Readonly<Record<Purpose, Relation>>>;
export type PolicyTable = Readonly<Record<Role, RolePolicy>>;

/**
 * A column of the person row used only to filter the people already found by primary key. The
 * gate's query always starts from `p.id IN (…)` (at most 200 people); an index on the filtered
 * column (an agency's 40,000 people) must never become the access path, whatever the planner's
 * statistics say, and without statistics SQLite would take it. `column || ''` compares the same
 * value (NULL stays NULL) and hides the index from SQLite and PostgreSQL alike.
 */
export const filterOnly = (eb: PeopleScope, column: 'p.agency_id' | 'p.adviser_id'): RawBuilder<string> =>
  sql<string>`(${eb.ref(column)} || '')`;
