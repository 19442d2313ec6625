import type { Relation, RolePolicy } from './policy.js';

/** Pseudonymised profiles of registered job seekers (the presenter strips identity and contact). */
const registered: Relation = (eb) => eb('p.status', '=', 'registered');

/** Contact details only of candidates who accepted this recruiter's request. */
const acceptedMyContactRequest: Relation = (eb, r) =>
  eb.exists(
    eb
      .selectFrom('contact_requests as cr')
      .select(eb.lit(1).as('one'))
      .whereRef('cr.person_id', '=', 'p.id')
      .where('cr.recruiter_id', '=', r.accountId)
      .where('cr.status', '=', 'accepted'),
  );

export const recruiterPolicy: RolePolicy = {
  candidate_search: registered,
  candidate_contact: acceptedMyContactRequest,
};
