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
  // Counted from the agency and adviser indexes alone (a people row is large: sealed groups, and
  // reaching rows through an index is slow), then the erased people taken off: erasure destroys the
  // blind indexes (storage/people-repo.ts), so they are found through the identifier's index.
  const byAdviser = toMap(
    await db
      .selectFrom('people')
      .select(['adviser_id as k', N.as('n')])
      .where('adviser_id', 'is not', null)
      .groupBy('adviser_id')
      .execute(),
  );
  const byAgency = toMap(
    await db
      .selectFrom('people')
      .select(['agency_id as k', N.as('n')])
      .groupBy('agency_id')
      .execute(),
  );
  const erased = await db
    .selectFrom('people')
    .select(['agency_id', 'adviser_id', 'status'])
    .where('bi_identifier', 'is', null)
    .where('erased_at', 'is not', null)
    .execute();
  for (const e of erased) {
    byAgency.set(e.agency_id, (byAgency.get(e.agency_id) ?? 0) - 1);
    if (e.adviser_id !== null) byAdviser.set(e.adviser_id, (byAdviser.get(e.adviser_id) ?? 0) - 1);
  }
  const registeredRow = await db
    .selectFrom('people')
    .select(N.as('n'))
    .where('status', '=', 'registered')
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  const registered = Number(registeredRow?.n ?? 0);
  const visible = db
    .selectFrom('enrolments')
    .where('status', '<>', 'cancelled')
    .where((w) => w.or([w('visible_until', 'is', null), w('visible_until', '>=', today)]));
  const trainees = await visible
    .select(['organisation_id as k', DISTINCT_PEOPLE.as('n')])
    .groupBy('organisation_id')
    .execute();
  const current = await visible
    .select(['organisation_id as k', DISTINCT_PEOPLE.as('n')])
    .where('status', 'in', ['prescribed', 'in_training'])
    .groupBy('organisation_id')
    .execute();
  const coManaged = await db
    .selectFrom('co_managements')
    .select(['organisation_id as k', N.as('n')])
    .where((w) => w.or([w('until', 'is', null), w('until', '>=', today)]))
    .groupBy('organisation_id')
    .execute();
  const accepted = await db
    .selectFrom('contact_requests')
    .select(['recruiter_id as k', N.as('n')])
    .where('status', '=', 'accepted')
    .groupBy('recruiter_id')
    .execute();
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
export async function readPopulations(
  db: DbOrTx,
  accounts: readonly AccountRef[],
  today: string,
): Promise<Map<string, Population>> {
  const c = await counts(db, today);
  return new Map(accounts.map((a) => [a.id, populationOf(a, c)]));
}
