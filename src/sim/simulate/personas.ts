/**
 * The legitimate personas and their days: advisers working their portfolio (and a few agency
 * lookups with a reason), training organisations opening the trainees of a session starting today
 * and declaring attendance monthly, co-managing partners reading their files, recruiters searching a
 * few ROME codes and départements, job seekers reading their own file.
 */
import type { IsoDate } from '../../domain/dates.js';
import { addDays, monthOf } from '../../domain/dates.js';
import { getPerson, listPortfolio } from '../../services/adviser-people.js';
import { getCoManagedFile, listCoManagedFiles } from '../../services/partner-files.js';
import { listMyContactRequests } from '../../services/recruiter-contact-requests.js';
import { searchProfiles } from '../../services/recruiter-profiles.js';
import { getMyFile } from '../../services/me.js';
import { declareFollowUp } from '../../services/trainer-followup.js';
import { getTrainee, listSessionTrainees } from '../../services/trainer-sessions.js';
import type { Reader } from '../../disclosure/reader.js';
import type { DisclosedPerson } from '../../disclosure/types.js';
import type { Page } from '../../services/paging.js';
import type { Rng } from '../population/rng.js';
import type { ListingFacts } from './types.js';
import type { Actor } from './actor.js';
import { atParis, isWorkingDay } from './calendar.js';
import type { SimEnv } from './env.js';
import type { LegitTask, Persona } from './legit.js';
import { arrival, instantIn, instantsIn, morning, workDay } from './workday.js';

const REASONS = [
  'Accueil sans rendez-vous : demande de l’usager',
  'Remplacement d’un collègue absent ce jour',
  'Appel entrant de l’usager sur la plateforme',
];

/** Reports the page to detection as the HTTP route would, and returns its items. */
export function listed<T>(env: SimEnv, reader: Reader, kind: string, page: Page<T>, facts?: ListingFacts): T[] {
  env.listed(reader, kind, page, facts);
  return page.items;
}

/** A recruiter's contact requests, one page: the accepted ones carry the candidate's contact details. */
export async function contacts(env: SimEnv, reader: Reader, page: number): Promise<DisclosedPerson[]> {
  const p = await listMyContactRequests(env.ctx, reader, { page, pageSize: 50 });
  env.listed(reader, 'contact_requests', p);
  return p.items.flatMap((i) => (i.candidate ? [i.candidate] : []));
}

const pickN = <T>(rng: Rng, items: readonly T[], n: number): T[] =>
  items.length === 0 ? [] : Array.from({ length: n }, () => rng.pick(items));

export function adviserPersona(
  env: SimEnv,
  actor: Actor,
  portfolio: readonly string[],
  agency: readonly string[],
): Persona {
  const { ctx } = env;
  const pages = Math.max(1, Math.ceil(portfolio.length / 20));
  return {
    role: 'adviser',
    actor,
    planDay(date, rng) {
      const day = workDay(date, rng);
      if (!day || portfolio.length === 0) return [];
      const files = Math.round(rng.int(8, 20) * (day.monday ? 1.5 : 1));
      const page = rng.int(1, pages);
      const tasks: LegitTask[] = [
        { at: arrival(day), signIn: true },
        {
          at: arrival(day) + 120_000,
          needsIdentity: true,
          action: async (r) => listed(env, r, 'portfolio', await listPortfolio(ctx, r, { page })),
        },
      ];
      for (const [at, person] of instantsIn(day, rng, files).map((t) => [t, rng.pick(portfolio)] as const)) {
        tasks.push({ at, needsIdentity: true, action: async (r) => [await getPerson(ctx, r, person)] });
      }
      const lookups = rng.chance(0.3) ? rng.int(1, 2) : 0;
      for (const person of pickN(rng, agency, lookups)) {
        const reason = rng.pick(REASONS);
        tasks.push({
          at: instantIn(day, rng),
          needsIdentity: true,
          action: async (r) => [await getPerson(ctx, r, person, 'agency_lookup', reason)],
        });
      }
      return tasks;
    },
  };
}

export interface TrainerWork {
  /** Sessions this trainer opens on their first day, by start date. */
  readonly sessionsStarting: ReadonlyMap<IsoDate, readonly string[]>;
  /** Enrolments in training this trainer declares attendance for, with their person. */
  readonly attendance: readonly { readonly enrolmentId: string; readonly personId: string }[];
  readonly trainees: readonly string[];
}

function firstWorkingDays(date: IsoDate, n: number): boolean {
  let count = 0;
  for (let d = `${monthOf(date)}-01`; d <= date; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
  return isWorkingDay(date) && count <= n;
}

export function trainerPersona(env: SimEnv, actor: Actor, work: TrainerWork): Persona {
  const { ctx } = env;
  const previousMonth = (date: IsoDate) => monthOf(addDays(`${monthOf(date)}-01`, -1));
  return {
    role: 'trainer',
    actor,
    planDay(date, rng) {
      const day = workDay(date, rng, 0.03);
      if (!day) return [];
      const tasks: LegitTask[] = [{ at: arrival(day), signIn: true }];
      for (const session of work.sessionsStarting.get(date) ?? []) {
        const at = arrival(day) + rng.int(5, 30) * 60_000;
        tasks.push({
          at,
          needsIdentity: true,
          action: async (r) => (await listSessionTrainees(ctx, r, session)).map((t) => t.person),
        });
      }
      if (firstWorkingDays(date, 3)) {
        const month = previousMonth(date);
        for (const e of work.attendance.filter((_, i) => (i + date.charCodeAt(9)) % 3 === 0)) {
          const declaration = {
            kind: 'attendance' as const,
            month,
            hoursAttended: rng.int(60, 140),
            hoursAbsentJustified: rng.int(0, 7),
            hoursAbsentUnjustified: 0,
          };
          tasks.push({
            at: instantIn(day, rng),
            needsIdentity: true,
            action: async (r) => {
              const seen = await getTrainee(ctx, r, e.personId);
              await declareFollowUp(ctx, r, e.enrolmentId, declaration).catch(() => undefined);
              return [seen.person];
            },
          });
        }
      }
      for (const person of pickN(rng, work.trainees, rng.int(2, 6))) {
        const purpose = rng.chance(0.15) ? 'training_contact' : 'training_followup';
        tasks.push({
          at: instantIn(day, rng),
          needsIdentity: true,
          action: async (r) => [(await getTrainee(ctx, r, person, purpose)).person],
        });
      }
      return tasks;
    },
  };
}

export function partnerPersona(env: SimEnv, actor: Actor, files: readonly string[]): Persona {
  const { ctx } = env;
  const pages = Math.max(1, Math.ceil(files.length / 20));
  return {
    role: 'partner_adviser',
    actor,
    planDay(date, rng) {
      const day = workDay(date, rng);
      if (!day || files.length === 0) return [];
      const page = rng.int(1, pages);
      const tasks: LegitTask[] = [
        { at: arrival(day), signIn: true },
        {
          at: instantIn(day, rng, morning(day)),
          needsIdentity: true,
          action: async (r) => listed(env, r, 'co_managed', await listCoManagedFiles(ctx, r, { page })),
        },
      ];
      for (const at of instantsIn(day, rng, rng.int(5, 15))) {
        const person = rng.pick(files);
        tasks.push({ at, needsIdentity: true, action: async (r) => [await getCoManagedFile(ctx, r, person)] });
      }
      return tasks;
    },
  };
}

export function recruiterPersona(env: SimEnv, actor: Actor, searches: readonly (readonly [string, string])[]): Persona {
  const { ctx } = env;
  return {
    role: 'recruiter',
    actor,
    planDay(date, rng) {
      const day = workDay(date, rng, 0.4);
      if (!day || searches.length === 0) return [];
      const tasks: LegitTask[] = [{ at: arrival(day), signIn: true }];
      for (const [rome, departement] of pickN(rng, searches, rng.int(1, 3))) {
        const page = rng.chance(0.3) ? 2 : 1;
        tasks.push({
          at: instantIn(day, rng),
          action: async (r) =>
            listed(env, r, 'candidates', await searchProfiles(ctx, r, { rome, departement, page }), {
              rome,
              departement,
            }),
        });
      }
      if (rng.chance(0.5))
        tasks.push({ at: instantIn(day, rng), needsIdentity: true, action: async (r) => contacts(env, r, 1) });
      return tasks;
    },
  };
}

/** A job seeker looks at their own file on about one day in eight, any day, 8:00–22:00. */
export function seekerPersona(env: SimEnv, actor: Actor): Persona {
  const { ctx } = env;
  return {
    role: 'job_seeker',
    actor,
    planDay(date, rng) {
      if (!rng.chance(0.12)) return [];
      const at = atParis(date, rng.int(8 * 60, 22 * 60)) + rng.below(60) * 1000;
      return [
        { at, signIn: true },
        { at: at + 20_000, needsIdentity: true, action: async (r) => [await getMyFile(ctx, r)] },
      ];
    },
  };
}
