/**
 * One chunk of the seeded population: CHUNK_SIZE consecutive people, generated from their own
 * generator (seed + chunk number), sealed through `personRecord`, with their relationships:
 * enrolments and follow-up, co-management by Cap emploi or a Mission locale (under 26), a job seeker
 * account for some, and recruiters' contact requests. A chunk depends only on the plan, the keys
 * and its number, so chunks can be produced in any order, by any thread, with the same result.
 */
import type { Insertable } from 'kysely';
import { ageOn, addDays, maxDate, minDate } from '../../domain/dates.js';
import type { JobSeeker } from '../../domain/person.js';
import { romeLabel } from '../../referential/rome.js';
import { personRecord } from '../../services/person-record.js';
import type { PersonInsert } from '../../storage/people-repo.js';
import type { AccountTable, CoManagementTable, ContactRequestTable } from '../../storage/schema.js';
import { blindIndex } from '../../vault/blind-index.js';
import type { KeyringSource } from '../../vault/keyring.js';
import { generatePerson } from '../population/generate-person.js';
import type { Rng } from '../population/rng.js';
import { createRng, WeightedTable } from '../population/rng.js';
import type { EnrolmentRow, FollowupRow } from './enrolments.js';
import { drawEnrolment } from './enrolments.js';
import { identifierOfIndex, uuidFrom } from './ids.js';
import { slug } from './plan-names.js';
import type { PlannedAgency, PlannedSession, SeedPlan } from './plan-types.js';
import { PLAN_RATIOS } from './plan-types.js';

export const CHUNK_SIZE = 1_000;
export const chunkCount = (people: number): number => Math.ceil(people / CHUNK_SIZE);

/** People of the chunk, sorted by nothing in particular, and every row tied to them. */
export interface ChunkRows {
  readonly index: number;
  readonly people: PersonInsert[];
  readonly coManagements: Insertable<CoManagementTable>[];
  readonly enrolments: EnrolmentRow[];
  readonly followups: FollowupRow[];
  readonly contactRequests: Insertable<ContactRequestTable>[];
  readonly accounts: Insertable<AccountTable>[];
}

/** What every chunk of one population shares; build it once per thread. */
export interface ChunkContext {
  readonly plan: SeedPlan;
  readonly keys: KeyringSource;
  /** The argon2id hash of the job seekers' demo password. */
  readonly jobSeekerPasswordHash: string;
  readonly agencies: WeightedTable<PlannedAgency>;
  readonly identifierOf: (index: number) => string;
}

export function chunkContext(plan: SeedPlan, keys: KeyringSource, jobSeekerPasswordHash: string): ChunkContext {
  const agencies = new WeightedTable(
    plan.agencies,
    plan.agencies.map((a) => a.weight),
  );
  return { plan, keys, jobSeekerPasswordHash, agencies, identifierOf: identifierOfIndex(plan.seed) };
}

/** Rates of the relationships, per person. */
const RATES = {
  missionLocaleUnder26: 0.4,
  capEmploi: 0.04,
  account: 0.02,
  contactRequest: 0.003,
  adviser: 0.97,
} as const;
/** People 0–4 are the showcase: person 0 is in training and has an account; 0–4 answered the showcase recruiter. */
const SHOWCASE_PEOPLE = 5;

export function generateChunk(ctx: ChunkContext, index: number): ChunkRows {
  const rng = createRng(`${ctx.plan.seed}/people/${index}`);
  const rows: ChunkRows = {
    index,
    people: [],
    coManagements: [],
    enrolments: [],
    followups: [],
    contactRequests: [],
    accounts: [],
  };
  const end = Math.min(ctx.plan.people, (index + 1) * CHUNK_SIZE);
  for (let i = index * CHUNK_SIZE; i < end; i++) addPerson(ctx, rng, i, rows);
  return rows;
}

function addPerson(ctx: ChunkContext, rng: Rng, i: number, rows: ChunkRows): void {
  const { plan } = ctx;
  const agency = i === 0 ? (plan.agencies[0] as PlannedAgency) : ctx.agencies.sample(rng);
  const adviserId =
    i === 0 ? (agency.advisers[0] ?? null) : rng.chance(RATES.adviser) ? rng.pick(agency.advisers) : null;
  const drawn = generatePerson(rng, {
    today: plan.today,
    agencyId: agency.organisationId,
    adviserId,
    departement: agency.departement,
  });
  const person = withIdentifier(drawn, ctx.identifierOf(i), i === 0);
  rows.people.push(personRecord(ctx.keys, person, plan.now));
  if (i === 0 || rng.chance(PLAN_RATIOS.enrolmentRate)) enrol(ctx, rng, person, agency, rows, i === 0);
  coManage(ctx, rng, person, agency, rows);
  if (i === 0 || (person.status === 'registered' && rng.chance(RATES.account))) addAccount(ctx, rng, person, rows);
  if (i < SHOWCASE_PEOPLE || (person.status === 'registered' && rng.chance(RATES.contactRequest)))
    requestContact(ctx, rng, person, i, rows);
}

/**
 * The person with their unique identifier; the showcase job seeker always has an e-mail address
 * (a job seeker signing in from a new device receives a code there).
 */
function withIdentifier(drawn: JobSeeker, identifier: string, showcase: boolean): JobSeeker {
  const { identity, contact } = drawn.sealed;
  const email =
    contact.email ??
    (showcase ? `${slug(identity.firstNames.split(',')[0] ?? '')}.${slug(identity.lastName)}@gmail.example` : null);
  return {
    ...drawn,
    sealed: { ...drawn.sealed, identity: { ...identity, identifier }, contact: { ...contact, email } },
  };
}

function enrol(
  ctx: ChunkContext,
  rng: Rng,
  person: JobSeeker,
  agency: PlannedAgency,
  rows: ChunkRows,
  showcase: boolean,
): void {
  const { plan } = ctx;
  const training = plan.training[agency.training];
  if (!training) return;
  const sessions = training.sessions.map((s) => plan.sessions[s] as PlannedSession);
  const running = sessions.find((s) => s.startsOn <= plan.today && plan.today < s.endsOn);
  const session = showcase && running ? running : rng.pick(sessions);
  const prescribedBy = person.adviserId ?? agency.advisers[0] ?? '';
  const input = {
    session,
    personId: person.id,
    prescribedBy,
    trainers: training.trainers,
    today: plan.today,
    now: plan.now,
    inTraining: showcase && running !== undefined,
  };
  const { enrolment, followups } = drawEnrolment(rng, input);
  rows.enrolments.push(enrolment);
  rows.followups.push(...followups);
}

/** Missions locales follow people under 26; Cap emploi people with a recognised disability. */
function coManage(ctx: ChunkContext, rng: Rng, person: JobSeeker, agency: PlannedAgency, rows: ChunkRows): void {
  const { plan } = ctx;
  const young = ageOn(person.sealed.birth.birthDate, plan.today) < 26;
  const organisationId =
    young && rng.chance(RATES.missionLocaleUnder26)
      ? plan.missionsLocales[agency.missionLocale]
      : rng.chance(RATES.capEmploi)
        ? plan.capEmploi[agency.capEmploi]
        : undefined;
  if (organisationId === undefined) return;
  const since = minDate(addDays(person.registeredOn, rng.int(0, 60)), plan.today);
  const until = person.struckOffOn === null ? null : maxDate(since, person.struckOffOn);
  rows.coManagements.push({ person_id: person.id, organisation_id: organisationId, since, until });
}

/** The job seeker's own account: their login is their France Travail identifier. */
function addAccount(ctx: ChunkContext, rng: Rng, person: JobSeeker, rows: ChunkRows): void {
  rows.accounts.push({
    id: uuidFrom(rng),
    organisation_id: null,
    person_id: person.id,
    role: 'job_seeker',
    login_index: blindIndex(ctx.keys, 'login', person.sealed.identity.identifier),
    display_name: null,
    email: null,
    password_hash: ctx.jobSeekerPasswordHash,
    status: 'active',
    created_by: null,
    approved_by: null,
    created_at: ctx.plan.now,
    last_login_at: null,
    failed_logins: 0,
    locked_until: null,
  });
}

const CONTACT_STATUSES = new WeightedTable(['pending', 'accepted', 'declined'] as const, [5, 3, 2]);
const HOUR_MS = 3_600_000;

function requestContact(ctx: ChunkContext, rng: Rng, person: JobSeeker, i: number, rows: ChunkRows): void {
  const { plan } = ctx;
  const showcase = i < SHOWCASE_PEOPLE;
  const recruiter = showcase ? plan.recruiters[0] : rng.pick(plan.recruiters);
  const romeCode = person.romeCodes[0];
  if (!recruiter || romeCode === undefined) return;
  const status = showcase ? (i % 2 === 0 ? 'accepted' : 'pending') : CONTACT_STATUSES.sample(rng);
  const createdAt = plan.now - rng.int(24, 30 * 24) * HOUR_MS;
  rows.contactRequests.push({
    id: uuidFrom(rng),
    recruiter_id: recruiter.accountId,
    organisation_id: recruiter.organisationId,
    person_id: person.id,
    rome_code: romeCode,
    message: `Bonjour, votre profil nous intéresse pour un poste : ${romeLabel(romeCode) ?? romeCode}. Pouvons-nous en parler ?`,
    status,
    created_at: createdAt,
    answered_at: status === 'pending' ? null : Math.min(plan.now, createdAt + rng.int(1, 72) * HOUR_MS),
  });
}
