import type { Relation, RolePolicy } from './policy.js';

/**
 * A training organisation (organisme de formation) sees the people enrolled in its sessions, from
 * prescription until three months after their exit (`visible_until`), never a cancelled enrolment.
 */
const enrolledInMyOrganisation: Relation = (eb, r) =>
  eb.exists(
    eb
      .selectFrom('enrolments as e')
      .select(eb.lit(1).as('one'))
      .whereRef('e.person_id', '=', 'p.id')
      .where('e.organisation_id', '=', r.organisationId)
      .where('e.status', '<>', 'cancelled')
      .where((w) => w.or([w('e.visible_until', 'is', null), w('e.visible_until', '>=', r.today)])),
  );

export const trainerPolicy: RolePolicy = {
  training_followup: enrolledInMyOrganisation,
  training_contact: enrolledInMyOrganisation,
};
