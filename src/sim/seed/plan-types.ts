/**
 * The plan of a seeded population: every organisation, staff account and training session, decided
 * before the first person is generated. Plain data (no class, no function), so that it can be sent
 * to the sealing workers as is.
 */
import type { IsoDate } from '../../domain/dates.js';
import type { OrganisationKind, Role } from '../../domain/roles.js';

export interface PlannedOrganisation {
  readonly id: string;
  readonly kind: OrganisationKind;
  readonly name: string;
  readonly siret: string;
  readonly departement: string;
  readonly communeInsee: string;
  readonly parentAgencyId: string | null;
}

export interface PlannedStaff {
  readonly id: string;
  readonly organisationId: string;
  readonly role: Role;
  readonly displayName: string;
  readonly email: string;
}

export interface PlannedSession {
  readonly id: string;
  readonly organisationId: string;
  readonly title: string;
  readonly romeCodes: readonly string[];
  readonly startsOn: IsoDate;
  readonly endsOn: IsoDate;
  readonly placeInsee: string;
  readonly placeLabel: string;
  readonly capacity: number;
}

/** An agency and what its job seekers relate to: advisers, and the partners serving its area. */
export interface PlannedAgency {
  readonly organisationId: string;
  readonly departement: string;
  /** Share of the population registered here (weights sum to 1 over the agencies). */
  readonly weight: number;
  readonly advisers: readonly string[];
  /** Index in SeedPlan.training / capEmploi / missionsLocales. */
  readonly training: number;
  readonly capEmploi: number;
  readonly missionLocale: number;
}

export interface PlannedTraining {
  readonly organisationId: string;
  readonly trainers: readonly string[];
  /** Indexes in SeedPlan.sessions. */
  readonly sessions: readonly number[];
}

export interface PlannedRecruiter {
  readonly accountId: string;
  readonly organisationId: string;
}

/** The accounts `vigie demo` shows: each has something to see in the seeded population. */
export interface ShowcaseStaff {
  readonly adviser: PlannedStaff;
  readonly trainer: PlannedStaff;
  readonly partnerAdviser: PlannedStaff;
  readonly recruiter: PlannedStaff;
  readonly accountManager: PlannedStaff;
}

export interface SeedPlan {
  readonly people: number;
  readonly seed: string;
  /** The population's "now" (epoch ms) and its date in Paris. */
  readonly now: number;
  readonly today: IsoDate;
  readonly organisations: readonly PlannedOrganisation[];
  readonly staff: readonly PlannedStaff[];
  readonly sessions: readonly PlannedSession[];
  readonly agencies: readonly PlannedAgency[];
  readonly training: readonly PlannedTraining[];
  readonly capEmploi: readonly string[];
  readonly missionsLocales: readonly string[];
  readonly recruiters: readonly PlannedRecruiter[];
  readonly showcase: ShowcaseStaff;
}

/** People per organisation or account, the knobs of the plan. */
export const PLAN_RATIOS = {
  peoplePerAgency: 2_000,
  peoplePerAdviser: 250,
  peoplePerTrainingOrganisation: 5_000,
  peoplePerCapEmploi: 20_000,
  peoplePerMissionLocale: 5_000,
  peoplePerEmployer: 5_000,
  /** Share of people with an enrolment (entrée en formation). */
  enrolmentRate: 0.05,
  /** Enrolments per session on average. */
  enrolmentsPerSession: 12,
} as const;
