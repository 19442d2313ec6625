import type { CompiledQuery, Kysely } from 'kysely';
import type { Purpose } from '../domain/purposes.js';
import type { Role } from '../domain/roles.js';
import { queryTemplate } from '../storage/atomic.js';
import type { Database, PersonTable } from '../storage/schema.js';
import { CLEAR_COLUMNS, SEALED_COLUMNS } from './person-columns.js';
import type { ReadPlan } from './person-columns.js';
import type { Relation, RelationParams } from './policies/policy.js';

export type PersonRow = Partial<PersonTable> & Pick<PersonTable, 'id' | 'key_version' | 'wrapped_key'>;
type Template = (args: readonly unknown[]) => CompiledQuery<PersonRow>;

/** IN-lists are padded to these sizes so that a handful of compiled shapes serve every call. */
const BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 200];
const bucketOf = (n: number): number => BUCKETS.find((b) => b >= n) ?? n;

/**
 * The policy query: the requested people who exist, are not erased and stand in the relationship,
 * with only the columns the read plan needs. Compiled once per (role, purpose, plan, bucket).
 */
export class PersonQueries {
  readonly #templates = new Map<string, Template>();

  constructor(private readonly db: Kysely<Database>) {}

  select(
    role: Role,
    purpose: Purpose,
    relation: Relation,
    plan: ReadPlan,
    ids: readonly string[],
    r: RelationParams,
  ): CompiledQuery<PersonRow> {
    const bucket = bucketOf(ids.length);
    const key = `${role}/${purpose}/${plan.key}/${bucket}`;
    let template = this.#templates.get(key);
    if (!template) {
      template = this.#compile(relation, plan, bucket);
      this.#templates.set(key, template);
    }
    const args: unknown[] = [r.accountId, r.organisationId, r.personId, r.today];
    for (let i = 0; i < bucket; i++) args.push(ids[i] ?? ids[0]);
    return template(args);
  }

  #compile(relation: Relation, plan: ReadPlan, bucket: number): Template {
    const columns = [...plan.groups.map((g) => SEALED_COLUMNS[g]), ...plan.clear.map((f) => CLEAR_COLUMNS[f])];
    return queryTemplate<readonly unknown[], PersonRow>(
      4 + bucket,
      ([accountId, organisationId, personId, today, ...ids]) => {
        const params: RelationParams = {
          accountId: accountId!,
          organisationId: organisationId!,
          personId: personId!,
          today: today!,
        };
        return this.db
          .selectFrom('people as p')
          .select(['p.id', 'p.key_version', 'p.wrapped_key', ...columns.map((c) => `p.${c}` as const)])
          .where('p.id', 'in', ids)
          .where('p.erased_at', 'is', null)
          .where((eb) => relation(eb, params))
          .$castTo<PersonRow>();
      },
    );
  }
}
