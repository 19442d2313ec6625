/**
 * Whom each scenario attacks in the seeded population: the training organisation or partner holding
 * the most people, an adviser of a busy agency, the job seekers who have an account.
 */
import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { Staff } from './world.js';
import { idsOf, staffOf } from './world.js';

/** Training organisations by number of people enrolled (not cancelled), most first. */
export async function trainingByReach(db: Db): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select organisation_id as id, count(distinct person_id) as n from enrolments where status <> 'cancelled'
    group by organisation_id order by n desc, organisation_id`.execute(db);
  return idsOf(rows.rows);
}

/** Co-managing partners of a kind by number of files, most first. */
export async function partnersByReach(db: Db, kinds: readonly string[]): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select c.organisation_id as id, count(*) as n from co_managements c join organisations o on o.id = c.organisation_id
    where o.kind in (${sql.join(kinds)}) group by c.organisation_id order by n desc, c.organisation_id`.execute(db);
  return idsOf(rows.rows);
}

/** Agencies by number of people, most first. */
export async function agenciesBySize(db: Db): Promise<string[]> {
  const rows = await sql<{
    id: string;
  }>`select agency_id as id, count(*) as n from people group by agency_id order by n desc, agency_id`.execute(db);
  return idsOf(rows.rows);
}

/** The first member of `role` in an organisation (the account an attack takes over). */
export async function firstStaff(db: Db, organisationId: string, role: string): Promise<Staff> {
  const [first] = await staffOf(db, [organisationId], role);
  if (!first) throw new Error(`simulation: no ${role} in organisation ${organisationId}`);
  return first;
}

export interface SessionTrainees {
  readonly sessions: readonly string[];
  readonly people: readonly string[];
}

/** A training organisation's sessions that still have visible trainees, and those trainees. */
export async function sessionsWithTrainees(db: Db, organisationId: string, today: string): Promise<SessionTrainees> {
  const rows = await db
    .selectFrom('enrolments')
    .select(['session_id', 'person_id'])
    .where('organisation_id', '=', organisationId)
    .where('status', '!=', 'cancelled')
    .where((eb) => eb.or([eb('visible_until', 'is', null), eb('visible_until', '>=', today)]))
    .orderBy('session_id')
    .orderBy('person_id')
    .execute();
  return { sessions: [...new Set(rows.map((r) => r.session_id))], people: [...new Set(rows.map((r) => r.person_id))] };
}
