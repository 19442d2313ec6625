/**
 * The job seeker's own space (espace personnel): my file through the gate (self_service), my
 * trainings (enrolments, sessions and follow-up, nobody else's), and the contact requests of
 * recruiters addressed to me, which I accept or decline. Every query is bound to my own person id.
 */
import { accessHistory } from '../audit/access-history.js';
import type { AccessPage } from '../audit/access-history.js';
import { conflict, notFound } from '../domain/errors.js';
import type { Reader } from '../disclosure/reader.js';
import type { DbOrTx } from '../storage/database.js';
import type { DisclosedPerson } from '../disclosure/types.js';
import { enrolmentView, followUpEventView, trainingSessionView } from './enrolment-view.js';
import type { EnrolmentView, FollowUpEventView, TrainingSessionView } from './enrolment-view.js';
import { requireJobSeeker } from './guards.js';
import type { ServiceContext } from './service-context.js';

export interface MyTraining {
  enrolment: EnrolmentView;
  session: TrainingSessionView & { organisationName: string };
  events: FollowUpEventView[];
}

export interface ContactRequestForMe {
  id: string;
  employerName: string;
  romeCode: string;
  message: string;
  status: string;
  createdAt: number;
  answeredAt: number | null;
}

/** My file, as the gate discloses it to me. */
export async function getMyFile(ctx: ServiceContext, reader: Reader): Promise<DisclosedPerson> {
  const me = requireJobSeeker(reader);
  return ctx.gate.discloseOne({ reader, purpose: 'self_service', person: me });
}

/** My enrolments, newest first, each with its session and its follow-up events. */
export async function listMyTrainings(ctx: ServiceContext, reader: Reader): Promise<MyTraining[]> {
  const me = requireJobSeeker(reader);
  const db = ctx.store.db;
  const enrolments = await db
    .selectFrom('enrolments')
    .selectAll()
    .where('person_id', '=', me)
    .orderBy('prescribed_on', 'desc')
    .orderBy('id')
    .execute();
  if (enrolments.length === 0) return [];
  const sessions = await db
    .selectFrom('training_sessions')
    .innerJoin('organisations', 'organisations.id', 'training_sessions.organisation_id')
    .selectAll('training_sessions')
    .select('organisations.name as organisation_name')
    .where(
      'training_sessions.id',
      'in',
      enrolments.map((e) => e.session_id),
    )
    .execute();
  const events = await db
    .selectFrom('followup_events')
    .selectAll()
    .where(
      'enrolment_id',
      'in',
      enrolments.map((e) => e.id),
    )
    .orderBy('fact_date')
    .orderBy('declared_at')
    .execute();
  const sessionById = new Map(
    sessions.map((s) => [s.id, { ...trainingSessionView(s), organisationName: s.organisation_name }]),
  );
  return enrolments.flatMap((e) => {
    const session = sessionById.get(e.session_id);
    if (!session) return [];
    return [
      {
        enrolment: enrolmentView(e),
        session,
        events: events.filter((ev) => ev.enrolment_id === e.id).map(followUpEventView),
      },
    ];
  });
}

const requestsForMe = (db: DbOrTx) =>
  db
    .selectFrom('contact_requests')
    .innerJoin('organisations', 'organisations.id', 'contact_requests.organisation_id')
    .select([
      'contact_requests.id',
      'organisations.name',
      'rome_code',
      'message',
      'status',
      'contact_requests.created_at',
      'answered_at',
    ]);

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestsForMe>['executeTakeFirstOrThrow']>>;

const requestForMeView = (r: RequestRow): ContactRequestForMe => ({
  id: r.id,
  employerName: r.name,
  romeCode: r.rome_code,
  message: r.message,
  status: r.status,
  createdAt: Number(r.created_at),
  answeredAt: r.answered_at === null ? null : Number(r.answered_at),
});

/** Requests addressed to me, newest first, with the employer's name (never the recruiter's account). */
export async function listContactRequestsForMe(ctx: ServiceContext, reader: Reader): Promise<ContactRequestForMe[]> {
  const me = requireJobSeeker(reader);
  const rows = await requestsForMe(ctx.store.db)
    .where('person_id', '=', me)
    .orderBy('contact_requests.created_at', 'desc')
    .orderBy('contact_requests.id')
    .execute();
  return rows.map(requestForMeView);
}

export type ContactAnswer = 'accepted' | 'declined';

/** From which states each answer may be given: declining an accepted request withdraws my consent. */
const ANSWERABLE_FROM: Readonly<Record<ContactAnswer, readonly string[]>> = {
  accepted: ['pending'],
  declined: ['pending', 'accepted'],
};

/**
 * Accepts or declines a request addressed to me. Accepting is what opens my contact details to that
 * recruiter (the gate's candidate_contact relationship); declining it later withdraws that consent,
 * and the gate stops disclosing them. A request addressed to someone else answers like a missing one.
 */
export async function answerContactRequest(
  ctx: ServiceContext,
  reader: Reader,
  requestId: string,
  answer: ContactAnswer,
): Promise<ContactRequestForMe> {
  const me = requireJobSeeker(reader);
  return ctx.store.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('contact_requests')
      .set({ status: answer, answered_at: ctx.clock.now() })
      .where('id', '=', requestId)
      .where('person_id', '=', me)
      .where('status', 'in', ANSWERABLE_FROM[answer])
      .executeTakeFirst();
    const row = await tx
      .selectFrom('contact_requests')
      .select('status')
      .where('id', '=', requestId)
      .where('person_id', '=', me)
      .executeTakeFirst();
    if (!row) throw notFound('CONTACT_REQUEST.NOT_FOUND', 'Demande de mise en relation introuvable.');
    if (Number(updated.numUpdatedRows) !== 1)
      throw conflict('CONTACT_REQUEST.ALREADY_ANSWERED', 'Vous avez déjà répondu à cette demande.');
    return requestForMeView(
      await requestsForMe(tx).where('contact_requests.id', '=', requestId).executeTakeFirstOrThrow(),
    );
  });
}

/**
 * Who looked at my file, when, why and which fields (newest first), from the disclosure log. Reading
 * it discloses nothing about me beyond what I already know, so it does not go through the gate; it
 * names organisations and roles, not the agents.
 */
export async function listMyFileAccesses(
  ctx: ServiceContext,
  reader: Reader,
  paging: { page?: number; pageSize?: number } = {},
): Promise<AccessPage> {
  const me = requireJobSeeker(reader);
  return accessHistory(ctx.store.db, me, reader.accountId, paging.page ?? 1, paging.pageSize ?? 20);
}
