/**
 * What the simulator reads of the seeded population: organisations and their staff, portfolios,
 * trainees, co-managed files, job seekers' accounts. Plain queries on the store: they choose whom
 * the actors ask for, never what they see (only the gate discloses).
 */
import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';

export interface Staff {
  readonly id: string;
  readonly organisationId: string;
  readonly role: string;
}

export interface SeekerAccount {
  readonly id: string;
  readonly personId: string;
  readonly agencyId: string;
}

/** Where the legitimate traffic of a run is simulated: a few agencies and their partners. */
export interface Focus {
  readonly agencies: readonly string[];
  readonly training: readonly string[];
  readonly partners: readonly string[];
  readonly recruiters: readonly Staff[];
}

export const staffOf = async (db: Db, organisationIds: readonly string[], role: string): Promise<Staff[]> =>
  organisationIds.length === 0
    ? []
    : (
        await db
          .selectFrom('accounts')
          .select(['id', 'organisation_id', 'role'])
          .where('organisation_id', 'in', organisationIds)
          .where('role', '=', role)
          .orderBy('id')
          .execute()
      ).map((r) => ({ id: r.id, organisationId: r.organisation_id ?? '', role: r.role }));

export const idsOf = (rows: readonly { id: string }[]): string[] => rows.map((r) => r.id);

export async function portfolioOf(db: Db, adviserId: string): Promise<string[]> {
  return idsOf(
    await db
      .selectFrom('people')
      .select('id')
      .where('adviser_id', '=', adviserId)
      .where('erased_at', 'is', null)
      .orderBy('id')
      .execute(),
  );
}

export async function agencyPeople(db: Db, agencyId: string): Promise<string[]> {
  return idsOf(
    await db
      .selectFrom('people')
      .select('id')
      .where('agency_id', '=', agencyId)
      .where('erased_at', 'is', null)
      .orderBy('id')
      .execute(),
  );
}

export async function coManaged(db: Db, organisationId: string, today: string): Promise<string[]> {
  const rows = await db
    .selectFrom('co_managements')
    .select('person_id as id')
    .where('organisation_id', '=', organisationId)
    .where('since', '<=', today)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>=', today)]))
    .orderBy('person_id')
    .execute();
  return idsOf(rows);
}

export async function trainees(db: Db, organisationId: string, today: string): Promise<string[]> {
  const rows = await db
    .selectFrom('enrolments')
    .select('person_id as id')
    .distinct()
    .where('organisation_id', '=', organisationId)
    .where('status', '!=', 'cancelled')
    .where((eb) => eb.or([eb('visible_until', 'is', null), eb('visible_until', '>=', today)]))
    .orderBy('person_id')
    .execute();
  return idsOf(rows);
}

export async function seekerAccounts(db: Db, agencyIds: readonly string[]): Promise<SeekerAccount[]> {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .selectFrom('accounts as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.person_id', 'p.agency_id'])
    .where('a.role', '=', 'job_seeker')
    .where('p.agency_id', 'in', agencyIds)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({ id: r.id, personId: r.person_id ?? '', agencyId: r.agency_id }));
}

type Relation = 'enrolments' | 'co_managements';

/** Organisations ranked by how many people of these agencies they hold (training: enrolments; partners: co-managed). */
async function servingOrganisations(
  db: Db,
  agencyIds: readonly string[],
  via: Relation,
  limit: number,
): Promise<string[]> {
  if (agencyIds.length === 0) return [];
  const rows = await sql<{ id: string }>`
    select r.organisation_id as id, count(*) as n from ${sql.table(via)} r join people p on p.id = r.person_id
    where p.agency_id in (${sql.join(agencyIds)}) group by r.organisation_id order by n desc, r.organisation_id limit ${limit}`.execute(
    db,
  );
  return idsOf(rows.rows);
}

/** Agencies whose people an organisation holds most. */
export async function agenciesServedBy(
  db: Db,
  organisationId: string,
  via: Relation,
  limit: number,
): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select p.agency_id as id, count(*) as n from ${sql.table(via)} r join people p on p.id = r.person_id
    where r.organisation_id = ${organisationId} group by p.agency_id order by n desc, p.agency_id limit ${limit}`.execute(
    db,
  );
  return idsOf(rows.rows);
}

export async function organisationsOf(db: Db, kind: string): Promise<string[]> {
  return idsOf(await db.selectFrom('organisations').select('id').where('kind', '=', kind).orderBy('id').execute());
}

/** The focus around some agencies: the training organisations and partners serving them, some recruiters. */
export async function focusAround(db: Db, agencies: readonly string[], extra: Partial<Focus> = {}): Promise<Focus> {
  const training = await servingOrganisations(db, agencies, 'enrolments', 2);
  const partners = await servingOrganisations(db, agencies, 'co_managements', 2);
  const employers = (await organisationsOf(db, 'employer')).slice(0, 4);
  const recruiters = await staffOf(db, employers, 'recruiter');
  const union = <T>(a: readonly T[], b: readonly T[] = []): T[] => [...new Set([...b, ...a])];
  return {
    agencies,
    training: union(training, extra.training),
    partners: union(partners, extra.partners),
    recruiters: [
      ...(extra.recruiters ?? []),
      ...recruiters.filter((r) => !extra.recruiters?.some((x) => x.id === r.id)),
    ],
  };
}
