/**
 * The sampled legitimate population of a run: every account of the focus agencies, of the training
 * organisations and partners serving them, a few recruiters, and the job seekers of those agencies
 * who have an account, each with its own device and network.
 */
import type { IsoDate } from '../../domain/dates.js';
import { addDays } from '../../domain/dates.js';
import { Actor } from './actor.js';
import { isWorkingDay } from './calendar.js';
import { homeDevice, staffDevice } from './devices.js';
import type { SimEnv } from './env.js';
import { LEGIT_PREFIX } from './env.js';
import { canaryIds } from './canaries.js';
import { LegitTraffic } from './legit.js';
import { adviserPersona, partnerPersona, recruiterPersona, seekerPersona, trainerPersona } from './personas.js';
import type { TrainerWork } from './personas.js';
import type { Focus, Staff } from './world.js';
import { agencyPeople, coManaged, portfolioOf, seekerAccounts, staffOf, trainees } from './world.js';

export interface Period {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** Real work never asks for a canary (no real job seeker calls about a person who does not exist). */
const withoutCanaries = (canaries: ReadonlySet<string>, people: readonly string[]): string[] =>
  people.filter((p) => !canaries.has(p));

export const staffActor = (env: SimEnv, s: Staff): Actor =>
  new Actor(env, s.id, staffDevice(s.id, s.organisationId), LEGIT_PREFIX, true);

function firstWorkingDayFrom(date: IsoDate): IsoDate {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

async function trainerWorks(
  env: SimEnv,
  organisationId: string,
  trainers: readonly Staff[],
  period: Period,
  canaries: ReadonlySet<string>,
): Promise<TrainerWork[]> {
  const db = env.store.db;
  const sessions = await db
    .selectFrom('training_sessions')
    .select(['id', 'starts_on'])
    .where('organisation_id', '=', organisationId)
    .where('starts_on', '>=', period.from)
    .where('starts_on', '<=', period.to)
    .orderBy('id')
    .execute();
  const inTraining = await db
    .selectFrom('enrolments')
    .select(['id', 'person_id'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'in_training')
    .orderBy('id')
    .execute();
  const seen = withoutCanaries(canaries, await trainees(db, organisationId, period.from));
  return trainers.map((_, t) => {
    const starting = new Map<IsoDate, string[]>();
    sessions
      .filter((_s, i) => i % trainers.length === t)
      .forEach((s) => {
        const day = firstWorkingDayFrom(s.starts_on);
        starting.set(day, [...(starting.get(day) ?? []), s.id]);
      });
    const attendance = inTraining
      .filter((_e, i) => i % trainers.length === t)
      .map((e) => ({ enrolmentId: e.id, personId: e.person_id }));
    return { sessionsStarting: starting, attendance, trainees: seen };
  });
}

async function addAdvisers(
  env: SimEnv,
  traffic: LegitTraffic,
  agencies: readonly string[],
  canaries: ReadonlySet<string>,
): Promise<void> {
  for (const agency of agencies) {
    const people = withoutCanaries(canaries, await agencyPeople(env.store.db, agency));
    for (const adviser of await staffOf(env.store.db, [agency], 'adviser')) {
      traffic.add(adviserPersona(env, staffActor(env, adviser), await portfolioOf(env.store.db, adviser.id), people));
    }
  }
}

async function addTrainers(
  env: SimEnv,
  traffic: LegitTraffic,
  organisations: readonly string[],
  period: Period,
  canaries: ReadonlySet<string>,
): Promise<void> {
  for (const organisation of organisations) {
    const trainers = await staffOf(env.store.db, [organisation], 'trainer');
    const works = await trainerWorks(env, organisation, trainers, period, canaries);
    trainers.forEach((t, i) => {
      const work = works[i];
      if (work) traffic.add(trainerPersona(env, staffActor(env, t), work));
    });
  }
}

async function addPartners(
  env: SimEnv,
  traffic: LegitTraffic,
  organisations: readonly string[],
  period: Period,
  canaries: ReadonlySet<string>,
): Promise<void> {
  for (const organisation of organisations) {
    const files = withoutCanaries(canaries, await coManaged(env.store.db, organisation, period.from));
    for (const partner of await staffOf(env.store.db, [organisation], 'partner_adviser'))
      traffic.add(partnerPersona(env, staffActor(env, partner), files));
  }
}

/** Each recruiter searches two to four of the busiest (ROME, département) pairs of the focus. */
async function addRecruiters(env: SimEnv, traffic: LegitTraffic, focus: Focus): Promise<void> {
  const db = env.store.db;
  const deps = await db
    .selectFrom('organisations')
    .select('departement')
    .where('id', 'in', [...focus.agencies])
    .execute();
  const departements = [...new Set(deps.map((d) => d.departement ?? ''))];
  const pairs = await db
    .selectFrom('person_rome')
    .select(['rome_code', 'departement', (eb) => eb.fn.countAll<number>().as('n')])
    .where('departement', 'in', departements.length > 0 ? departements : [''])
    .groupBy(['rome_code', 'departement'])
    .orderBy('n', 'desc')
    .orderBy('rome_code')
    .limit(24)
    .execute();
  focus.recruiters.forEach((r, i) => {
    const own = pairs.filter((_p, j) => (j + i) % 6 < 2 + (i % 3)).map((p) => [p.rome_code, p.departement] as const);
    traffic.add(recruiterPersona(env, staffActor(env, r), own));
  });
}

export async function legitPopulation(env: SimEnv, focus: Focus, period: Period): Promise<LegitTraffic> {
  const canaries = await canaryIds(env.store.db);
  const traffic = new LegitTraffic(env);
  await addAdvisers(env, traffic, focus.agencies, canaries);
  await addTrainers(env, traffic, focus.training, period, canaries);
  await addPartners(env, traffic, focus.partners, period, canaries);
  await addRecruiters(env, traffic, focus);
  for (const seeker of await seekerAccounts(env.store.db, focus.agencies))
    traffic.add(seekerPersona(env, new Actor(env, seeker.id, homeDevice(seeker.id), LEGIT_PREFIX)));
  return traffic;
}
