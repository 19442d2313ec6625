import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Purpose } from '../domain/purposes.js';
import type { Role } from '../domain/roles.js';
import { enrol, insertOrganisation } from '../test-support/orgs.js';
import { insertJobSeekers, sampleJobSeeker, testKeyring } from '../test-support/people.js';
import { openTestStore, queryPlan, type TestStore } from '../test-support/stores.js';
import { readPlan } from './person-columns.js';
import { PersonQueries } from './person-query.js';
import { POLICIES } from './policies/index.js';
import { allowedFields } from './presenters.js';

/**
 * The gate's policy query must stay a primary-key search plus indexed probes whatever the size of
 * the tables: a full scan of people, enrolments or co-managements on each read is a denial of service
 * at 40 million people. Checked on SQLite after the statistics an earlier start recorded on tiny
 * tables (the situation that once made every session lookup a scan).
 */
describe('the gate’s policy queries on sqlite', () => {
  let store: TestStore;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    const agency = await insertOrganisation(store.db, 'agency');
    const training = await insertOrganisation(store.db, 'training');
    const people = [sampleJobSeeker(agency), sampleJobSeeker(agency)];
    await insertJobSeekers(store.db, testKeyring(), people);
    await enrol(store.db, training, people[0]!.id, 'adviser-1');
    await sql`ANALYZE`.execute(store.db);
    await store.migrate();
  });
  afterAll(() => store.dispose());

  const relations = Object.entries(POLICIES).flatMap(([role, purposes]) =>
    Object.entries(purposes).map(([purpose, relation]) => ({
      role: role as Role,
      purpose: purpose as Purpose,
      relation: relation!,
    })),
  );

  it.each(relations.map((r) => [`${r.role} / ${r.purpose}`, r] as const))(
    '%s reaches people by primary key, other tables by index',
    async (_, { role, purpose, relation }) => {
      const queries = new PersonQueries(store.db);
      for (const people of [['a'], ['a', 'b', 'c', 'd', 'e']]) {
        const query = queries.select(role, purpose, relation, readPlan(allowedFields(role, purpose)!), people, {
          accountId: 'x',
          organisationId: 'y',
          personId: 'z',
          today: '2026-11-22',
        });
        const steps = await queryPlan(store, query);
        for (const step of steps) expect(step).not.toMatch(/^SCAN /);
        // People are reached by their primary key, never through an index on a column shared by
        // thousands (an agency's people, an adviser's portfolio) that would then be filtered.
        for (const step of steps.filter((s) => /^SEARCH p /.test(s)))
          expect(step).toMatch(/^SEARCH p USING INDEX sqlite_autoindex_people_1 \(id=\?\)$/);
        expect(steps.some((s) => /^SEARCH p /.test(s))).toBe(true);
      }
    },
  );
});
