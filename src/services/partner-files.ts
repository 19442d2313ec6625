/**
 * Co-managing partner (Cap emploi, Mission locale): the files it co-manages (cotraitance) and one of
 * them. Only active co-management rows of my organisation choose whom to ask for; the gate decides
 * (co_management) and records.
 */
import type { Reader } from '../disclosure/reader.js';
import type { DisclosedPerson } from '../disclosure/types.js';
import { discloseMany } from './disclose-many.js';
import { requireStaff, today } from './guards.js';
import { pageOf, paging } from './paging.js';
import type { Page, PageRequest } from './paging.js';
import type { ServiceContext } from './service-context.js';

/** The files my organisation co-manages today, one page at a time. */
export async function listCoManagedFiles(
  ctx: ServiceContext,
  reader: Reader,
  request: PageRequest = {},
): Promise<Page<DisclosedPerson>> {
  const org = requireStaff(reader, 'partner_adviser');
  const p = paging(request);
  const day = today(ctx.clock);
  const active = ctx.store.db
    .selectFrom('co_managements')
    .where('organisation_id', '=', org)
    .where('since', '<=', day)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>=', day)]));
  const total = await active.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await active.select('person_id').orderBy('person_id').limit(p.pageSize).offset(p.offset).execute();
  const people = await discloseMany(ctx.gate, {
    reader,
    purpose: 'co_management',
    people: rows.map((r) => r.person_id),
  });
  return pageOf(
    p,
    Number(total.n),
    rows.flatMap((r) => people.get(r.person_id) ?? []),
  );
}

/** One co-managed file; PERSON.NOT_FOUND when it is not (or no longer) co-managed by my organisation. */
export async function getCoManagedFile(
  ctx: ServiceContext,
  reader: Reader,
  personId: string,
): Promise<DisclosedPerson> {
  requireStaff(reader, 'partner_adviser');
  return ctx.gate.discloseOne({ reader, purpose: 'co_management', person: personId });
}
