/**
 * How exposure limits are learned, as pure functions (the batch job feeds them, tests drive them):
 *
 *   q(x)   = the 95th percentile of x over active periods (days, hours, weeks with any exposure)
 *   w      = min(1, own active days / 20): how much the account's own history is trusted
 *   base   = w × q(own) + (1 − w) × q(peer group)      peer group = role, organisation kind, size band
 *   day    = max(1.5 × base_day + 10,  role floor,  1.1 × portfolio + 10)
 *   hour   = max(1.5 × base_hour + 10, role floor,  min(day, portfolio + 10))
 *   week   = max(1.5 × base_week + 20, role floor,  2 × day,  1.5 × portfolio + 20)
 *   minute = role floor (pace);  session = day (a session may straddle two days, not double them)
 *
 * An adviser's budget of people outside the portfolio (limits.ts BEYOND_WORKFLOW) is learned the
 * same way from its days of agency lookups and prescriptions: day = max(floor, 1.5 × base + 5),
 * hour = max(floor, day / 2), week = max(floor, 2.5 × day). A reception desk's twenty lookups a day
 * fit; a burst still stops well below its day. (A training organisation's workflow depends on the
 * day's sessions: its history does not say which files were outside it, so its floors apply.)
 *
 * The portfolio terms let legitimate batch work fit (monthly attendance for every trainee, an
 * adviser reviewing a whole portfolio in a day). New and probation accounts are then capped at
 * small defaults (limits.ts).
 */
import type { Limits } from './limits.js';
import { BEYOND_WORKFLOW, CONTACT_FLOOR, floorsOf } from './limits.js';

export const QUANTILE = 0.95;
export const HEADROOM = 1.5;
export const FULL_HISTORY_DAYS = 20;
const MARGIN = { hour: 10, day: 10, week: 20, contact: 5, beyond: 5 } as const;

/** Counts per active period: day, hour and week distinct people, and day contact disclosures. */
export interface Series {
  readonly day: readonly number[];
  readonly hour: readonly number[];
  readonly week: readonly number[];
  readonly contact: readonly number[];
  /** Day counts of people outside the portfolio (advisers). */
  readonly beyond?: readonly number[];
}

export const EMPTY_SERIES: Series = { day: [], hour: [], week: [], contact: [] };

/** Nearest-rank quantile; undefined for an empty series. */
export function quantile(values: readonly number[], q: number = QUANTILE): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export interface LearnInput {
  readonly role: string;
  readonly own: Series;
  /** The peer group's pooled series (null: no peers with history). */
  readonly peer: Series | null;
  readonly portfolio: number;
  readonly historyDays: number;
}

export interface Basis {
  readonly weight: number;
  readonly own: Readonly<Record<keyof Series, number | null>>;
  readonly peer: Readonly<Record<keyof Series, number | null>> | null;
  readonly portfolio: number;
  readonly beyond?: { readonly own: number | null; readonly peer: number | null; readonly limits: Limits } | undefined;
}

export interface Learned {
  readonly limits: Limits;
  readonly contactDay: number;
  /** The learned budget of people outside the workflow (null: the role's floors apply). */
  readonly beyond: Limits | null;
  readonly basis: Basis;
}

const KEYS = ['day', 'hour', 'week', 'contact'] as const;

/** A peer group's pooled series is shared by all its members: its quantiles are sorted once. */
const pooledQuantiles = new WeakMap<Series, Record<keyof Series, number | null>>();

function quantiles(series: Series): Record<keyof Series, number | null> {
  const known = pooledQuantiles.get(series);
  if (known) return known;
  const out = { day: null, hour: null, week: null, contact: null } as Record<keyof Series, number | null>;
  for (const k of KEYS) out[k] = quantile(series[k]) ?? null;
  pooledQuantiles.set(series, out);
  return out;
}

/** w × own + (1 − w) × peer, each missing side standing in for the other (0 when both are). */
function blend(own: number | null, peer: number | null, w: number): number {
  const o = own ?? peer ?? 0;
  const p = peer ?? own ?? 0;
  return w * o + (1 - w) * p;
}

export function learnLimits(input: LearnInput): Learned {
  const w = Math.min(1, input.historyDays / FULL_HISTORY_DAYS);
  const own = quantiles(input.own);
  const peer = input.peer ? quantiles(input.peer) : null;
  const base = (k: keyof Series) => blend(own[k], peer?.[k] ?? null, w);
  const floor = floorsOf(input.role);
  const p = input.portfolio;
  const day = Math.ceil(Math.max(HEADROOM * base('day') + MARGIN.day, floor.day, 1.1 * p + MARGIN.day));
  const hour = Math.ceil(Math.max(HEADROOM * base('hour') + MARGIN.hour, floor.hour, Math.min(day, p + MARGIN.hour)));
  const week = Math.ceil(Math.max(HEADROOM * base('week') + MARGIN.week, floor.week, 2 * day, 1.5 * p + MARGIN.week));
  const contactDay = Math.ceil(Math.max(HEADROOM * base('contact') + MARGIN.contact, CONTACT_FLOOR));
  const beyond = learnBeyond(input, w);
  return {
    limits: { minute: floor.minute, hour: Math.min(hour, day), day, week, session: day },
    contactDay,
    beyond: beyond?.limits ?? null,
    basis: { weight: Math.round(w * 100) / 100, own, peer, portfolio: p, ...(beyond ? { beyond } : {}) },
  };
}

const pooledBeyond = new WeakMap<readonly number[], number | null>();
const beyondQuantile = (values: readonly number[] | undefined): number | null => {
  if (!values) return null;
  if (!pooledBeyond.has(values)) pooledBeyond.set(values, quantile(values) ?? null);
  return pooledBeyond.get(values) ?? null;
};

function learnBeyond(input: LearnInput, w: number): Basis['beyond'] {
  const floor = BEYOND_WORKFLOW[input.role];
  if (!floor || input.role !== 'adviser') return undefined;
  const own = beyondQuantile(input.own.beyond);
  const peer = beyondQuantile(input.peer?.beyond);
  const day = Math.ceil(Math.max(floor.day, HEADROOM * blend(own, peer, w) + MARGIN.beyond));
  return {
    own,
    peer,
    limits: {
      ...floor,
      hour: Math.max(floor.hour, Math.ceil(day / 2)),
      day,
      week: Math.max(floor.week, Math.ceil(2.5 * day)),
    },
  };
}

/** Size band of a population: 0 (≤ 3), 1 (≤ 15), 2 (≤ 63), 3 (≤ 255)…: peers read populations of similar size. */
export const sizeBand = (population: number): number => Math.floor(Math.log(Math.max(0, population) + 1) / Math.log(4));

export const peerGroupOf = (role: string, organisationKind: string | null, portfolio: number): string =>
  `${role}/${organisationKind ?? 'none'}/${sizeBand(portfolio)}`;
