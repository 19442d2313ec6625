/**
 * Builds the plan of a seeded population from (people, seed, now): agencies (about one per 2,000
 * people) with advisers (portfolios of about 250) and an account manager; training organisations
 * (one per 5,000) with trainers and sessions; Cap emploi (one per 20,000) and Missions locales (one
 * per 5,000) with partner advisers; employers (one per 5,000) with recruiters. Deterministic.
 */
import { parisDate } from '../../domain/clock.js';
import { addDays } from '../../domain/dates.js';
import type { OrganisationKind, Role } from '../../domain/roles.js';
import type { Commune } from '../../referential/communes.js';
import { allDepartements } from '../../referential/communes.js';
import { romeLabel } from '../../referential/rome.js';
import type { Rng } from '../population/rng.js';
import { createRng } from '../population/rng.js';
import { populationTables } from '../population/tables.js';
import { uuidFrom } from './ids.js';
import type { AgencySite } from './plan-places.js';
import { hostAgencies, placeAgencies, servingOrganisation } from './plan-places.js';
import {
  EmailRegistry,
  agencyName,
  capEmploiName,
  drawSiret,
  drawStaffName,
  employerName,
  missionLocaleName,
  slug,
  trainingName,
} from './plan-names.js';
import type { PlannedOrganisation, PlannedSession, PlannedStaff, PlannedTraining, SeedPlan } from './plan-types.js';
import { PLAN_RATIOS } from './plan-types.js';

const atLeast = (min: number, value: number): number => Math.max(min, Math.round(value));

class PlanBuilder {
  readonly organisations: PlannedOrganisation[] = [];
  readonly staff: PlannedStaff[] = [];
  readonly sessions: PlannedSession[] = [];
  readonly #emails = new EmailRegistry();

  constructor(
    readonly rng: Rng,
    readonly people: number,
    readonly today: string,
  ) {}

  organisation(kind: OrganisationKind, name: string, site: Commune, parentAgencyId: string | null = null): string {
    const id = uuidFrom(this.rng);
    const { departement, insee: communeInsee } = site;
    this.organisations.push({ id, kind, name, siret: drawSiret(this.rng), departement, communeInsee, parentAgencyId });
    return id;
  }

  member(organisationId: string, role: Role, domain: string): PlannedStaff {
    const { first, last } = drawStaffName(this.rng);
    const member = {
      id: uuidFrom(this.rng),
      organisationId,
      role,
      displayName: `${first} ${last}`,
      email: this.#emails.claim(first, last, domain),
    };
    this.staff.push(member);
    return member;
  }

  /** `count` members of a role, plus the organisation's account manager (gestionnaire de comptes). */
  team(organisationId: string, role: Role, count: number, domain: string): PlannedStaff[] {
    const members = Array.from({ length: count }, () => this.member(organisationId, role, domain));
    this.member(organisationId, 'account_manager', domain);
    return members;
  }

  session(organisationId: string, site: Commune): number {
    const t = populationTables();
    const code = this.rng.chance(0.5) ? t.frequentRome.sample(this.rng) : this.rng.pick(t.allRome);
    const startsOn = addDays(this.today, this.rng.int(-300, 120));
    this.sessions.push({
      id: uuidFrom(this.rng),
      organisationId,
      title: romeLabel(code) ?? code,
      romeCodes: [code],
      startsOn,
      endsOn: addDays(startsOn, this.rng.int(30, 270)),
      placeInsee: site.insee,
      placeLabel: `${site.name} (${site.postalCodes[0] ?? site.departement})`,
      capacity: this.rng.int(14, 20),
    });
    return this.sessions.length - 1;
  }
}

function planAgencies(b: PlanBuilder, sites: readonly AgencySite[]) {
  return sites.map((site) => {
    const organisationId = b.organisation('agency', agencyName(site.commune), site.commune);
    const advisers = b.team(
      organisationId,
      'adviser',
      atLeast(2, (b.people * site.weight) / PLAN_RATIOS.peoplePerAdviser),
      'francetravail.example',
    );
    return {
      organisationId,
      departement: site.commune.departement,
      weight: site.weight,
      advisers: advisers.map((a) => a.id),
    };
  });
}

/** Training organisations with enough sessions for the enrolments of the agencies they serve. */
function planTraining(
  b: PlanBuilder,
  sites: readonly AgencySite[],
  hosts: readonly number[],
  serving: readonly number[],
): PlannedTraining[] {
  return hosts.map((host, index) => {
    const site = (sites[host] as AgencySite).commune;
    const organisationId = b.organisation('training', trainingName(b.rng, site), site);
    const trainers = b.team(organisationId, 'trainer', b.rng.int(2, 4), `formation-${slug(site.name)}.example`);
    const served = sites.reduce((sum, s, a) => sum + (serving[a] === index ? s.weight : 0), 0);
    const demand = (b.people * served * PLAN_RATIOS.enrolmentRate) / PLAN_RATIOS.enrolmentsPerSession;
    const sessions = Array.from({ length: atLeast(2, demand) }, () => b.session(organisationId, site));
    return { organisationId, trainers: trainers.map((t) => t.id), sessions };
  });
}

function planPartners(
  b: PlanBuilder,
  kind: 'cap_emploi' | 'mission_locale',
  sites: readonly AgencySite[],
  hosts: readonly number[],
): string[] {
  const departementNames = new Map(allDepartements().map((d) => [d.code, d.name]));
  return hosts.map((host) => {
    const site = (sites[host] as AgencySite).commune;
    const parent = b.organisations.find((o) => o.kind === 'agency' && o.communeInsee === site.insee)?.id ?? null;
    const name =
      kind === 'cap_emploi'
        ? capEmploiName(site, departementNames.get(site.departement) ?? site.departement)
        : missionLocaleName(site);
    const organisationId = b.organisation(kind, name, site, parent);
    const domain =
      kind === 'cap_emploi' ? `capemploi-${slug(site.departement)}.example` : `ml-${slug(site.name)}.example`;
    b.team(organisationId, 'partner_adviser', b.rng.int(2, 5), domain);
    return organisationId;
  });
}

function planEmployers(b: PlanBuilder, sites: readonly AgencySite[], hosts: readonly number[]) {
  return hosts.flatMap((host) => {
    const site = (sites[host] as AgencySite).commune;
    const name = employerName(b.rng, site);
    const organisationId = b.organisation('employer', name, site);
    const recruiters = b.team(organisationId, 'recruiter', b.rng.int(1, 3), `${slug(name)}.example`);
    return recruiters.map((r) => ({ accountId: r.id, organisationId }));
  });
}

const firstOfRole = (b: PlanBuilder, organisationId: string | undefined, role: Role): PlannedStaff => {
  const found = b.staff.find((s) => s.organisationId === organisationId && s.role === role);
  if (!found) throw new Error(`seed plan: no ${role} in ${organisationId ?? '?'}`);
  return found;
};

/** The plan of a population of `people` for `seed`, around the instant `now`. */
export function buildPlan(people: number, seed: string, now: number): SeedPlan {
  const b = new PlanBuilder(createRng(`${seed}/plan`), people, parisDate(now));
  const sites = placeAgencies(b.rng, atLeast(1, people / PLAN_RATIOS.peoplePerAgency));
  const agencies = planAgencies(b, sites);
  const trainingHosts = hostAgencies(b.rng, sites, atLeast(1, people / PLAN_RATIOS.peoplePerTrainingOrganisation));
  const capHosts = hostAgencies(b.rng, sites, atLeast(1, people / PLAN_RATIOS.peoplePerCapEmploi));
  const mlHosts = hostAgencies(b.rng, sites, atLeast(1, people / PLAN_RATIOS.peoplePerMissionLocale));
  const [trainingOf, capOf, mlOf] = [trainingHosts, capHosts, mlHosts].map((hosts) =>
    servingOrganisation(sites, hosts),
  ) as [number[], number[], number[]];
  const training = planTraining(b, sites, trainingHosts, trainingOf);
  const capEmploi = planPartners(b, 'cap_emploi', sites, capHosts);
  const missionsLocales = planPartners(b, 'mission_locale', sites, mlHosts);
  const recruiters = planEmployers(
    b,
    sites,
    hostAgencies(b.rng, sites, atLeast(2, people / PLAN_RATIOS.peoplePerEmployer)),
  );
  const planned = agencies.map((a, i) => ({
    ...a,
    training: trainingOf[i] ?? 0,
    capEmploi: capOf[i] ?? 0,
    missionLocale: mlOf[i] ?? 0,
  }));
  const first = planned[0];
  const showcase = {
    adviser: firstOfRole(b, first?.organisationId, 'adviser'),
    trainer: firstOfRole(b, training[first?.training ?? 0]?.organisationId, 'trainer'),
    partnerAdviser: firstOfRole(b, missionsLocales[first?.missionLocale ?? 0], 'partner_adviser'),
    recruiter: firstOfRole(b, recruiters[0]?.organisationId, 'recruiter'),
    accountManager: firstOfRole(b, first?.organisationId, 'account_manager'),
  };
  const { organisations, staff, sessions, today } = b;
  return {
    people,
    seed,
    now,
    today,
    organisations,
    staff,
    sessions,
    agencies: planned,
    training,
    capEmploi,
    missionsLocales,
    recruiters,
    showcase,
  };
}
