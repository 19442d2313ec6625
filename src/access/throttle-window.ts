/**
 * A sliding-window counter per key, approximated with two fixed buckets (the previous window's
 * count weighted by how much of it still overlaps the sliding window, plus the current count): O(1)
 * per event, two numbers per key, no timestamps kept. Keys idle for two windows are forgotten.
 *
 * In-process: each API node counts what it sees exactly; with Redis configured, throttle-shared.ts
 * adds the count of every node, so that a load balancer spreading one address over N nodes does not
 * give it N times the limit.
 */
export interface Buckets {
  start: number; // start of the current fixed window
  current: number;
  previous: number;
}

export const windowStart = (now: number, windowMs: number): number => now - (now % windowMs);

/** The buckets as of `now`: what was current weighs as previous one window later, and nothing after. */
export function rolled(b: Buckets, now: number, windowMs: number): Buckets {
  const start = windowStart(now, windowMs);
  if (start === b.start) return b;
  const previous = start - b.start === windowMs ? b.current : 0;
  return { start, current: 0, previous };
}

/** The sliding-window estimate: the current count plus the previous one weighted by its overlap. */
export const estimate = (b: Buckets, now: number, windowMs: number): number =>
  b.current + b.previous * (1 - (now - b.start) / windowMs);

export class SlidingWindow {
  private readonly buckets = new Map<string, Buckets>();
  private sincePrune = 0;

  constructor(private readonly windowMs: number) {}

  /** The estimated number of events of `key` in the window ending at `now`. */
  count(key: string, now: number): number {
    const b = this.buckets.get(key);
    return b ? estimate(rolled(b, now, this.windowMs), now, this.windowMs) : 0;
  }

  /** Counts one event; returns the new estimate. */
  add(key: string, now: number): number {
    if (++this.sincePrune >= 10_000) this.prune(now);
    const b = this.buckets.get(key);
    const next = b
      ? rolled(b, now, this.windowMs)
      : { start: windowStart(now, this.windowMs), current: 0, previous: 0 };
    next.current += 1;
    this.buckets.set(key, next);
    return estimate(next, now, this.windowMs);
  }

  /** Milliseconds until the estimate of `key` falls below `limit` if nothing more is counted (at least 1 s). */
  retryAfterMs(key: string, limit: number, now: number): number {
    for (let wait = 1_000; wait < 2 * this.windowMs; wait += 1_000) {
      if (this.count(key, now + wait) < limit) return wait;
    }
    return 2 * this.windowMs;
  }

  /** Number of keys held (tests, metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    this.sincePrune = 0;
    for (const [key, b] of this.buckets) {
      if (now - b.start >= 2 * this.windowMs) this.buckets.delete(key);
    }
  }
}
