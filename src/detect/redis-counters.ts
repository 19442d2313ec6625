/**
 * Exposure counters in Redis, shared by every API process: one set per credential and window
 * (exact distinct counting, never HyperLogLog at these sizes), each with a TTL a little longer than
 * its window, and one Lua script that checks the containment flags and checks-and-adds every window
 * atomically, in one round trip.
 */
import { Redis } from 'ioredis';
import type { CounterKeys, ExposureCounters, PastExposure } from './counters.js';
import { CHECK_ORDER } from './counters.js';
import type { WindowName } from './limits.js';

const TTL_SECONDS: Readonly<Record<WindowName, number>> = {
  minute: 120,
  hour: 7_200,
  day: 2 * 86_400,
  week: 8 * 86_400,
  session: 86_400,
};
const FANOUT_TTL = 7_200;

/**
 * KEYS: account flag, organisation flag, the window sets, then the fan-out set.
 * ARGV: window count, fan-out member ('' for none), limits…, TTLs…, people…
 * Returns {contained (0 none, 1 account, 2 organisation), first overflowing window (0 none), fan-out, counts…},
 * or, when a flag is set, {1 or 2, 0, 0, the containment id it holds}.
 */
const SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held then return {1, 0, 0, held} end
held = redis.call('GET', KEYS[2])
if held then return {2, 0, 0, held} end
local n = tonumber(ARGV[1])
local first = 3 + 2 * n
local people = {}
for i = first, #ARGV do people[#people + 1] = ARGV[i] end
local out = {0, 0, 0}
for w = 1, n do
  local key = KEYS[2 + w]
  local fresh = 0
  if #people > 0 then
    local seen = redis.call('SMISMEMBER', key, unpack(people))
    for i = 1, #seen do if seen[i] == 0 then fresh = fresh + 1 end end
  end
  local count = redis.call('SCARD', key) + fresh
  out[3 + w] = count
  if fresh > 0 and count > tonumber(ARGV[2 + w]) and out[2] == 0 then out[2] = w end
end
if out[2] == 0 and #people > 0 then
  for w = 1, n do
    redis.call('SADD', KEYS[2 + w], unpack(people))
    redis.call('EXPIRE', KEYS[2 + w], tonumber(ARGV[2 + n + w]))
  end
end
if ARGV[2] ~= '' then
  local fk = KEYS[3 + n]
  redis.call('SADD', fk, ARGV[2])
  redis.call('EXPIRE', fk, ${FANOUT_TTL})
  out[3] = redis.call('SCARD', fk)
end
return out
`;

type Exposer = (keyCount: number, ...args: Array<string | number>) => Promise<Array<number | string>>;

export interface RedisCountersOptions {
  readonly url: string;
  /** Key prefix (tests isolate themselves with one). */
  readonly prefix?: string;
}

export function redisCounters(options: RedisCountersOptions): ExposureCounters {
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableAutoPipelining: true });
  redis.defineCommand('vigieExpose', { lua: SCRIPT });
  const expose = (redis as unknown as { vigieExpose: Exposer }).vigieExpose.bind(redis);
  const prefix = options.prefix ?? 'vigie:';
  const keyOf = (
    k: Pick<CounterKeys, 'accountId' | 'sessionRef' | 'minute' | 'hour' | 'day' | 'week'>,
    w: WindowName,
  ): string | null => {
    if (w === 'session') return k.sessionRef === null ? null : `${prefix}x:s:${k.accountId}:${k.sessionRef}`;
    return `${prefix}x:${w[0] ?? ''}:${k.accountId}:${k[w]}`;
  };
  const flag = (kind: 'account' | 'organisation', id: string) => `${prefix}contained:${kind}:${id}`;

  return {
    shared: true,
    async checkAndAdd(k, limits, people, out) {
      const windows = CHECK_ORDER.filter((w) => k.sessionRef !== null || w !== 'session');
      const keys = windows.map((w) => keyOf(k, w) as string);
      const fanoutKey = k.fanoutIp === null ? [] : [`${prefix}x:ip:${k.fanoutIp}:${k.hour}`];
      const orgFlag = k.organisationId === null ? `${prefix}contained:none` : flag('organisation', k.organisationId);
      const args = [
        windows.length,
        k.fanoutIp === null ? '' : k.accountId,
        ...windows.map((w) => limits[w]),
        ...windows.map((w) => TTL_SECONDS[w]),
        ...people,
      ];
      const r = await expose(
        2 + keys.length + fanoutKey.length,
        flag('account', k.accountId),
        orgFlag,
        ...keys,
        ...fanoutKey,
        ...args,
      );
      const n = (i: number): number => Number(r[i] ?? 0);
      out.contained = n(0) === 1 ? 'account' : n(0) === 2 ? 'organisation' : null;
      out.containmentId = out.contained === null ? null : String(r[3] ?? '');
      out.exceeded = n(1) > 0 ? (windows[n(1) - 1] ?? null) : null;
      out.fanout = n(2);
      out.session = 0;
      if (out.contained === null) windows.forEach((w, i) => (out[w] = n(3 + i)));
    },
    async seed(k, past: readonly PastExposure[], bucketsOf) {
      const sets = new Map<string, { members: Set<string>; ttl: number }>();
      for (const e of past) {
        const b = bucketsOf(e.at);
        for (const w of CHECK_ORDER) {
          if (w !== 'session' && b[w] !== k[w]) continue;
          const key = keyOf({ ...b, accountId: k.accountId, sessionRef: e.sessionRef }, w);
          if (key === null) continue;
          const entry = sets.get(key) ?? { members: new Set<string>(), ttl: TTL_SECONDS[w] };
          entry.members.add(e.personId);
          sets.set(key, entry);
        }
      }
      if (sets.size === 0) return;
      const multi = redis.multi();
      for (const [key, { members, ttl }] of sets) multi.sadd(key, ...members).expire(key, ttl);
      await multi.exec();
    },
    async setContained(kind, id, containmentId) {
      if (containmentId !== null) await redis.set(flag(kind, id), containmentId);
      else await redis.del(flag(kind, id));
    },
    close: async () => void (await redis.quit()),
  };
}
