import { filterOnly } from './policy.js';
import type { Relation, RolePolicy } from './policy.js';

/** The adviser's portfolio (portefeuille): people they follow. */
const inMyPortfolio: Relation = (eb, r) => eb(filterOnly(eb, 'p.adviser_id'), '=', r.accountId);

/** The people of the adviser's agency: only for a stated purpose, with a recorded reason. */
const inMyAgency: Relation = (eb, r) => eb(filterOnly(eb, 'p.agency_id'), '=', r.organisationId);

export const adviserPolicy: RolePolicy = {
  portfolio_followup: inMyPortfolio,
  agency_lookup: inMyAgency,
  prescription: inMyAgency,
};
