/**
 * The recompute job: learns every account's exposure limits from its own history and its peer
 * group's (learn-limits.ts) and stores them in `detection_baselines`, where the budget step reads
 * them. Run it daily (and at start-up when the table is empty); it takes the clock's `now`.
 */
import type { Insertable, Selectable } from 'kysely';
import { parisDate } from '../domain/clock.js';
import type { Db, DbOrTx } from '../storage/database.js';
import type { DetectionBaselineTable } from '../storage/schema.js';
import type { AccountHistory } from './history.js';
import { readHistories, readStrikes, seriesOf, usualHoursOf } from './history.js';
import type { Learned, Series } from './learn-limits.js';
import { learnLimits, peerGroupOf } from './learn-limits.js';
import type { Limits } from './limits.js';
import type { AccountRef, Population } from './population.js';
import { readPopulations } from './population.js';

/** Peers with history needed before a group's pooled series is trusted. */
export const MIN_PEERS = 3;

export interface BaselineAccount extends AccountRef {
  readonly organisationKind: string | null;
}

export interface RecomputeSummary {
  readonly accounts: number;
  readonly withHistory: number;
  readonly peerGroups: number;
}

type Row = Insertable<DetectionBaselineTable>;

async function readAccounts(db: DbOrTx): Promise<BaselineAccount[]> {
  const rows = await db
    .selectFrom('accounts as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.role', 'a.organisation_id', 'o.kind'])
    .where('a.role', '<>', 'job_seeker') // a job seeker sees only themselves: the role floor is their limit
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    organisationId: r.organisation_id,
    organisationKind: r.kind ?? null,
  }));
}

function pool(histories: ReadonlyArray<AccountHistory | undefined>): Series | null {
  const withHistory = histories.filter((h): h is AccountHistory => h !== undefined && h.day.length > 0);
  if (withHistory.length < MIN_PEERS) return null;
  return {
    day: withHistory.flatMap((h) => h.day),
    hour: withHistory.flatMap((h) => h.hour),
    week: withHistory.flatMap((h) => h.week),
    contact: withHistory.flatMap((h) => h.contact),
    beyond: withHistory.flatMap((h) => h.beyond),
  };
}

/** Pooled series per peer group, falling back to role and organisation kind when a group is too small. */
function peerPools(
  accounts: readonly BaselineAccount[],
  groups: Map<string, string>,
  histories: Map<string, AccountHistory>,
) {
  const members = new Map<string, AccountHistory[]>();
  const push = (key: string, h: AccountHistory | undefined) => {
    if (!h) return;
    const list = members.get(key) ?? [];
    list.push(h);
    members.set(key, list);
  };
  for (const a of accounts) {
    push(groups.get(a.id) ?? '', histories.get(a.id));
    push(`${a.role}/${a.organisationKind ?? 'none'}`, histories.get(a.id));
  }
  const pools = new Map<string, Series | null>();
  for (const [key, list] of members) pools.set(key, pool(list));
  return (a: BaselineAccount): Series | null =>
    pools.get(groups.get(a.id) ?? '') ?? pools.get(`${a.role}/${a.organisationKind ?? 'none'}`) ?? null;
}

function rowOf(
  a: BaselineAccount,
  group: string,
  population: Population,
  learned: Learned,
  extra: { usualHours: string | null; historyDays: number; strikes: number; now: number },
): Row {
  const l = learned.limits;
  return {
    account_id: a.id,
    organisation_id: a.organisationId,
    role: a.role,
    peer_group: group,
    reachable: population.reachable,
    portfolio: population.portfolio,
    minute_limit: l.minute,
    hour_limit: l.hour,
    day_limit: l.day,
    week_limit: l.week,
    session_limit: l.session,
    contact_day_limit: learned.contactDay,
    usual_hours: extra.usualHours,
    history_days: extra.historyDays,
    strikes: extra.strikes,
    basis: JSON.stringify(learned.basis),
    computed_at: extra.now,
  };
}

async function upsert(db: DbOrTx, rows: readonly Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('detection_baselines')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet((eb) => ({
          organisation_id: eb.ref('excluded.organisation_id'),
          role: eb.ref('excluded.role'),
          peer_group: eb.ref('excluded.peer_group'),
          reachable: eb.ref('excluded.reachable'),
          portfolio: eb.ref('excluded.portfolio'),
          minute_limit: eb.ref('excluded.minute_limit'),
          hour_limit: eb.ref('excluded.hour_limit'),
          day_limit: eb.ref('excluded.day_limit'),
          week_limit: eb.ref('excluded.week_limit'),
          session_limit: eb.ref('excluded.session_limit'),
          contact_day_limit: eb.ref('excluded.contact_day_limit'),
          usual_hours: eb.ref('excluded.usual_hours'),
          history_days: eb.ref('excluded.history_days'),
          strikes: eb.ref('excluded.strikes'),
          basis: eb.ref('excluded.basis'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
  }
}

/** Learns and stores the baseline of every account. `ctx` needs only the store. */
export async function recomputeBaselines(
  ctx: { readonly store: { readonly db: Db } },
  now: number,
): Promise<RecomputeSummary> {
  const db = ctx.store.db;
  const accounts = await readAccounts(db);
  const [histories, strikes, populations] = [
    await readHistories(db, now),
    await readStrikes(db, now),
    await readPopulations(db, accounts, parisDate(now)),
  ];
  const none: Population = { reachable: 0, portfolio: 0 };
  const groups = new Map(
    accounts.map((a) => [a.id, peerGroupOf(a.role, a.organisationKind, (populations.get(a.id) ?? none).portfolio)]),
  );
  const peerOf = peerPools(accounts, groups, histories);
  const rows = accounts.map((a) => {
    const h = histories.get(a.id);
    const population = populations.get(a.id) ?? none;
    const learned = learnLimits({
      role: a.role,
      own: seriesOf(h),
      peer: peerOf(a),
      portfolio: population.portfolio,
      historyDays: h?.day.length ?? 0,
    });
    return rowOf(a, groups.get(a.id) ?? '', population, learned, {
      usualHours: usualHoursOf(h),
      historyDays: h?.day.length ?? 0,
      strikes: strikes.get(a.id) ?? 0,
      now,
    });
  });
  await upsert(db, rows);
  return {
    accounts: rows.length,
    withHistory: [...histories.values()].filter((h) => h.day.length > 0).length,
    peerGroups: new Set(groups.values()).size,
  };
}

/** A stored baseline as the budget step uses it. */
export interface Baseline {
  readonly limits: Limits;
  readonly contactDay: number;
  /** The learned budget of people outside the workflow (basis.beyond), null: the role's floors. */
  readonly beyond: Limits | null;
  readonly reachable: number;
  readonly portfolio: number;
  /** 168 flags (Monday 00h first), or null: no pattern learned yet. */
  readonly usualHours: Uint8Array | null;
  readonly strikes: number;
  readonly historyDays: number;
  readonly computedAt: number;
}

export type BaselineRow = Selectable<DetectionBaselineTable>;

function beyondOf(basis: string): Limits | null {
  try {
    const l = (JSON.parse(basis) as { beyond?: { limits?: Partial<Limits> } }).beyond?.limits;
    if (
      !l ||
      typeof l.hour !== 'number' ||
      typeof l.day !== 'number' ||
      typeof l.week !== 'number' ||
      typeof l.minute !== 'number' ||
      typeof l.session !== 'number'
    )
      return null;
    return { minute: l.minute, hour: l.hour, day: l.day, week: l.week, session: l.session };
  } catch {
    return null;
  }
}

export function baselineOf(row: BaselineRow): Baseline {
  const hours = row.usual_hours === null ? null : Uint8Array.from(row.usual_hours, (c) => (c === '1' ? 1 : 0));
  return {
    limits: {
      minute: row.minute_limit,
      hour: row.hour_limit,
      day: row.day_limit,
      week: row.week_limit,
      session: row.session_limit,
    },
    contactDay: row.contact_day_limit,
    beyond: beyondOf(row.basis),
    reachable: row.reachable,
    portfolio: row.portfolio,
    usualHours: hours,
    strikes: row.strikes,
    historyDays: row.history_days,
    computedAt: row.computed_at,
  };
}
