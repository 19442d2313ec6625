/**
 * A sliding-window counter per key, approximated with two fixed buckets (the previous window's
 * count weighted by how much of it still overlaps the sliding window, plus the current count): O(1)
 * per event, two numbers per key, no timestamps kept. Keys idle for two windows are forgotten.
 *
 * In-process: each API node counts what it sees exactly; with Redis configured, throttle-shared.ts
 * adds the count of every node, so that a load balancer spreading one address over N nodes does not
 * give it N times the limit.
 */
interface Buckets {
  start: number; // start of the current fixed window
  current: number;
  previous: number;
}

export class SlidingWindow {
  private readonly buckets = new Map<string, Buckets>();
  private sincePrune = 0;

  constructor(private readonly windowMs: number) {}

  /** The estimated number of events of `key` in the window ending at `now`. */
  count(key: string, now: number): number {
    const b = this.buckets.get(key);
    return b ? this.estimate(this.rolled(b, now), now) : 0;
  }

  /** Counts one event; returns the new estimate. */
  add(key: string, now: number): number {
    if (++this.sincePrune >= 10_000) this.prune(now);
    const b = this.buckets.get(key);
    const rolled = b ? this.rolled(b, now) : { start: this.windowStart(now), current: 0, previous: 0 };
    rolled.current += 1;
    this.buckets.set(key, rolled);
    return this.estimate(rolled, now);
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

  private windowStart(now: number): number {
    return now - (now % this.windowMs);
  }

  private rolled(b: Buckets, now: number): Buckets {
    const start = this.windowStart(now);
    if (start === b.start) return b;
    const previous = start - b.start === this.windowMs ? b.current : 0;
    return { start, current: 0, previous };
  }

  private estimate(b: Buckets, now: number): number {
    const overlap = 1 - (now - b.start) / this.windowMs;
    return b.current + b.previous * overlap;
  }

  private prune(now: number): void {
    this.sincePrune = 0;
    for (const [key, b] of this.buckets) {
      if (now - b.start >= 2 * this.windowMs) this.buckets.delete(key);
    }
  }
}
