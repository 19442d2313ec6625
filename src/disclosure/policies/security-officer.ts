import type { Relation, RolePolicy } from './policy.js';

/**
 * The security officer / DPO sees the people an incident still under way exposed, to tell them
 * (GDPR art. 34): nobody else, and nobody once the incident is closed.
 */
const inTheScopeOfAnOpenIncident: Relation = (eb) =>
  eb.exists(
    eb
      .selectFrom('incident_people as ip')
      .innerJoin('incidents as i', 'i.id', 'ip.incident_id')
      .select(eb.lit(1).as('one'))
      .whereRef('ip.person_id', '=', 'p.id')
      .where('i.status', '<>', 'closed'),
  );

export const securityOfficerPolicy: RolePolicy = {
  breach_response: inTheScopeOfAnOpenIncident,
};
