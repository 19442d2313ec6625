/**
 * France Travail adviser (conseiller): the portfolio (people followed by me), one person of my agency
 * with a stated purpose, and an exact lookup by France Travail identifier through the blind index.
 * The queries only choose whom to ask for; the gate authorises, minimises and records.
 */
import { invalid, isAppError, notFound } from '../domain/errors.js';
import { parseIdentifier } from '../domain/identifier.js';
import { MIN_REASON_LENGTH } from '../domain/purposes.js';
import type { Reader } from '../disclosure/reader.js';
import type { DisclosedPerson } from '../disclosure/types.js';
import { blindIndex } from '../vault/index.js';
import { discloseMany } from './disclose-many.js';
import { requireStaff } from './guards.js';
import { pageOf, paging } from './paging.js';
import type { Page, PageRequest } from './paging.js';
import type { ServiceContext } from './service-context.js';

export type AdviserPurpose = 'portfolio_followup' | 'agency_lookup';

export const personNotFound = () => notFound('PERSON.NOT_FOUND', 'Personne introuvable.');

/** The reason, trimmed; DISCLOSURE.REASON_REQUIRED (400, as the gate says it) when too short. */
export function requireReason(reason: string | undefined): string {
  const text = (reason ?? '').trim();
  if (text.length < MIN_REASON_LENGTH) {
    throw invalid(
      'DISCLOSURE.REASON_REQUIRED',
      `Indiquez le motif de la consultation (au moins ${MIN_REASON_LENGTH} caractères).`,
    );
  }
  return text;
}

/** My portfolio (portefeuille), one page at a time, through the gate (portfolio_followup). */
export async function listPortfolio(
  ctx: ServiceContext,
  reader: Reader,
  request: PageRequest = {},
): Promise<Page<DisclosedPerson>> {
  requireStaff(reader, 'adviser');
  const p = paging(request);
  const mine = ctx.store.db
    .selectFrom('people')
    .where('adviser_id', '=', reader.accountId)
    .where('erased_at', 'is', null);
  const total = await mine.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const ids = await mine.select('id').orderBy('id').limit(p.pageSize).offset(p.offset).execute();
  const people = await discloseMany(ctx.gate, { reader, purpose: 'portfolio_followup', people: ids.map((r) => r.id) });
  return pageOf(
    p,
    Number(total.n),
    ids.flatMap((r) => people.get(r.id) ?? []),
  );
}

/** One person: of my portfolio (portfolio_followup), or of my agency with a recorded reason (agency_lookup). */
export async function getPerson(
  ctx: ServiceContext,
  reader: Reader,
  personId: string,
  purpose: AdviserPurpose = 'portfolio_followup',
  reason?: string,
): Promise<DisclosedPerson> {
  requireStaff(reader, 'adviser');
  if (purpose === 'portfolio_followup') return ctx.gate.discloseOne({ reader, purpose, person: personId });
  return ctx.gate.discloseOne({ reader, purpose, person: personId, reason: requireReason(reason) });
}

/**
 * A person of my agency found by their France Travail identifier: one exact match on the blind
 * index, never a scan or a prefix search, then the gate (agency_lookup, reason required).
 */
export async function lookupByIdentifier(
  ctx: ServiceContext,
  reader: Reader,
  identifier: string,
  reason?: string,
): Promise<DisclosedPerson> {
  const agency = requireStaff(reader, 'adviser');
  const why = requireReason(reason);
  const parsed = parseIdentifier(identifier);
  if (isAppError(parsed)) throw parsed;
  const row = await ctx.store.db
    .selectFrom('people')
    .select('id')
    .where('bi_identifier', '=', blindIndex(ctx.keys, 'identifier', parsed))
    .where('agency_id', '=', agency)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw personNotFound();
  return ctx.gate.discloseOne({ reader, purpose: 'agency_lookup', person: row.id, reason: why });
}
