/**
 * Follow-up declarations of a training organisation (attestations d'entrée, de présence mensuelle,
 * d'interruption et de sortie) on an enrolment of its own. The rules are the domain's (FOLLOWUP.*);
 * a declaration more than 3 days after the fact is accepted and flagged late. Everything happens in
 * one transaction that first locks the enrolment row, so two declarations cannot race.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { invalid, isAppError, notFound } from '../domain/errors.js';
import type { IsoDate } from '../domain/dates.js';
import { applyFollowUp, followUpFactDate, isLateDeclaration, trainerVisibleUntil } from '../domain/training.js';
import { ENROLMENT_STATES, isExitReason } from '../domain/training-events.js';
import type { Enrolment, EnrolmentState, ExitReason, FollowUpEvent } from '../domain/training-events.js';
import type { Reader } from '../disclosure/reader.js';
import type { Tx } from '../storage/database.js';
import type { EnrolmentTable } from '../storage/schema.js';
import { enrolmentView, followUpEventView } from './enrolment-view.js';
import type { EnrolmentView, FollowUpEventView } from './enrolment-view.js';
import { requireStaff, today } from './guards.js';
import type { ServiceContext } from './service-context.js';
import { visibleToTrainer } from './trainer-sessions.js';

export type FollowUpDeclaration =
  | { kind: 'entry'; date: string }
  | {
      kind: 'attendance';
      month: string;
      hoursAttended: number;
      hoursAbsentJustified: number;
      hoursAbsentUnjustified: number;
    }
  | { kind: 'interruption' | 'exit'; date: string; reason: string };

export interface FollowUpResult {
  enrolment: EnrolmentView;
  event: FollowUpEventView;
}

export const enrolmentNotFound = () => notFound('ENROLMENT.NOT_FOUND', 'Inscription en formation introuvable.');

type EnrolmentRow = Selectable<EnrolmentTable>;

const isState = (s: string): s is EnrolmentState => (ENROLMENT_STATES as readonly string[]).includes(s);

function toDomain(row: EnrolmentRow, attendanceMonths: string[]): EnrolmentRow & Enrolment {
  const reason = row.exit_reason;
  return {
    ...row,
    state: isState(row.status) ? row.status : 'prescribed',
    prescribedOn: row.prescribed_on,
    enteredOn: row.entered_on,
    exitedOn: row.exited_on,
    exitReason: reason !== null && isExitReason(reason) ? reason : null,
    cancelledOn: null,
    attendanceMonths: [...attendanceMonths].sort(),
  };
}

function toEvent(d: FollowUpDeclaration, declaredOn: IsoDate): FollowUpEvent {
  switch (d.kind) {
    case 'entry':
      return { kind: 'entry', factDate: d.date, declaredOn };
    case 'attendance':
      return {
        kind: 'attendance',
        month: d.month,
        hoursAttended: d.hoursAttended,
        justifiedAbsenceHours: d.hoursAbsentJustified,
        unjustifiedAbsenceHours: d.hoursAbsentUnjustified,
        declaredOn,
      };
    case 'interruption':
    case 'exit':
      if (!isExitReason(d.reason)) throw invalid('FOLLOWUP.INVALID_REASON', 'Motif de sortie inconnu.');
      return { kind: d.kind, factDate: d.date, reason: d.reason satisfies ExitReason, declaredOn };
  }
}

/** Locks and loads an enrolment of `org` still visible to it; ENROLMENT.NOT_FOUND otherwise (another organisation's looks missing). */
async function lockEnrolment(tx: Tx, id: string, org: string, day: IsoDate): Promise<EnrolmentRow & Enrolment> {
  const locked = await tx
    .updateTable('enrolments')
    .set((eb) => ({ status: eb.ref('status') })) // a no-op write: takes the row lock on PostgreSQL
    .where('id', '=', id)
    .where('organisation_id', '=', org)
    .where(visibleToTrainer(day))
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) !== 1) throw enrolmentNotFound();
  const row = await tx.selectFrom('enrolments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const months = await tx
    .selectFrom('followup_events')
    .select('month')
    .where('enrolment_id', '=', id)
    .where('kind', '=', 'attendance')
    .execute();
  return toDomain(
    row,
    months.flatMap((m) => (m.month === null ? [] : [m.month])),
  );
}

function eventRow(ctx: ServiceContext, reader: Reader, enrolmentId: string, event: FollowUpEvent, factDate: IsoDate) {
  const attendance = event.kind === 'attendance' ? event : null;
  return {
    id: randomUUID(),
    enrolment_id: enrolmentId,
    kind: event.kind,
    fact_date: factDate,
    month: attendance?.month ?? null,
    hours_attended: attendance?.hoursAttended ?? null,
    hours_absent_justified: attendance?.justifiedAbsenceHours ?? null,
    hours_absent_unjustified: attendance?.unjustifiedAbsenceHours ?? null,
    reason: event.kind === 'interruption' || event.kind === 'exit' ? event.reason : null,
    declared_at: ctx.clock.now(),
    declared_by: reader.accountId,
    late: isLateDeclaration(factDate, event.declaredOn) ? 1 : 0,
  };
}

const enrolmentChanges = (after: Enrolment) => ({
  status: after.state,
  entered_on: after.enteredOn,
  exited_on: after.exitedOn,
  exit_reason: after.exitReason,
  visible_until: trainerVisibleUntil(after),
});

/** Declares one follow-up event on an enrolment of my organisation. */
export async function declareFollowUp(
  ctx: ServiceContext,
  reader: Reader,
  enrolmentId: string,
  declaration: FollowUpDeclaration,
): Promise<FollowUpResult> {
  const org = requireStaff(reader, 'trainer');
  const day = today(ctx.clock);
  const event = toEvent(declaration, day);
  return ctx.store.db.transaction().execute(async (tx) => {
    const before = await lockEnrolment(tx, enrolmentId, org, day);
    const after = applyFollowUp(before, event);
    if (isAppError(after)) throw after;
    const row = eventRow(ctx, reader, enrolmentId, event, followUpFactDate(before, event));
    await tx.insertInto('followup_events').values(row).execute();
    const changes = enrolmentChanges(after);
    await tx.updateTable('enrolments').set(changes).where('id', '=', enrolmentId).execute();
    return { enrolment: enrolmentView({ ...before, ...changes }), event: followUpEventView(row) };
  });
}
