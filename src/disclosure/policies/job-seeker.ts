import type { Relation, RolePolicy } from './policy.js';

/** A job seeker sees only themselves. */
const myself: Relation = (eb, r) => eb('p.id', '=', r.personId);

export const jobSeekerPolicy: RolePolicy = {
  self_service: myself,
};
