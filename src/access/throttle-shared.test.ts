/**
 * Two API processes behind a load balancer share one address's sign-in failures through the real
 * Redis at 127.0.0.1:6379: together they refuse it at the limit, not at twice the limit.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import { SignInThrottle } from './throttle.js';
import type { ThrottleOptions } from './throttle.js';
import { redisFailureCounts } from './throttle-shared.js';

const REDIS_URL = process.env['VIGIE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const WINDOW = 15 * 60_000;
const OPTIONS: ThrottleOptions = {
  addressFailureLimit: 20,
  networkFailureLimit: 100,
  windowMs: WINDOW,
  argon2Concurrency: 1,
  queueLimit: 10,
};
const T0 = Date.UTC(2026, 10, 23, 9, 0);

/** The error code `admit` throws, or undefined when it admits. */
const codeOf = (admit: () => void): string | undefined => {
  try {
    admit();
    return undefined;
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
};

describe('sign-in throttle shared through Redis', () => {
  const open: SignInThrottle[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  const node = (prefix: string) => {
    const shared = redisFailureCounts({ url: REDIS_URL, prefix, windowMs: WINDOW, refreshMs: 0 });
    const throttle = new SignInThrottle(OPTIONS, shared);
    open.push(throttle);
    return { throttle, shared };
  };

  it('refuses an address whose failures, spread over two processes, reach the limit', async () => {
    const prefix = `vigie-test:${randomBytes(6).toString('hex')}:`;
    const [a, b] = [node(prefix), node(prefix)];
    const attacker = { ip: '203.0.113.50', userAgent: 'x' };
    for (let i = 0; i < 10; i++) {
      a.throttle.recordFailure(attacker, T0 + i);
      b.throttle.recordFailure(attacker, T0 + i);
    }
    // Both processes' writes land first, then each refreshes what it knows (a flush waits only for its own writes).
    await Promise.all([a.shared.flush(T0 + 20), b.shared.flush(T0 + 20)]);
    await Promise.all([a.shared.flush(T0 + 20), b.shared.flush(T0 + 20)]);
    // Each process saw 10 failures only: alone, neither would refuse yet.
    for (const n of [a, b]) expect(codeOf(() => n.throttle.admit(attacker, T0 + 30))).toBe('AUTH.TOO_MANY_ATTEMPTS');
    // Another address, and the same address in another deployment (prefix), are untouched.
    expect(codeOf(() => a.throttle.admit({ ip: '203.0.113.51', userAgent: 'x' }, T0 + 30))).toBeUndefined();
    const other = node(`vigie-test:${randomBytes(6).toString('hex')}:`);
    await other.shared.flush(T0 + 30);
    expect(codeOf(() => other.throttle.admit(attacker, T0 + 30))).toBeUndefined();
  });

  it('without Redis, each process counts alone (the gap the shared counts close)', () => {
    const [a, b] = [new SignInThrottle(OPTIONS), new SignInThrottle(OPTIONS)];
    const attacker = { ip: '203.0.113.60', userAgent: 'x' };
    for (let i = 0; i < 10; i++) {
      a.recordFailure(attacker, T0 + i);
      b.recordFailure(attacker, T0 + i);
    }
    expect(codeOf(() => a.admit(attacker, T0 + 30))).toBeUndefined();
  });

  it('lets the shared counts expire with the window', async () => {
    const prefix = `vigie-test:${randomBytes(6).toString('hex')}:`;
    const a = node(prefix);
    const attacker = { ip: '203.0.113.70', userAgent: 'x' };
    for (let i = 0; i < 20; i++) a.shared.add(`a:${attacker.ip}`, T0);
    await a.shared.flush(T0);
    expect(a.shared.count(`a:${attacker.ip}`, T0)).toBe(20);
    expect(a.shared.count(`a:${attacker.ip}`, T0 + 2 * WINDOW)).toBe(0);
  });
});
