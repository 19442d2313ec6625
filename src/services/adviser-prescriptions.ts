/**
 * Prescription of a training (prescription de formation) by an adviser, for a person of their
 * agency (their portfolio included): an enrolment in state `prescribed`, owned by the session's
 * organisation (which is what lets that organisation follow the trainee). The gate authorises the
 * person (purpose `prescription`) and records what the adviser sees of them (name, status); the
 * write is one transaction that locks the session row, so two prescriptions cannot both take the
 * last seat.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../domain/errors.js';
import type { IsoDate } from '../domain/dates.js';
import type { Reader } from '../disclosure/reader.js';
import type { DisclosedPerson } from '../disclosure/types.js';
import type { Tx } from '../storage/database.js';
import { enrolmentView } from './enrolment-view.js';
import type { EnrolmentView } from './enrolment-view.js';
import { requireStaff, today } from './guards.js';
import type { ServiceContext } from './service-context.js';
import { sessionNotFound } from './trainer-sessions.js';

export interface PrescriptionInput {
  personId: string;
  sessionId: string;
}

async function lockOpenSession(tx: Tx, sessionId: string, day: IsoDate) {
  const locked = await tx
    .updateTable('training_sessions')
    .set((eb) => ({ capacity: eb.ref('capacity') })) // no-op write: row lock on PostgreSQL
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) !== 1) throw sessionNotFound();
  const session = await tx
    .selectFrom('training_sessions')
    .selectAll()
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow();
  if (session.ends_on < day) throw conflict('TRAINING_SESSION.ENDED', 'Cette session de formation est terminée.');
  return session;
}

async function checkSeats(tx: Tx, sessionId: string, personId: string, capacity: number): Promise<void> {
  const taken = await tx
    .selectFrom('enrolments')
    .select('person_id')
    .where('session_id', '=', sessionId)
    .where('status', '!=', 'cancelled')
    .execute();
  if (taken.some((e) => e.person_id === personId)) {
    throw conflict('ENROLMENT.ALREADY_EXISTS', 'Cette personne est déjà inscrite à cette session.');
  }
  if (taken.length >= capacity) throw conflict('TRAINING_SESSION.FULL', 'Cette session de formation est complète.');
}

export interface Prescription {
  enrolment: EnrolmentView;
  person: DisclosedPerson;
}

const PRESCRIPTION_FIELDS = ['identifier', 'civility', 'lastName', 'firstNames', 'status'] as const;

/** Prescribes a session to a person of my agency; returns the enrolment and who it is for. */
export async function prescribeTraining(
  ctx: ServiceContext,
  reader: Reader,
  input: PrescriptionInput,
): Promise<Prescription> {
  requireStaff(reader, 'adviser');
  const day = today(ctx.clock);
  const person = await ctx.gate.discloseOne({
    reader,
    purpose: 'prescription',
    person: input.personId,
    fields: PRESCRIPTION_FIELDS,
  });
  if (person.fields.status !== 'registered') {
    throw conflict(
      'PERSON.NOT_REGISTERED',
      'Cette personne n’est plus inscrite : la formation ne peut pas lui être prescrite.',
    );
  }
  const enrolment = await ctx.store.db.transaction().execute(async (tx) => {
    const session = await lockOpenSession(tx, input.sessionId, day);
    await checkSeats(tx, session.id, person.id, Number(session.capacity));
    const row = newEnrolmentRow(reader, session, person.id, day, ctx.clock.now());
    await tx.insertInto('enrolments').values(row).execute();
    return enrolmentView(row);
  });
  return { enrolment, person };
}

function newEnrolmentRow(
  reader: Reader,
  session: { id: string; organisation_id: string },
  personId: string,
  day: IsoDate,
  now: number,
) {
  return {
    id: randomUUID(),
    session_id: session.id,
    person_id: personId,
    organisation_id: session.organisation_id,
    prescribed_by: reader.accountId,
    prescribed_on: day,
    status: 'prescribed',
    entered_on: null,
    exited_on: null,
    exit_reason: null,
    visible_until: null,
    created_at: now,
  };
}
