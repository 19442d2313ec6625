/**
 * The catalogue of training sessions (offre de formation): sessions not yet over, by ROME code and
 * département, with the seats left. No personal data: only sessions and counts.
 */
import type { Reader } from '../disclosure/reader.js';
import { parseDepartement, parseRome } from './criteria.js';
import { trainingSessionView } from './enrolment-view.js';
import type { TrainingSessionView } from './enrolment-view.js';
import { today } from './guards.js';
import { pageOf, paging } from './paging.js';
import type { Page, PageRequest, Paging } from './paging.js';
import type { ServiceContext } from './service-context.js';

export interface CatalogueQuery extends PageRequest {
  rome?: string;
  departement?: string;
}

export interface CatalogueEntry extends TrainingSessionView {
  organisationName: string;
  seatsLeft: number;
}

function baseQuery(ctx: ServiceContext, query: CatalogueQuery) {
  const rome = query.rome === undefined ? undefined : parseRome(query.rome);
  const departement = query.departement === undefined ? undefined : parseDepartement(query.departement);
  let q = ctx.store.db
    .selectFrom('training_sessions')
    .innerJoin('organisations', 'organisations.id', 'training_sessions.organisation_id')
    .where('training_sessions.ends_on', '>=', today(ctx.clock));
  if (rome) q = q.where('training_sessions.rome_codes', 'like', `%${rome}%`);
  if (departement) q = q.where('training_sessions.place_commune_insee', 'like', `${departement}%`);
  return q;
}

type Filtered = ReturnType<typeof baseQuery>;

/** One page of sessions with their organisation's name and the seats taken (enrolments not cancelled). */
function pageRows(q: Filtered, p: Paging) {
  return q
    .selectAll('training_sessions')
    .select('organisations.name as organisation_name')
    .select((eb) =>
      eb
        .selectFrom('enrolments')
        .select((e) => e.fn.countAll<number>().as('taken'))
        .whereRef('enrolments.session_id', '=', 'training_sessions.id')
        .where('enrolments.status', '!=', 'cancelled')
        .as('taken'),
    )
    .orderBy('training_sessions.starts_on')
    .orderBy('training_sessions.id')
    .limit(p.pageSize)
    .offset(p.offset)
    .execute();
}

/** Sessions matching the criteria, soonest first. Open to every authenticated account. */
export async function searchCatalogue(
  ctx: ServiceContext,
  _reader: Reader,
  query: CatalogueQuery = {},
): Promise<Page<CatalogueEntry>> {
  const p = paging(query);
  const q = baseQuery(ctx, query);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = (await pageRows(q, p)).map((r) => ({
    ...trainingSessionView(r),
    organisationName: r.organisation_name,
    seatsLeft: Math.max(0, Number(r.capacity) - Number(r.taken ?? 0)),
  }));
  return pageOf(p, Number(total.n), items);
}
