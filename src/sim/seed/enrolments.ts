/**
 * Enrolments (entrées en formation) of seeded people and their follow-up events, consistent with
 * the session dates and today: a session not started yet has prescriptions; one under way has
 * trainees in training (and a few interruptions); one over has completions, with `visible_until`
 * three months after the exit. About one prescription in eight is cancelled.
 */
import type { Insertable } from 'kysely';
import type { IsoDate } from '../../domain/dates.js';
import { addDays, addMonths, daysBetween, lastDayOfMonth, minDate, monthOf, toDayNumber } from '../../domain/dates.js';
import { isLateDeclaration, TRAINER_VISIBILITY_MONTHS } from '../../domain/training.js';
import type { EnrolmentState, ExitReason } from '../../domain/training-events.js';
import { EXIT_REASON_NAMES, EXIT_REASONS } from '../../domain/training-events.js';
import type { EnrolmentTable, FollowupEventTable } from '../../storage/schema.js';
import type { Rng } from '../population/rng.js';
import { uuidFrom } from './ids.js';
import type { PlannedSession } from './plan-types.js';

export type EnrolmentRow = Insertable<EnrolmentTable>;
export type FollowupRow = Insertable<FollowupEventTable>;

const EARLY_REASONS = EXIT_REASON_NAMES.filter((r) => EXIT_REASONS[r].early);
const FINAL_REASONS = EXIT_REASON_NAMES.filter((r) => !EXIT_REASONS[r].early);
const DAY_MS = 86_400_000;

interface Outcome {
  status: EnrolmentState;
  prescribedOn: IsoDate;
  enteredOn: IsoDate | null;
  exitedOn: IsoDate | null;
  exitReason: ExitReason | null;
}

/** What became of a prescription to `session`, as of `today`; `inTraining` forces a trainee in a running session. */
function drawOutcome(rng: Rng, session: PlannedSession, today: IsoDate, inTraining: boolean): Outcome {
  const prescribedOn = minDate(addDays(session.startsOn, -rng.int(7, 45)), today);
  const none = { prescribedOn, enteredOn: null, exitedOn: null, exitReason: null };
  if (!inTraining && rng.chance(0.12)) return { status: 'cancelled', ...none };
  if (session.startsOn > today) return { status: 'prescribed', ...none };
  const enteredOn = minDate(addDays(session.startsOn, rng.int(0, 2)), today);
  const lastDay = minDate(session.endsOn, today);
  if (!inTraining && rng.chance(0.1)) {
    const exitedOn = addDays(enteredOn, rng.below(Math.max(1, daysBetween(enteredOn, lastDay) + 1)));
    return { status: 'interrupted', prescribedOn, enteredOn, exitedOn, exitReason: rng.pick(EARLY_REASONS) };
  }
  if (!inTraining && session.endsOn <= today) {
    return {
      status: 'completed',
      prescribedOn,
      enteredOn,
      exitedOn: session.endsOn,
      exitReason: rng.pick(FINAL_REASONS),
    };
  }
  return { status: 'in_training', prescribedOn, enteredOn, exitedOn: null, exitReason: null };
}

/** Epoch ms of a declaration made `date` at 10:00 UTC, never after `now`. */
const declaredAt = (date: IsoDate, now: number): number => Math.min(now, toDayNumber(date) * DAY_MS + 10 * 3_600_000);

export interface EnrolmentInput {
  readonly session: PlannedSession;
  readonly personId: string;
  readonly prescribedBy: string;
  readonly trainers: readonly string[];
  readonly today: IsoDate;
  readonly now: number;
  readonly inTraining?: boolean;
}

/** One enrolment row and the follow-up events its outcome implies (entry, first month, exit). */
export function drawEnrolment(rng: Rng, input: EnrolmentInput): { enrolment: EnrolmentRow; followups: FollowupRow[] } {
  const { session, today, now } = input;
  const o = drawOutcome(rng, session, today, input.inTraining ?? false);
  const enrolment: EnrolmentRow = {
    id: uuidFrom(rng),
    session_id: session.id,
    person_id: input.personId,
    organisation_id: session.organisationId,
    prescribed_by: input.prescribedBy,
    prescribed_on: o.prescribedOn,
    status: o.status,
    entered_on: o.enteredOn,
    exited_on: o.exitedOn,
    exit_reason: o.exitReason,
    visible_until: o.exitedOn === null ? null : addMonths(o.exitedOn, TRAINER_VISIBILITY_MONTHS),
    created_at: declaredAt(o.prescribedOn, now),
  };
  return { enrolment, followups: drawFollowups(rng, enrolment, o, input) };
}

function drawFollowups(rng: Rng, enrolment: EnrolmentRow, o: Outcome, input: EnrolmentInput): FollowupRow[] {
  if (o.enteredOn === null) return [];
  const event = (kind: string, factDate: IsoDate, extra: Partial<FollowupRow> = {}): FollowupRow => {
    const declaredOn = minDate(addDays(factDate, rng.chance(0.85) ? rng.int(0, 3) : rng.int(4, 12)), input.today);
    return {
      id: uuidFrom(rng),
      enrolment_id: enrolment.id,
      kind,
      fact_date: factDate,
      month: null,
      hours_attended: null,
      hours_absent_justified: null,
      hours_absent_unjustified: null,
      reason: null,
      declared_at: declaredAt(declaredOn, input.now),
      declared_by: rng.pick(input.trainers),
      late: isLateDeclaration(factDate, declaredOn) ? 1 : 0,
      ...extra,
    };
  };
  const events = [event('entry', o.enteredOn)];
  const month = monthOf(o.enteredOn);
  if (month < monthOf(input.today)) {
    const hours = {
      hours_attended: rng.int(40, 140),
      hours_absent_justified: rng.int(0, 7),
      hours_absent_unjustified: rng.chance(0.2) ? rng.int(1, 14) : 0,
    };
    events.push(event('attendance', minDate(lastDayOfMonth(month), o.exitedOn ?? input.today), { month, ...hours }));
  }
  if (o.exitedOn !== null)
    events.push(event(o.status === 'interrupted' ? 'interruption' : 'exit', o.exitedOn, { reason: o.exitReason }));
  return events;
}
