/**
 * Failed sign-ins per address and per network, shared by every API process through Redis, so that
 * a load balancer spreading one attacker over N processes does not give it N times the limit.
 *
 * The throttle decides synchronously, before any account lookup or argon2 work: it reads the last
 * shared count it knows (refreshed in the background at most every `refreshMs`, and at once after
 * each failure this process records) next to its own exact count, and keeps the larger. The shared
 * count therefore lags by at most one refresh, a handful of attempts at the attacker's pace.
 *
 * In Redis, the same two-bucket sliding window as throttle-window.ts: one integer per key and fixed
 * window, INCR then PEXPIRE after two windows. Keys carry the address or network, which are
 * personal data of a sort: they live no longer than the window they count.
 */
import { Redis } from 'ioredis';
import type { Buckets } from './throttle-window.js';
import { estimate, rolled, windowStart } from './throttle-window.js';

export interface SharedFailureCounts {
  /** Counts one failure of `key` in every process (in the background). */
  add(key: string, now: number): void;
  /** The last known estimate across processes (synchronous; refreshes in the background). */
  count(key: string, now: number): number;
  /** Waits for the pending writes, then refreshes every known key as of `now` (tests). */
  flush(now: number): Promise<void>;
  close(): Promise<void>;
}

export interface RedisFailureCountsOptions {
  readonly url: string;
  readonly prefix: string;
  readonly windowMs: number;
  readonly refreshMs?: number;
  /** Redis failures are never the requester's: reported here, and the local counts still apply. */
  readonly onError?: (error: unknown) => void;
}

interface Known extends Buckets {
  fetchedAt: number;
  fetching: boolean;
}

const KEY_LIMIT = 100_000;

export function redisFailureCounts(options: RedisFailureCountsOptions): SharedFailureCounts {
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableAutoPipelining: true });
  const { windowMs } = options;
  const refreshMs = options.refreshMs ?? 1_000;
  const onError = options.onError ?? (() => undefined);
  const known = new Map<string, Known>();
  const pending = new Set<Promise<unknown>>();
  const startOf = (now: number) => windowStart(now, windowMs);
  const redisKey = (key: string, start: number) => `${options.prefix}signin:f:${key}:${start}`;

  const track = (p: Promise<unknown>) => {
    const settled = p.catch(onError).finally(() => pending.delete(settled));
    pending.add(settled);
  };

  const fetch = (key: string, entry: Known, now: number) => {
    entry.fetching = true;
    const start = startOf(now);
    track(
      redis
        .mget(redisKey(key, start), redisKey(key, start - windowMs))
        .then(([current, previous]) => {
          Object.assign(entry, {
            current: Number(current ?? 0),
            previous: Number(previous ?? 0),
            start,
            fetchedAt: now,
          });
        })
        .finally(() => (entry.fetching = false)),
    );
  };

  const entryOf = (key: string, now: number): Known => {
    let entry = known.get(key);
    if (!entry) {
      if (known.size >= KEY_LIMIT) known.clear(); // an address flood must not grow memory without bound
      entry = { current: 0, previous: 0, start: startOf(now), fetchedAt: -Infinity, fetching: false };
      known.set(key, entry);
    }
    return entry;
  };

  return {
    add(key, now) {
      const start = startOf(now);
      const k = redisKey(key, start);
      track(
        redis
          .multi()
          .incr(k)
          .pexpire(k, 2 * windowMs)
          .exec(),
      );
      const entry = entryOf(key, now);
      if (entry.start === start) entry.current += 1;
      if (!entry.fetching) fetch(key, entry, now);
    },
    count(key, now) {
      const entry = entryOf(key, now);
      if (now - entry.fetchedAt >= refreshMs && !entry.fetching) fetch(key, entry, now);
      return estimate(rolled(entry, now, windowMs), now, windowMs);
    },
    async flush(now) {
      while (pending.size > 0) await Promise.all([...pending]);
      for (const [key, entry] of known) fetch(key, entry, now);
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async () => {
      await Promise.all([...pending]);
      await redis.quit();
    },
  };
}
