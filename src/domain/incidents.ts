/**
 * Personal-data breaches (violations de données) and the response to them: the words of GDPR
 * articles 33 and 34 as Vigie uses them. Pure: no I/O.
 */
import type { PersonalField } from './fields.js';

/**
 * An incident's milestones, in the order they are reached. The status is the furthest milestone
 * reached: scoping again after notifying (the scope grew) leaves it `notifying`.
 */
export const INCIDENT_STATUSES = ['open', 'scoped', 'notifying', 'reported', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_STATUS_LABELS: Readonly<Record<IncidentStatus, string>> = {
  open: 'ouvert',
  scoped: 'périmètre établi',
  notifying: 'notification des personnes en cours',
  reported: 'notifié à la CNIL',
  closed: 'clos',
};

/** Where an incident came from: a detection alert, a containment, or a security officer by hand. */
export const INCIDENT_SOURCES = ['alert', 'containment', 'manual'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** What names a credential of an incident: an account (every session of it) or one session. */
export const CREDENTIAL_KINDS = ['account', 'session'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** Every action on an incident, each written to the security log in the same transaction. */
export const INCIDENT_ACTIONS = [
  'opened',
  'scoped',
  'people_read',
  'notification_started',
  'notification_finished',
  'report_filed',
  'closed',
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/**
 * Categories of identifying data, as the scope totals and the notices speak of them. They partition
 * the identifying fields: a masked answer (no identifying field) falls in none of them.
 */
export const EXPOSURE_CATEGORIES = ['identity', 'birth_date', 'nir', 'postal_address', 'email', 'phone'] as const;
export type ExposureCategory = (typeof EXPOSURE_CATEGORIES)[number];

export const CATEGORY_FIELDS: Readonly<Record<ExposureCategory, readonly PersonalField[]>> = {
  identity: ['identifier', 'lastName', 'birthName', 'firstNames'],
  birth_date: ['birthDate'],
  nir: ['nir'],
  postal_address: ['addressLine'],
  email: ['email'],
  phone: ['phone'],
};

export const CATEGORY_LABELS: Readonly<Record<ExposureCategory, string>> = {
  identity: 'identité (nom, prénoms, identifiant France Travail)',
  birth_date: 'date de naissance',
  nir: 'numéro de sécurité sociale',
  postal_address: 'adresse postale',
  email: 'adresse électronique',
  phone: 'numéro de téléphone',
};

/** The categories a list of delivered fields falls in, in the canonical order. */
export const categoriesOf = (fields: readonly string[]): ExposureCategory[] =>
  EXPOSURE_CATEGORIES.filter((c) => CATEGORY_FIELDS[c].some((f) => fields.includes(f)));

/** Reports to the CNIL: the first one filed is initial, the next ones complete it. */
export const BREACH_REPORT_KINDS = ['initial', 'complementary'] as const;
export type BreachReportKind = (typeof BREACH_REPORT_KINDS)[number];

/** GDPR art. 33: the controller notifies the supervisory authority within 72 hours of awareness. */
export const REPORT_DEADLINE_MS = 72 * 3_600_000;

export interface BreachClock {
  readonly awareAt: number;
  readonly deadline: number;
  /** Milliseconds left before the deadline (negative once past). */
  readonly remainingMs: number;
  readonly overdue: boolean;
}

/** The 72-hour clock of an incident at `now`; stopped at the first report filed, if any. */
export function breachClock(awareAt: number, now: number, firstReportAt: number | null): BreachClock {
  const deadline = awareAt + REPORT_DEADLINE_MS;
  const at = firstReportAt ?? now;
  return { awareAt, deadline, remainingMs: deadline - at, overdue: at > deadline };
}

export const INCIDENT_TITLE_MIN = 5;
export const INCIDENT_TITLE_MAX = 200;
export const INCIDENT_DESCRIPTION_MAX = 4_000;
/** A window longer than this is refused: a year of a credential's reads is already an investigation of its own. */
export const MAX_WINDOW_MS = 400 * 86_400_000;
