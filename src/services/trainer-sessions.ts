/**
 * Training organisation (organisme de formation): its sessions, the trainees of a session and one
 * trainee's file. Enrolments of the reader's organisation say whom to ask for; the gate decides what
 * is disclosed (training_followup, or training_contact for e-mail and phone) and records it.
 */
import type { CompiledQuery, ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { notFound } from '../domain/errors.js';
import type { IsoDate } from '../domain/dates.js';
import type { Reader } from '../disclosure/reader.js';
import type { DisclosedPerson } from '../disclosure/types.js';
import { queryTemplate } from '../storage/atomic.js';
import type { Database, EnrolmentTable } from '../storage/schema.js';
import { discloseMany } from './disclose-many.js';
import { enrolmentView, trainingSessionView } from './enrolment-view.js';
import type { EnrolmentView, TrainingSessionView } from './enrolment-view.js';
import { requireStaff, today } from './guards.js';
import type { ServiceContext } from './service-context.js';

export type EnrolmentCounts = Record<'prescribed' | 'in_training' | 'interrupted' | 'completed' | 'cancelled', number>;

export interface TrainerSession extends TrainingSessionView {
  counts: EnrolmentCounts;
}

export interface Trainee {
  enrolment: EnrolmentView;
  person: DisclosedPerson;
}

export type TrainerPurpose = 'training_followup' | 'training_contact';

export const sessionNotFound = () => notFound('TRAINING_SESSION.NOT_FOUND', 'Session de formation introuvable.');

/** Enrolments a training organisation still sees: not cancelled, and not past 3 months after exit. */
export const visibleToTrainer = (day: IsoDate) => (eb: ExpressionBuilder<Database, 'enrolments'>) =>
  eb.and([
    eb('enrolments.status', '!=', 'cancelled'),
    eb.or([eb('enrolments.visible_until', 'is', null), eb('enrolments.visible_until', '>=', day)]),
  ]);

/** A trainee's enrolments with my organisation: compiled once per database (one trainee's file is the busiest read). */
const traineeEnrolmentTemplates = new WeakMap<
  Kysely<Database>,
  (args: readonly [string, string, IsoDate]) => CompiledQuery<Selectable<EnrolmentTable>>
>();
function traineeEnrolments(db: Kysely<Database>) {
  let template = traineeEnrolmentTemplates.get(db);
  if (!template) {
    template = queryTemplate<readonly [string, string, IsoDate], Selectable<EnrolmentTable>>(
      3,
      ([personId, org, day]) =>
        db
          .selectFrom('enrolments')
          .selectAll()
          .where('person_id', '=', personId!)
          .where('organisation_id', '=', org!)
          .where(visibleToTrainer(day as IsoDate))
          .orderBy('prescribed_on', 'desc')
          .orderBy('id'),
    );
    traineeEnrolmentTemplates.set(db, template);
  }
  return template;
}

const emptyCounts = (): EnrolmentCounts => ({
  prescribed: 0,
  in_training: 0,
  interrupted: 0,
  completed: 0,
  cancelled: 0,
});

/** The sessions of my organisation, with the number of enrolments in each state. */
export async function listMySessions(ctx: ServiceContext, reader: Reader): Promise<TrainerSession[]> {
  const org = requireStaff(reader, 'trainer');
  const db = ctx.store.db;
  const sessions = await db
    .selectFrom('training_sessions')
    .selectAll()
    .where('organisation_id', '=', org)
    .orderBy('starts_on', 'desc')
    .orderBy('id')
    .execute();
  const counts = await db
    .selectFrom('enrolments')
    .select(['session_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', org)
    .groupBy(['session_id', 'status'])
    .execute();
  const bySession = new Map<string, EnrolmentCounts>(sessions.map((s) => [s.id, emptyCounts()]));
  for (const c of counts) {
    const tally = bySession.get(c.session_id);
    if (tally && c.status in tally) tally[c.status as keyof EnrolmentCounts] = Number(c.n);
  }
  return sessions.map((s) => ({ ...trainingSessionView(s), counts: bySession.get(s.id) ?? emptyCounts() }));
}

/** The trainees of one session of my organisation, through the gate (training_followup). */
export async function listSessionTrainees(ctx: ServiceContext, reader: Reader, sessionId: string): Promise<Trainee[]> {
  const org = requireStaff(reader, 'trainer');
  const db = ctx.store.db;
  const session = await db
    .selectFrom('training_sessions')
    .select('id')
    .where('id', '=', sessionId)
    .where('organisation_id', '=', org)
    .executeTakeFirst();
  if (!session) throw sessionNotFound();
  const enrolments = await db
    .selectFrom('enrolments')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('organisation_id', '=', org)
    .where(visibleToTrainer(today(ctx.clock)))
    .orderBy('id')
    .execute();
  const people = await discloseMany(ctx.gate, {
    reader,
    purpose: 'training_followup',
    people: enrolments.map((e) => e.person_id),
  });
  return enrolments.flatMap((e) => {
    const person = people.get(e.person_id);
    return person ? [{ enrolment: enrolmentView(e), person }] : [];
  });
}

/** One trainee of my organisation: the gate first (absent and not disclosable look the same), then their enrolments with me. */
export async function getTrainee(
  ctx: ServiceContext,
  reader: Reader,
  personId: string,
  purpose: TrainerPurpose = 'training_followup',
): Promise<{ person: DisclosedPerson; enrolments: EnrolmentView[] }> {
  const org = requireStaff(reader, 'trainer');
  const person = await ctx.gate.discloseOne({ reader, purpose, person: personId });
  const { rows } = await ctx.store.db.executeQuery(traineeEnrolments(ctx.store.db)([personId, org, today(ctx.clock)]));
  return { person, enrolments: rows.map(enrolmentView) };
}
