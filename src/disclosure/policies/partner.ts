import type { Relation, RolePolicy } from './policy.js';

/** Cap emploi and Missions locales see the files they co-manage (cotraitance), while it lasts. */
const coManagedByMyOrganisation: Relation = (eb, r) =>
  eb.exists(
    eb
      .selectFrom('co_managements as c')
      .select(eb.lit(1).as('one'))
      .whereRef('c.person_id', '=', 'p.id')
      .where('c.organisation_id', '=', r.organisationId)
      .where((w) => w.or([w('c.until', 'is', null), w('c.until', '>=', r.today)])),
  );

export const partnerAdviserPolicy: RolePolicy = {
  co_management: coManagedByMyOrganisation,
};
