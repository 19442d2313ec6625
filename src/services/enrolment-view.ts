/**
 * How enrolments (entrées en formation) and their follow-up events leave the services: whitelisted
 * columns, camelCase, no personal field of the trainee (those come from the gate only).
 */
import type { Selectable } from 'kysely';
import type { EnrolmentTable, FollowupEventTable, TrainingSessionTable } from '../storage/schema.js';

export interface EnrolmentView {
  id: string;
  sessionId: string;
  personId: string;
  status: string;
  prescribedOn: string;
  enteredOn: string | null;
  exitedOn: string | null;
  exitReason: string | null;
  visibleUntil: string | null;
}

export const enrolmentView = (row: Selectable<EnrolmentTable>): EnrolmentView => ({
  id: row.id,
  sessionId: row.session_id,
  personId: row.person_id,
  status: row.status,
  prescribedOn: row.prescribed_on,
  enteredOn: row.entered_on,
  exitedOn: row.exited_on,
  exitReason: row.exit_reason,
  visibleUntil: row.visible_until,
});

export interface FollowUpEventView {
  id: string;
  kind: string;
  factDate: string;
  month: string | null;
  hoursAttended: number | null;
  hoursAbsentJustified: number | null;
  hoursAbsentUnjustified: number | null;
  reason: string | null;
  declaredAt: number;
  late: boolean;
}

const hours = (h: number | null): number | null => (h === null ? null : Number(h));

export const followUpEventView = (row: Selectable<FollowupEventTable>): FollowUpEventView => ({
  id: row.id,
  kind: row.kind,
  factDate: row.fact_date,
  month: row.month,
  hoursAttended: hours(row.hours_attended),
  hoursAbsentJustified: hours(row.hours_absent_justified),
  hoursAbsentUnjustified: hours(row.hours_absent_unjustified),
  reason: row.reason,
  declaredAt: Number(row.declared_at),
  late: Number(row.late) === 1,
});

export interface TrainingSessionView {
  id: string;
  organisationId: string;
  title: string;
  romeCodes: string[];
  startsOn: string;
  endsOn: string;
  placeCommuneInsee: string;
  placeLabel: string;
  capacity: number;
}

export const splitList = (list: string): string[] => (list === '' ? [] : list.split(','));

export const trainingSessionView = (row: Selectable<TrainingSessionTable>): TrainingSessionView => ({
  id: row.id,
  organisationId: row.organisation_id,
  title: row.title,
  romeCodes: splitList(row.rome_codes),
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  placeCommuneInsee: row.place_commune_insee,
  placeLabel: row.place_label,
  capacity: Number(row.capacity),
});
