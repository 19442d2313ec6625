/**
 * Attacks through staff credentials: a training organisation's stolen credential (1), a partner
 * adviser taken over (2), accounts created by a hijacked account manager (3), an insider adviser's
 * export (5), and a subcontractor's legitimate export that later leaks (6).
 */
import { createStaffAccount } from '../../access/accounts.js';
import type { IsoDate } from '../../domain/dates.js';
import { getPerson } from '../../services/adviser-people.js';
import { getCoManagedFile, listCoManagedFiles } from '../../services/partner-files.js';
import { getTrainee, listSessionTrainees } from '../../services/trainer-sessions.js';
import type { ServiceContext } from '../../services/service-context.js';
import { Actor } from './actor.js';
import type { AttackPlan, AttackStep } from './attack.js';
import { attackerDevice, staffDevice } from './devices.js';
import type { SimEnv } from './env.js';
import { ATTACK_PREFIX } from './env.js';
import type { Pace } from './pacing.js';
import { nextOffHoursInstant, officeHours, officePerDay, offHours, roundTheClock } from './pacing.js';
import { createRng } from '../population/rng.js';
import { listed } from './personas.js';
import type { Variant } from './types.js';
import { firstStaff, partnersByReach, sessionsWithTrainees, trainingByReach } from './targets.js';
import { agenciesServedBy, agencyPeople, coManaged, focusAround, portfolioOf, staffOf, trainees } from './world.js';

export interface AttackInput {
  readonly env: SimEnv;
  readonly variant: Variant;
  /** 10:00 Paris on the attack's first working day. */
  readonly start: number;
  readonly today: IsoDate;
}

const PAGE = 50;

function* trainerSteps(
  ctx: ServiceContext,
  actor: Actor,
  sessions: readonly string[],
  people: readonly string[],
  bulk: boolean,
): Generator<AttackStep> {
  if (bulk)
    for (const s of sessions)
      yield { actor, action: async (r) => (await listSessionTrainees(ctx, r, s)).map((t) => t.person) };
  for (const p of people)
    yield { actor, action: async (r) => [(await getTrainee(ctx, r, p, 'training_contact')).person] };
}

function* partnerSteps(
  env: SimEnv,
  actors: () => readonly Actor[],
  files: readonly string[],
  bulk: boolean,
): Generator<AttackStep> {
  const team = actors();
  const actorAt = (i: number): Actor => team[i % team.length] as Actor;
  if (bulk)
    for (let page = 1; page <= Math.ceil(files.length / PAGE); page++)
      yield {
        actor: actorAt(page),
        action: async (r) =>
          listed(env, r, 'co_managed', await listCoManagedFiles(env.ctx, r, { page, pageSize: PAGE })),
      };
  for (const [i, p] of files.entries())
    yield { actor: actorAt(i), action: async (r) => [await getCoManagedFile(env.ctx, r, p)] };
}

const paceOf = (variant: Variant, bulk: Pace, perDay: number): Pace =>
  variant === 'bulk' ? bulk : officePerDay(perDay);

/** 1. Kairos 2025: a training organisation's password from an infostealer, used from a new device and network. */
export async function trainingCredential(input: AttackInput, rank = 0): Promise<AttackPlan> {
  const { env, variant, today } = input;
  const db = env.store.db;
  const ranked = await trainingByReach(db);
  const organisation = ranked[Math.min(rank, ranked.length - 1)] ?? '';
  const holder = await firstStaff(db, organisation, 'trainer');
  const reach = await sessionsWithTrainees(db, organisation, today);
  const actor = new Actor(env, holder.id, attackerDevice(1), ATTACK_PREFIX);
  const bulk = variant === 'bulk';
  return {
    accounts: () => [holder.id],
    focus: await focusAround(db, await agenciesServedBy(db, organisation, 'enrolments', 3), {
      training: [organisation],
    }),
    start: input.start,
    pace: paceOf(variant, roundTheClock(5, 15), 10),
    multi: false,
    hasFactor: false,
    steps: trainerSteps(env.ctx, actor, reach.sessions, reach.people, bulk),
    reachable: () => trainees(db, organisation, today),
  };
}

/** 6. A subcontractor's export on its own device and hours, which later surfaces elsewhere. */
export async function subcontractorFile(input: AttackInput): Promise<AttackPlan> {
  const plan = await trainingCredential(input, 1);
  const [accountId] = plan.accounts();
  const [holder] = (await staffOf(input.env.store.db, plan.focus.training.slice(0, 1), 'trainer')).filter(
    (s) => s.id === accountId,
  );
  if (!holder) return plan;
  const db = input.env.store.db;
  const reach = await sessionsWithTrainees(db, holder.organisationId, input.today);
  const actor = new Actor(input.env, holder.id, staffDevice(holder.id, holder.organisationId), ATTACK_PREFIX, true);
  const steps = trainerSteps(input.env.ctx, actor, reach.sessions, reach.people, input.variant === 'bulk');
  return { ...plan, steps, hasFactor: true, attribute: true, pace: paceOf(input.variant, officeHours(1, 3), 10) };
}

/** 2. 2024: a partner adviser's account reset by phone; bulk reads in the evenings and at weekends. */
export async function partnerTakeover(input: AttackInput): Promise<AttackPlan> {
  const { env, variant, today } = input;
  const db = env.store.db;
  const [organisation = ''] = await partnersByReach(db, ['cap_emploi', 'mission_locale']);
  const holder = await firstStaff(db, organisation, 'partner_adviser');
  const files = await coManaged(db, organisation, today);
  const actor = new Actor(env, holder.id, attackerDevice(2), ATTACK_PREFIX);
  const bulk = variant === 'bulk';
  return {
    accounts: () => [holder.id],
    focus: await focusAround(db, await agenciesServedBy(db, organisation, 'co_managements', 3), {
      partners: [organisation],
    }),
    start: bulk ? nextOffHoursInstant(input.start, createRng(`${env.seed}/evening`)) : input.start,
    pace: paceOf(variant, offHours(3, 8), 12),
    multi: false,
    hasFactor: false,
    steps: partnerSteps(env, () => [actor], files, bulk),
    reachable: () => coManaged(db, organisation, today),
  };
}

/** 3. Dec 2025: a hijacked account manager creates accounts, which start reading minutes later. */
export async function createdAccounts(input: AttackInput): Promise<AttackPlan> {
  const { env, variant, today } = input;
  const db = env.store.db;
  const [organisation = ''] = await partnersByReach(db, ['mission_locale']);
  const manager = await firstStaff(db, organisation, 'account_manager');
  const files = await coManaged(db, organisation, today);
  const created: Actor[] = [];
  const bulk = variant === 'bulk';
  const setup = async (): Promise<void> => {
    const actor = { accountId: manager.id, role: 'account_manager' as const, organisationId: organisation };
    for (let i = 0; i < (bulk ? 2 : 1); i++) {
      const input = {
        organisationId: organisation,
        role: 'partner_adviser' as const,
        email: `conseil.renfort${i + 1}@ml-sim.example`,
        displayName: `Conseil renfort ${i + 1}`,
        password: 'Qv7!rTz2#Lw9mKp4xB',
      };
      const account = await createStaffAccount(env.access, actor, input, attackerDevice(3));
      created.push(new Actor(env, account.id, attackerDevice(3 + i), ATTACK_PREFIX));
    }
    env.clock.advance(5 * 60_000); // the new accounts sign in minutes later
  };
  return {
    accounts: () => created.map((a) => a.accountId),
    focus: await focusAround(db, await agenciesServedBy(db, organisation, 'co_managements', 3), {
      partners: [organisation],
    }),
    start: input.start,
    pace: paceOf(variant, roundTheClock(3, 8), 12),
    multi: bulk,
    hasFactor: false,
    setup,
    steps: partnerSteps(env, () => created, files, bulk),
    reachable: () => coManaged(db, organisation, today),
  };
}

const EXPORT_REASON = 'Mise à jour des coordonnées pour une action collective';

/** 5. 2021: an adviser exports people of the agency beyond the portfolio, on their own device and hours. */
export async function insiderExport(input: AttackInput, agencies: readonly string[]): Promise<AttackPlan> {
  const { env, variant } = input;
  const db = env.store.db;
  const agency = agencies[0] ?? '';
  const insider = await firstStaff(db, agency, 'adviser');
  const portfolio = new Set(await portfolioOf(db, insider.id));
  const beyond = (await agencyPeople(db, agency)).filter((p) => !portfolio.has(p));
  const actor = new Actor(env, insider.id, staffDevice(insider.id, agency), ATTACK_PREFIX, true);
  return {
    accounts: () => [insider.id],
    focus: await focusAround(db, agencies.slice(0, 3)),
    start: input.start,
    pace: paceOf(variant, officeHours(2, 5), 500),
    multi: false,
    hasFactor: true,
    steps: beyond
      .map((p): AttackStep => ({
        actor,
        action: async (r) => [await getPerson(env.ctx, r, p, 'agency_lookup', EXPORT_REASON)],
      }))
      .values(),
    reachable: () => agencyPeople(db, agency),
  };
}
