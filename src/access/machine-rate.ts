/**
 * Per-client rate limits of machine clients: a token bucket per client (capacity `burst`, refilled at
 * `ratePerMinute`), in-process like the sign-in throttle (shared counters would be Redis, as for
 * detection). An empty bucket answers 429 MACHINE.RATE_LIMITED with the seconds until one token.
 */
import { AppError } from '../domain/errors.js';

interface Bucket {
  tokens: number;
  at: number;
}

export const rateLimited = (retryAfterSeconds: number): AppError =>
  new AppError('MACHINE.RATE_LIMITED', 'too_many', 'Trop de requêtes pour ce client : ralentissez.', {
    retryAfterSeconds,
  });

export class MachineRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly recorded = new Map<string, number>();

  /** Takes one token from the client's bucket, or throws MACHINE.RATE_LIMITED (429, Retry-After). */
  take(clientId: string, ratePerMinute: number, burst: number, now: number): void {
    const perMs = ratePerMinute / 60_000;
    const previous = this.buckets.get(clientId) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, previous.tokens + Math.max(0, now - previous.at) * perMs);
    if (tokens < 1) {
      this.buckets.set(clientId, { tokens, at: now });
      throw rateLimited(Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)));
    }
    this.buckets.set(clientId, { tokens: tokens - 1, at: now });
  }

  /** True at most once a minute per client: a refused burst is recorded once, not once per request. */
  shouldRecord(clientId: string, now: number): boolean {
    const last = this.recorded.get(clientId);
    if (last !== undefined && now - last < 60_000) return false;
    this.recorded.set(clientId, now);
    return true;
  }
}
