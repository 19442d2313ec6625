/**
 * Contact requests (demandes de mise en relation): a recruiter asks to contact a candidate found in
 * the search; the candidate accepts or declines. The candidate's contact details reach the recruiter
 * only through the gate (candidate_contact), and only once the candidate has accepted.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { conflict, invalid } from '../domain/errors.js';
import type { Reader } from '../disclosure/reader.js';
import type { DisclosedPerson } from '../disclosure/types.js';
import type { Tx } from '../storage/database.js';
import type { ContactRequestTable } from '../storage/schema.js';
import { personNotFound } from './adviser-people.js';
import { parseRome } from './criteria.js';
import { discloseMany } from './disclose-many.js';
import { requireStaff } from './guards.js';
import { pageOf, paging } from './paging.js';
import type { Page, PageRequest } from './paging.js';
import type { ServiceContext } from './service-context.js';

export const MAX_MESSAGE_LENGTH = 1000;

export interface ContactRequestInput {
  personId: string;
  romeCode: string;
  message: string;
}

export interface ContactRequestView {
  id: string;
  personId: string;
  romeCode: string;
  message: string;
  status: string;
  createdAt: number;
  answeredAt: number | null;
}

export interface RecruiterContactRequest extends ContactRequestView {
  /** The candidate's contact details, disclosed by the gate; null until the candidate accepts. */
  candidate: DisclosedPerson | null;
}

export const contactRequestView = (r: Selectable<ContactRequestTable>): ContactRequestView => ({
  id: r.id,
  personId: r.person_id,
  romeCode: r.rome_code,
  message: r.message,
  status: r.status,
  createdAt: Number(r.created_at),
  answeredAt: r.answered_at === null ? null : Number(r.answered_at),
});

function parseMessage(message: string): string {
  const text = message.trim();
  if (text.length === 0 || text.length > MAX_MESSAGE_LENGTH) {
    throw invalid(
      'CONTACT_REQUEST.INVALID_MESSAGE',
      `Le message doit comporter entre 1 et ${MAX_MESSAGE_LENGTH} caractères.`,
    );
  }
  return text;
}

/** The person must be a registered candidate seeking this ROME code: the only people the search shows. */
async function requireCandidate(tx: Tx, personId: string, rome: string): Promise<void> {
  const found = await tx
    .selectFrom('person_rome')
    .innerJoin('people', 'people.id', 'person_rome.person_id')
    .select('people.id')
    .where('person_rome.person_id', '=', personId)
    .where('person_rome.rome_code', '=', rome)
    .where('people.status', '=', 'registered')
    .where('people.erased_at', 'is', null)
    .executeTakeFirst();
  if (!found) throw personNotFound();
}

async function refuseSecondPending(tx: Tx, recruiterId: string, personId: string): Promise<void> {
  // no-op write on the recruiter's account: serialises this recruiter's requests on PostgreSQL
  await tx
    .updateTable('accounts')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', recruiterId)
    .execute();
  const pending = await tx
    .selectFrom('contact_requests')
    .select('id')
    .where('recruiter_id', '=', recruiterId)
    .where('person_id', '=', personId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (pending)
    throw conflict(
      'CONTACT_REQUEST.ALREADY_PENDING',
      'Une demande de mise en relation avec ce candidat est déjà en attente.',
    );
}

/** Asks to contact a candidate; the request waits for the candidate's answer. */
export async function requestContact(
  ctx: ServiceContext,
  reader: Reader,
  input: ContactRequestInput,
): Promise<ContactRequestView> {
  const org = requireStaff(reader, 'recruiter');
  const rome = parseRome(input.romeCode);
  const message = parseMessage(input.message);
  return ctx.store.db.transaction().execute(async (tx) => {
    await requireCandidate(tx, input.personId, rome);
    await refuseSecondPending(tx, reader.accountId, input.personId);
    const row = {
      id: randomUUID(),
      recruiter_id: reader.accountId,
      organisation_id: org,
      person_id: input.personId,
      rome_code: rome,
      message,
      status: 'pending',
      created_at: ctx.clock.now(),
      answered_at: null,
    };
    await tx.insertInto('contact_requests').values(row).execute();
    return contactRequestView(row);
  });
}

/** My requests, newest first; accepted ones carry the candidate's contact details from the gate. */
export async function listMyContactRequests(
  ctx: ServiceContext,
  reader: Reader,
  request: PageRequest = {},
): Promise<Page<RecruiterContactRequest>> {
  requireStaff(reader, 'recruiter');
  const p = paging(request);
  const mine = ctx.store.db.selectFrom('contact_requests').where('recruiter_id', '=', reader.accountId);
  const total = await mine.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await mine
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(p.pageSize)
    .offset(p.offset)
    .execute();
  const accepted = rows.filter((r) => r.status === 'accepted').map((r) => r.person_id);
  const contacts =
    accepted.length === 0
      ? new Map<string, DisclosedPerson>()
      : await discloseMany(ctx.gate, { reader, purpose: 'candidate_contact', people: accepted });
  const items = rows.map((r) => ({
    ...contactRequestView(r),
    candidate: r.status === 'accepted' ? (contacts.get(r.person_id) ?? null) : null,
  }));
  return pageOf(p, Number(total.n), items);
}
