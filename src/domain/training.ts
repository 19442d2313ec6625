/**
 * Training follow-up rules (suivi de formation): state transitions, the 3-day declaration delay and
 * the window during which a training organisation may see a trainee. Pure: dates come in as
 * arguments, never from a clock.
 */
import type { AppError } from './errors.js';
import { conflict, invalid } from './errors.js';
import type { IsoDate } from './dates.js';
import { addMonths, daysBetween, isIsoDate, isIsoMonth, lastDayOfMonth, minDate, monthOf } from './dates.js';
import type {
  AttendanceEvent,
  CancellationEvent,
  Enrolment,
  EntryEvent,
  ExitEvent,
  FollowUpEvent,
  InterruptionEvent,
} from './training-events.js';
import { EXIT_REASONS, isExitReason } from './training-events.js';

/** Each follow-up event is due within 3 calendar days of the fact it reports. */
export const DECLARATION_DELAY_DAYS = 3;
/** A training organisation keeps sight of a trainee for 3 months after exit. */
export const TRAINER_VISIBILITY_MONTHS = 3;
const MAX_HOURS_IN_A_MONTH = 31 * 24;

export const newEnrolment = (prescribedOn: IsoDate): Enrolment => ({
  state: 'prescribed',
  prescribedOn,
  enteredOn: null,
  exitedOn: null,
  exitReason: null,
  cancelledOn: null,
  attendanceMonths: [],
});

/** True when the declaration comes more than 3 calendar days after the fact. */
export const isLateDeclaration = (factDate: IsoDate, declaredOn: IsoDate): boolean =>
  daysBetween(factDate, declaredOn) > DECLARATION_DELAY_DAYS;

/** The fact an event reports: its date, or for attendance the end of the month (or the exit if sooner). */
export function followUpFactDate(enrolment: Enrolment, event: FollowUpEvent): IsoDate {
  if (event.kind !== 'attendance') return event.factDate;
  const endOfMonth = lastDayOfMonth(event.month);
  return enrolment.exitedOn === null ? endOfMonth : minDate(endOfMonth, enrolment.exitedOn);
}

export const isLateFollowUp = (enrolment: Enrolment, event: FollowUpEvent): boolean =>
  isLateDeclaration(followUpFactDate(enrolment, event), event.declaredOn);

/** The last day a training organisation may see the person, or null while no exit is declared. */
export const trainerVisibleUntil = (enrolment: Enrolment): IsoDate | null =>
  enrolment.exitedOn === null ? null : addMonths(enrolment.exitedOn, TRAINER_VISIBILITY_MONTHS);

/** From prescription until 3 months after exit; never for a cancelled enrolment. */
export function trainerMayStillSee(enrolment: Enrolment, today: IsoDate): boolean {
  if (enrolment.state === 'cancelled' || today < enrolment.prescribedOn) return false;
  const until = trainerVisibleUntil(enrolment);
  return until === null || today <= until;
}

/**
 * Applies one follow-up event. Returns the new enrolment (other properties of `E` are kept) or an
 * AppError with a stable `FOLLOWUP.*` code; the enrolment passed in is never modified.
 */
export function applyFollowUp<E extends Enrolment>(enrolment: E, event: FollowUpEvent): E | AppError {
  const malformed = checkDates(event);
  if (malformed) return malformed;
  switch (event.kind) {
    case 'entry':
      return applyEntry(enrolment, event);
    case 'attendance':
      return applyAttendance(enrolment, event);
    case 'interruption':
    case 'exit':
      return applyEnd(enrolment, event);
    case 'cancellation':
      return applyCancellation(enrolment, event);
  }
}

function applyEntry<E extends Enrolment>(e: E, ev: EntryEvent): E | AppError {
  const error =
    refuseIfCancelled(e) ??
    (e.enteredOn !== null ? alreadyEntered() : null) ??
    refuseFuture(ev.factDate, ev.declaredOn) ??
    refuseBeforePrescription(e, ev.factDate);
  return error ?? { ...e, state: 'in_training', enteredOn: ev.factDate };
}

function applyAttendance<E extends Enrolment>(e: E, ev: AttendanceEvent): E | AppError {
  const error =
    refuseIfCancelled(e) ??
    requireEntered(e) ??
    refuseMonthOutside(e, ev) ??
    (e.attendanceMonths.includes(ev.month) ? monthAlreadyDeclared() : null) ??
    checkHours(ev) ??
    refuseFuture(followUpFactDate(e, ev), ev.declaredOn);
  if (error) return error;
  return { ...e, attendanceMonths: [...e.attendanceMonths, ev.month].sort() };
}

function applyEnd<E extends Enrolment>(e: E, ev: InterruptionEvent | ExitEvent): E | AppError {
  const error =
    refuseIfCancelled(e) ??
    requireEntered(e) ??
    (e.exitedOn !== null ? alreadyExited() : null) ??
    checkReason(ev) ??
    refuseFuture(ev.factDate, ev.declaredOn) ??
    refuseEndBeforeEntry(e, ev.factDate) ??
    refuseAttendanceAfterEnd(e, ev.factDate);
  if (error) return error;
  const state = ev.kind === 'interruption' ? 'interrupted' : 'completed';
  return { ...e, state, exitedOn: ev.factDate, exitReason: ev.reason };
}

function applyCancellation<E extends Enrolment>(e: E, ev: CancellationEvent): E | AppError {
  const error =
    refuseIfCancelled(e) ??
    (e.enteredOn !== null ? alreadyEntered() : null) ??
    refuseFuture(ev.factDate, ev.declaredOn) ??
    refuseBeforePrescription(e, ev.factDate);
  return error ?? { ...e, state: 'cancelled', cancelledOn: ev.factDate };
}

function checkDates(ev: FollowUpEvent): AppError | null {
  const factOk = ev.kind === 'attendance' ? isIsoMonth(ev.month) : isIsoDate(ev.factDate);
  if (factOk && isIsoDate(ev.declaredOn)) return null;
  return invalid('FOLLOWUP.INVALID_DATE', 'Date invalide : attendu AAAA-MM-JJ (ou AAAA-MM pour le mois de présence).');
}

const refuseIfCancelled = (e: Enrolment): AppError | null =>
  e.state === 'cancelled' ? conflict('FOLLOWUP.CANCELLED', 'Cette inscription en formation a été annulée.') : null;

const requireEntered = (e: Enrolment): AppError | null =>
  e.enteredOn === null ? conflict('FOLLOWUP.NOT_ENTERED', 'L’entrée en formation n’a pas encore été déclarée.') : null;

const alreadyEntered = (): AppError =>
  conflict('FOLLOWUP.ALREADY_ENTERED', 'L’entrée en formation a déjà été déclarée.');

const alreadyExited = (): AppError =>
  conflict('FOLLOWUP.ALREADY_EXITED', 'La sortie ou l’interruption de cette formation a déjà été déclarée.');

const monthAlreadyDeclared = (): AppError =>
  conflict('FOLLOWUP.MONTH_ALREADY_DECLARED', 'La présence de ce mois a déjà été déclarée.');

const refuseFuture = (factDate: IsoDate, declaredOn: IsoDate): AppError | null =>
  factDate > declaredOn
    ? invalid('FOLLOWUP.FACT_IN_FUTURE', 'On ne peut pas déclarer un fait qui n’a pas encore eu lieu.')
    : null;

const refuseBeforePrescription = (e: Enrolment, factDate: IsoDate): AppError | null =>
  factDate < e.prescribedOn
    ? invalid('FOLLOWUP.FACT_BEFORE_PRESCRIPTION', 'La date déclarée précède la prescription de la formation.')
    : null;

const refuseEndBeforeEntry = (e: Enrolment, factDate: IsoDate): AppError | null =>
  e.enteredOn !== null && factDate < e.enteredOn
    ? invalid('FOLLOWUP.EXIT_BEFORE_ENTRY', 'La date de sortie précède la date d’entrée en formation.')
    : null;

function refuseAttendanceAfterEnd(e: Enrolment, factDate: IsoDate): AppError | null {
  const lastMonth = e.attendanceMonths[e.attendanceMonths.length - 1];
  if (lastMonth === undefined || lastMonth <= monthOf(factDate)) return null;
  return conflict(
    'FOLLOWUP.ATTENDANCE_AFTER_EXIT',
    'Une présence a déjà été déclarée pour un mois postérieur à cette date de sortie.',
  );
}

function refuseMonthOutside(e: Enrolment, ev: AttendanceEvent): AppError | null {
  const afterEntry = e.enteredOn !== null && ev.month >= monthOf(e.enteredOn);
  const beforeExit = e.exitedOn === null || ev.month <= monthOf(e.exitedOn);
  if (afterEntry && beforeExit) return null;
  return invalid(
    'FOLLOWUP.MONTH_OUTSIDE_TRAINING',
    'Ce mois n’est pas compris entre l’entrée et la sortie de formation.',
  );
}

function checkHours(ev: AttendanceEvent): AppError | null {
  const hours = [ev.hoursAttended, ev.justifiedAbsenceHours, ev.unjustifiedAbsenceHours];
  const total = hours.reduce((a, b) => a + b, 0);
  if (hours.every((h) => Number.isFinite(h) && h >= 0) && total <= MAX_HOURS_IN_A_MONTH) return null;
  return invalid(
    'FOLLOWUP.INVALID_HOURS',
    'Les heures de présence et d’absence doivent être positives et tenir dans le mois.',
  );
}

function checkReason(ev: InterruptionEvent | ExitEvent): AppError | null {
  if (!isExitReason(ev.reason)) return invalid('FOLLOWUP.INVALID_REASON', 'Motif de sortie inconnu.');
  const early = EXIT_REASONS[ev.reason].early;
  if (early === (ev.kind === 'interruption')) return null;
  return invalid(
    'FOLLOWUP.REASON_MISMATCH',
    early
      ? 'Ce motif correspond à une sortie anticipée : déclarez une interruption.'
      : 'Ce motif correspond à une fin de formation : déclarez une sortie.',
  );
}
