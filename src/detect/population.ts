/**
 * The populations an account works with: `reachable`, every person its policies let it read (the
 * denominator of breadth), and `portfolio`, the people its everyday work concerns (an adviser's
 * portfolio, a training organisation's current trainees, a partner's co-managed files, a
 * recruiter's accepted contacts). Counted with grouped queries over the policy tables.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../storage/database.js';

export interface AccountRef {
  readonly id: string;
  readonly role: string;
  readonly organisationId: string | null;
}

export interface Population {
  readonly reachable: number;
  readonly portfolio: number;
}

type Counts = Map<string, number>;

const toMap = (rows: ReadonlyArray<{ k: string | null; n: number | string | bigint }>): Counts =>
  new Map(rows.filter((r) => r.k !== null).map((r) => [r.k as string, Number(r.n)]));

const N = sql<number>`count(*)`;
const DISTINCT_PEOPLE = sql<number>`count(distinct person_id)`;

async function counts(db: DbOrTx, today: string) {
  // One pass over the people table (its rows are large: sealed groups) for the three counts it gives.
  const people = await db
    .selectFrom('people')
    .select(['adviser_id', 'agency_id', sql<number>`sum(case when status = 'registered' then 1 else 0 end)`.as('registered'), N.as('n')])
    .where('erased_at', 'is', null)
    .groupBy(['agency_id', 'adviser_id'])
    .execute();
  const byAdviser = new Map<string, number>();
  const byAgency = new Map<string, number>();
  let registered = 0;
  for (const r of people) {
    const n = Number(r.n);
    if (r.adviser_id !== null) byAdviser.set(r.adviser_id, (byAdviser.get(r.adviser_id) ?? 0) + n);
    byAgency.set(r.agency_id, (byAgency.get(r.agency_id) ?? 0) + n);
    registered += Number(r.registered);
  }
  const visible = db
    .selectFrom('enrolments')
    .where('status', '<>', 'cancelled')
    .where((w) => w.or([w('visible_until', 'is', null), w('visible_until', '>=', today)]));
  const trainees = await visible.select(['organisation_id as k', DISTINCT_PEOPLE.as('n')]).groupBy('organisation_id').execute();
  const current = await visible.select(['organisation_id as k', DISTINCT_PEOPLE.as('n')]).where('status', 'in', ['prescribed', 'in_training']).groupBy('organisation_id').execute();
  const coManaged = await db
    .selectFrom('co_managements')
    .select(['organisation_id as k', N.as('n')])
    .where((w) => w.or([w('until', 'is', null), w('until', '>=', today)]))
    .groupBy('organisation_id')
    .execute();
  const accepted = await db.selectFrom('contact_requests').select(['recruiter_id as k', N.as('n')]).where('status', '=', 'accepted').groupBy('recruiter_id').execute();
  return {
    byAdviser,
    byAgency,
    trainees: toMap(trainees),
    current: toMap(current),
    coManaged: toMap(coManaged),
    accepted: toMap(accepted),
    registered,
  };
}

type AllCounts = Awaited<ReturnType<typeof counts>>;

function populationOf(a: AccountRef, c: AllCounts): Population {
  const org = a.organisationId ?? '';
  switch (a.role) {
    case 'adviser':
      return { reachable: c.byAgency.get(org) ?? 0, portfolio: c.byAdviser.get(a.id) ?? 0 };
    case 'trainer':
      return { reachable: c.trainees.get(org) ?? 0, portfolio: c.current.get(org) ?? 0 };
    case 'partner_adviser':
      return { reachable: c.coManaged.get(org) ?? 0, portfolio: c.coManaged.get(org) ?? 0 };
    case 'recruiter':
      return { reachable: c.registered, portfolio: c.accepted.get(a.id) ?? 0 };
    case 'job_seeker':
      return { reachable: 1, portfolio: 1 };
    default:
      return { reachable: 0, portfolio: 0 };
  }
}

/** Population of every account, keyed by account id. */
export async function readPopulations(db: DbOrTx, accounts: readonly AccountRef[], today: string): Promise<Map<string, Population>> {
  const c = await counts(db, today);
  return new Map(accounts.map((a) => [a.id, populationOf(a, c)]));
}
