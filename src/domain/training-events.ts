/**
 * Vocabulary of training follow-up (suivi de formation): enrolment states, follow-up events and the
 * fixed list of exit reasons (motifs de sortie) with their French labels. Rules live in training.ts.
 */
import type { IsoDate, IsoMonth } from './dates.js';

/**
 * prescribed (prescrite) → in_training (entrée déclarée) → completed (sortie en fin de formation)
 * or interrupted (sortie anticipée); a prescription may be cancelled (annulée) before entry.
 */
export const ENROLMENT_STATES = ['prescribed', 'in_training', 'interrupted', 'completed', 'cancelled'] as const;
export type EnrolmentState = (typeof ENROLMENT_STATES)[number];

export const ENROLMENT_STATE_LABELS: Readonly<Record<EnrolmentState, string>> = {
  prescribed: 'Prescrite',
  in_training: 'En formation',
  interrupted: 'Interrompue',
  completed: 'Terminée',
  cancelled: 'Annulée',
};

/**
 * Exit reasons (motifs de sortie). `early` reasons end a training before its term and go with an
 * interruption; the others go with an exit at the end of the training.
 */
export const EXIT_REASONS = {
  completed_certified: { label: 'Fin de formation, certification obtenue', early: false },
  completed_partially_certified: { label: 'Fin de formation, certification obtenue en partie', early: false },
  completed_not_certified: { label: 'Fin de formation sans certification', early: false },
  completed_no_certification: { label: 'Fin de formation non certifiante', early: false },
  employment: { label: 'Reprise d’emploi', early: true },
  other_training: { label: 'Entrée dans une autre formation', early: true },
  health: { label: 'Raison de santé', early: true },
  personal: { label: 'Raison personnelle ou familiale', early: true },
  abandonment: { label: 'Abandon sans motif', early: true },
  exclusion: { label: 'Exclusion par l’organisme de formation', early: true },
  session_stopped: { label: 'Arrêt de la session par l’organisme', early: true },
} as const satisfies Record<string, { label: string; early: boolean }>;
export type ExitReason = keyof typeof EXIT_REASONS;
export const EXIT_REASON_NAMES = Object.keys(EXIT_REASONS) as ExitReason[];
export const isExitReason = (s: string): s is ExitReason => Object.hasOwn(EXIT_REASONS, s);

/** The follow-up part of an enrolment (entrée en formation); stores add ids and links around it. */
export interface Enrolment {
  state: EnrolmentState;
  prescribedOn: IsoDate;
  enteredOn: IsoDate | null;
  /** Date of exit or interruption. */
  exitedOn: IsoDate | null;
  exitReason: ExitReason | null;
  cancelledOn: IsoDate | null;
  /** Months whose attendance was already declared, ascending. */
  attendanceMonths: readonly IsoMonth[];
}

/** Every event carries the day it is declared (date de déclaration), to judge lateness. */
interface Declared {
  declaredOn: IsoDate;
}

/** Entry declared (attestation d'entrée en stage). */
export interface EntryEvent extends Declared {
  kind: 'entry';
  factDate: IsoDate;
}

/** Monthly attendance (attestation mensuelle d'assiduité): one per month between entry and exit. */
export interface AttendanceEvent extends Declared {
  kind: 'attendance';
  month: IsoMonth;
  hoursAttended: number;
  justifiedAbsenceHours: number;
  unjustifiedAbsenceHours: number;
}

/** Early, definitive end (interruption / sortie anticipée). */
export interface InterruptionEvent extends Declared {
  kind: 'interruption';
  factDate: IsoDate;
  reason: ExitReason;
}

/** End of the training (sortie de formation). */
export interface ExitEvent extends Declared {
  kind: 'exit';
  factDate: IsoDate;
  reason: ExitReason;
}

/** Prescription cancelled before entry (annulation). */
export interface CancellationEvent extends Declared {
  kind: 'cancellation';
  factDate: IsoDate;
}

export type FollowUpEvent = EntryEvent | AttendanceEvent | InterruptionEvent | ExitEvent | CancellationEvent;
export type FollowUpKind = FollowUpEvent['kind'];

export const FOLLOW_UP_LABELS: Readonly<Record<FollowUpKind, string>> = {
  entry: 'Entrée en formation',
  attendance: 'Attestation mensuelle de présence',
  interruption: 'Interruption de formation',
  exit: 'Sortie de formation',
  cancellation: 'Annulation de la prescription',
};
