/**
 * Recruiter (recruteur) search of candidate profiles by ROME code and département: registered people
 * only, at most 50 a page, through the gate's candidate_search purpose. Profiles are pseudonymised:
 * no name, contact, birth date or NIR. The fields are asked for explicitly and filtered again here,
 * so a presenter mistake cannot turn the search into a harvest of identities (threat 7).
 */
import type { PersonalField } from '../domain/fields.js';
import type { Reader } from '../disclosure/reader.js';
import type { PersonView } from '../disclosure/types.js';
import { parseDepartement, parseRome } from './criteria.js';
import { discloseMany } from './disclose-many.js';
import { requireStaff } from './guards.js';
import { pageOf, paging } from './paging.js';
import type { Page, PageRequest } from './paging.js';
import type { ServiceContext } from './service-context.js';

/** The only fields a candidate profile may carry. */
export const CANDIDATE_PROFILE_FIELDS = [
  'departement',
  'educationLevel',
  'drivingLicences',
  'vehicle',
  'romeCodes',
] as const satisfies readonly PersonalField[];
type ProfileField = (typeof CANDIDATE_PROFILE_FIELDS)[number];

export interface CandidateProfile {
  id: string;
  fields: Partial<Pick<PersonView, ProfileField>>;
  masked: boolean;
}

export interface ProfileQuery extends PageRequest {
  rome: string;
  departement: string;
}

const onlyProfileFields = (fields: Partial<PersonView>): CandidateProfile['fields'] => {
  const kept: Partial<Record<ProfileField, unknown>> = {};
  for (const f of CANDIDATE_PROFILE_FIELDS) if (fields[f] !== undefined) kept[f] = fields[f];
  return kept as CandidateProfile['fields'];
};

/** Registered candidates seeking `rome` in `departement`, pseudonymised. */
export async function searchProfiles(
  ctx: ServiceContext,
  reader: Reader,
  query: ProfileQuery,
): Promise<Page<CandidateProfile>> {
  requireStaff(reader, 'recruiter');
  const rome = parseRome(query.rome);
  const departement = parseDepartement(query.departement);
  const p = paging(query);
  const matching = ctx.store.db
    .selectFrom('person_rome')
    .innerJoin('people', 'people.id', 'person_rome.person_id')
    .where('person_rome.rome_code', '=', rome)
    .where('person_rome.departement', '=', departement)
    .where('people.status', '=', 'registered')
    .where('people.erased_at', 'is', null);
  const total = await matching.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await matching.select('people.id').orderBy('people.id').limit(p.pageSize).offset(p.offset).execute();
  const people = await discloseMany(ctx.gate, {
    reader,
    purpose: 'candidate_search',
    people: rows.map((r) => r.id),
    fields: CANDIDATE_PROFILE_FIELDS,
  });
  const items = rows.flatMap((r) => {
    const person = people.get(r.id);
    return person ? [{ id: person.id, fields: onlyProfileFields(person.fields), masked: person.masked }] : [];
  });
  return pageOf(p, Number(total.n), items);
}
