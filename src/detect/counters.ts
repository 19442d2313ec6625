/**
 * Exposure counters: exact sets of the distinct people a credential was shown, per window, with an
 * atomic check-and-add: either every window stays within its limit and the people are added to all
 * of them, or nothing is added and the first window that would overflow is named. Re-reading people
 * already counted never overflows. Two implementations: in-process (this file) and Redis
 * (redis-counters.ts), which several API processes share.
 */
import type { Limits, WindowName } from './limits.js';

/** Where a disclosure falls: the credential and the current bucket of each window. */
export interface CounterKeys {
  readonly accountId: string;
  readonly organisationId: string | null;
  readonly sessionRef: string | null;
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly week: number;
  /** Set for job seekers: their source address, to count accounts per network and hour. */
  readonly fanoutIp: string | null;
}

/** Filled by checkAndAdd (reused across calls: the hot path allocates nothing). */
export interface CountResult {
  exceeded: WindowName | null;
  minute: number;
  hour: number;
  day: number;
  week: number;
  session: number;
  /** Distinct accounts seen from `fanoutIp` this hour (0 when not counted). */
  fanout: number;
  /** Set by shared stores: a containment flag found for the account or its organisation. */
  contained: 'account' | 'organisation' | null;
  /** The containment the flag names. */
  containmentId: string | null;
}

export const newCountResult = (): CountResult => ({
  exceeded: null,
  minute: 0,
  hour: 0,
  day: 0,
  week: 0,
  session: 0,
  fanout: 0,
  contained: null,
  containmentId: null,
});

/** Windows in the order an overflow is reported: the masking windows first, then the slowing ones. */
export const CHECK_ORDER: readonly WindowName[] = ['week', 'day', 'session', 'hour', 'minute'];

/** One past disclosure, to rebuild counters from the disclosure log. */
export interface PastExposure {
  readonly personId: string;
  readonly at: number;
  readonly sessionRef: string | null;
}

export interface ExposureCounters {
  readonly shared: boolean;
  checkAndAdd(keys: CounterKeys, limits: Limits, people: readonly string[], out: CountResult): Promise<void> | void;
  /** Adds past exposures (idempotent), e.g. this week's log when an account is first seen. */
  seed(
    keys: CounterKeys,
    past: readonly PastExposure[],
    bucketsOf: (at: number) => Omit<CounterKeys, 'accountId' | 'organisationId' | 'sessionRef' | 'fanoutIp'>,
  ): Promise<void> | void;
  /** Shared stores hold containment flags (the containment id, or null to clear); the in-process store leaves this to the caller. */
  setContained(kind: 'account' | 'organisation', id: string, containmentId: string | null): Promise<void> | void;
  close(): Promise<void>;
}

interface Bucket {
  id: number;
  set: Set<string>;
}

interface CredentialSets {
  minute: Bucket;
  hour: Bucket;
  day: Bucket;
  week: Bucket;
  sessions: Map<string, { set: Set<string>; lastHour: number }>;
}

const SESSION_KEEP_HOURS = 24;
const BUCKETED = ['minute', 'hour', 'day', 'week'] as const;

const current = (b: Bucket, id: number): Set<string> => {
  if (b.id !== id) {
    b.id = id;
    b.set = new Set();
  }
  return b.set;
};

function fresh(set: Set<string>, people: readonly string[]): number {
  let n = 0;
  for (const p of people) if (!set.has(p)) n++;
  return n;
}

function sessionSet(c: CredentialSets, ref: string | null, hour: number): Set<string> | null {
  if (ref === null) return null;
  let s = c.sessions.get(ref);
  if (!s) {
    if (c.sessions.size > 16)
      for (const [k, v] of c.sessions) if (hour - v.lastHour > SESSION_KEEP_HOURS) c.sessions.delete(k);
    s = { set: new Set(), lastHour: hour };
    c.sessions.set(ref, s);
  }
  s.lastHour = hour;
  return s.set;
}

/** The in-process counters: one set per window per account, replaced when its bucket turns. */
export function memoryCounters(): ExposureCounters {
  const byAccount = new Map<string, CredentialSets>();
  const fanout = new Map<string, Bucket>();
  const setsOf = (id: string): CredentialSets => {
    let c = byAccount.get(id);
    if (!c) {
      const empty = (): Bucket => ({ id: -1, set: new Set() });
      c = { minute: empty(), hour: empty(), day: empty(), week: empty(), sessions: new Map() };
      byAccount.set(id, c);
    }
    return c;
  };
  const windows = (c: CredentialSets, k: Pick<CounterKeys, 'minute' | 'hour' | 'day' | 'week' | 'sessionRef'>) => {
    const session = sessionSet(c, k.sessionRef, k.hour);
    return {
      minute: current(c.minute, k.minute),
      hour: current(c.hour, k.hour),
      day: current(c.day, k.day),
      week: current(c.week, k.week),
      session,
    };
  };
  const countFanout = (ip: string | null, hour: number, accountId: string): number => {
    if (ip === null) return 0;
    let b = fanout.get(ip);
    if (!b) fanout.set(ip, (b = { id: hour, set: new Set() }));
    return current(b, hour).add(accountId).size;
  };
  return {
    shared: false,
    checkAndAdd(k, limits, people, out) {
      const w = windows(setsOf(k.accountId), k);
      out.exceeded = null;
      for (const name of CHECK_ORDER) {
        const set = w[name];
        const added = set === null ? 0 : fresh(set, people);
        out[name] = (set?.size ?? 0) + added;
        if (added > 0 && out[name] > limits[name] && out.exceeded === null) out.exceeded = name;
      }
      if (out.exceeded === null) for (const name of CHECK_ORDER) for (const p of people) w[name]?.add(p);
      out.fanout = countFanout(k.fanoutIp, k.hour, k.accountId);
    },
    seed(k, past, bucketsOf) {
      const c = setsOf(k.accountId);
      const now = {
        minute: current(c.minute, k.minute),
        hour: current(c.hour, k.hour),
        day: current(c.day, k.day),
        week: current(c.week, k.week),
      };
      for (const e of past) {
        const b = bucketsOf(e.at);
        for (const name of BUCKETED) if (b[name] === k[name]) now[name].add(e.personId);
        if (e.sessionRef !== null && k.hour - b.hour <= SESSION_KEEP_HOURS)
          sessionSet(c, e.sessionRef, k.hour)?.add(e.personId);
      }
    },
    setContained: () => undefined,
    close: async () => undefined,
  };
}
