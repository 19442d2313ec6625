import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
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
export type Relation = (eb: PeopleScope, params: RelationParams) => ExpressionWrapper<Database & { p: Database['people'] }, 'p', SqlBool>;

/**
 * A role's policy: for each purpose it may use, the relationship that must hold. Purposes absent
 * from the map are closed to the role. Policies are by relationship, never by role alone: a role
 * opens a purpose, the relationship decides whom.
 */
export type RolePolicy = Partial<Readonly<Record<Purpose, Relation>>>;
export type PolicyTable = Readonly<Record<Role, RolePolicy>>;
