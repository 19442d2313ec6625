import { describe, expect, it } from 'vitest';
import type { AppError } from '../domain/errors.js';
import { SignInThrottle } from './throttle.js';
import { addressOf, networkOf } from './throttle-network.js';
import { VerificationQueue } from './throttle-queue.js';
import { SlidingWindow } from './throttle-window.js';

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;
const T0 = Date.UTC(2026, 2, 2, 8, 0);

describe('networks of addresses', () => {
  it('groups IPv4 by /24 and IPv6 by /48 or /64, unmapping IPv4-mapped addresses', () => {
    expect(networkOf('192.0.2.77')).toBe('192.0.2.0/24');
    expect(networkOf('::ffff:192.0.2.77')).toBe('192.0.2.0/24');
    expect(networkOf('2001:db8:aa:bb:1::9')).toBe('2001:db8:aa:bb::/64');
    expect(networkOf('2001:db8:aa:bb:1::9', 48)).toBe('2001:db8:aa::/48');
    expect(networkOf('2001:db8::1', 48)).toBe('2001:db8:0::/48');
    expect(networkOf('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(networkOf('not an address')).toBeNull();
    expect(networkOf(null)).toBeNull();
    expect(addressOf('::FFFF:192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('SlidingWindow', () => {
  it('counts events in the last window, the previous bucket weighted by its overlap, and forgets the rest', () => {
    const w = new SlidingWindow(WINDOW);
    for (let i = 0; i < 10; i++) w.add('a', T0);
    expect(w.count('a', T0)).toBe(10);
    expect(w.count('a', T0 + WINDOW + WINDOW / 2)).toBeCloseTo(5);
    expect(w.count('a', T0 + 2 * WINDOW)).toBe(0);
    expect(w.count('b', T0)).toBe(0);
  });

  it('says how long until a key falls below a limit', () => {
    const w = new SlidingWindow(WINDOW);
    for (let i = 0; i < 20; i++) w.add('a', T0);
    const wait = w.retryAfterMs('a', 20, T0);
    expect(w.count('a', T0 + wait)).toBeLessThan(20);
    expect(w.count('a', T0 + wait - 1_000)).toBeGreaterThanOrEqual(20);
  });
});

describe('VerificationQueue', () => {
  const busy = () => new Error('busy');
  const gate = () => {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    return { promise, open };
  };

  it('runs at most `concurrency` tasks and serves waiters by priority class, FIFO within a class', async () => {
    const q = new VerificationQueue({ concurrency: 1, queueLimit: 10, maxWaitMs: [10_000, 10_000, 10_000], busy });
    const order: string[] = [];
    const first = gate();
    const running = q.run(1, async () => first.promise);
    const waiting = [
      q.run(2, async () => void order.push('dirty')),
      q.run(1, async () => void order.push('clean-1')),
      q.run(0, async () => void order.push('trusted')),
      q.run(1, async () => void order.push('clean-2')),
    ];
    expect(q.stats).toMatchObject({ running: 1, waiting: 4 });
    first.open();
    await Promise.all([running, ...waiting]);
    expect(order).toEqual(['trusted', 'clean-1', 'clean-2', 'dirty']);
    expect(q.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it('when full, sheds the newest failed-looking waiter for a better newcomer, and sheds a newcomer that outranks no one', async () => {
    const q = new VerificationQueue({ concurrency: 1, queueLimit: 2, maxWaitMs: [10_000, 10_000, 10_000], busy });
    const first = gate();
    const running = q.run(1, async () => first.promise);
    const dirtyOld = q.run(2, async () => 'old');
    const dirtyNew = q.run(2, async () => 'new');
    const clean = q.run(1, async () => 'clean');
    await expect(dirtyNew).rejects.toThrow('busy');
    await expect(q.run(2, async () => 'late')).rejects.toThrow('busy');
    first.open();
    await expect(Promise.all([running, dirtyOld, clean])).resolves.toEqual([undefined, 'old', 'clean']);
    expect(q.stats.shed).toBe(2);
  });

  it('re-reads ranks while waiting: a source whose failures appear meanwhile is served last and shed first', async () => {
    const q = new VerificationQueue({ concurrency: 1, queueLimit: 2, maxWaitMs: [10_000, 10_000, 10_000], busy });
    const order: string[] = [];
    let floodRank: 1 | 2 = 1;
    const first = gate();
    const running = q.run(1, async () => first.promise);
    const flood = q.run(
      () => floodRank,
      async () => void order.push('flood'),
    );
    const user = q.run(1, async () => void order.push('user'));
    floodRank = 2; // its first attempts failed meanwhile
    const late = q.run(1, async () => void order.push('late user'));
    await expect(flood).rejects.toThrow('busy');
    first.open();
    await Promise.all([running, user, late]);
    expect(order).toEqual(['user', 'late user']);
  });

  it('never lets failed-looking traffic hold every slot: one stays free for a legitimate sign-in', async () => {
    const q = new VerificationQueue({ concurrency: 2, queueLimit: 10, maxWaitMs: [10_000, 10_000, 10_000], busy });
    const suspect = gate();
    const order: string[] = [];
    const first = q.run(2, async () => suspect.promise);
    const second = q.run(2, async () => void order.push('second suspect'));
    expect(q.stats).toMatchObject({ running: 1, waiting: 1 });
    await q.run(1, async () => void order.push('user'));
    expect(order).toEqual(['user']);
    suspect.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['user', 'second suspect']);
  });

  it('makes a lone user’s retries wait for nothing, but holds a flood back while legitimate sign-ins run', async () => {
    const q = new VerificationQueue({ concurrency: 2, queueLimit: 64, maxWaitMs: [10_000, 10_000, 200], busy });
    await q.run(1, async () => undefined);
    await expect(q.run(2, async () => 'retry')).resolves.toBe('retry');
    const flood = Array.from({ length: 12 }, () => q.run(2, async () => 'guess').catch(() => 'shed'));
    const user = gate();
    const legit = q.run(1, async () => user.promise);
    const late = await Promise.all(Array.from({ length: 4 }, () => q.run(2, async () => 'guess').catch(() => 'shed')));
    expect(late).toEqual(['shed', 'shed', 'shed', 'shed']);
    user.open();
    await legit;
    expect((await Promise.all(flood)).filter((r) => r === 'guess').length).toBeGreaterThan(0);
  });

  it('answers a waiter that waited too long with busy, and frees its place', async () => {
    const q = new VerificationQueue({ concurrency: 1, queueLimit: 5, maxWaitMs: [1_000, 1_000, 20], busy });
    const first = gate();
    const running = q.run(1, async () => first.promise);
    await expect(q.run(2, async () => 'never')).rejects.toThrow('busy');
    expect(q.stats.waiting).toBe(0);
    first.open();
    await running;
  });
});

describe('SignInThrottle', () => {
  const options = {
    addressFailureLimit: 20,
    networkFailureLimit: 50,
    windowMs: WINDOW,
    argon2Concurrency: 2,
    queueLimit: 8,
  };
  const source = (ip: string) => ({ ip, userAgent: 'test' });
  const refusal = (fn: () => void): AppError => {
    try {
      fn();
    } catch (e) {
      return e as AppError;
    }
    throw new Error('expected a refusal');
  };

  it('refuses an address at its threshold with a Retry-After, and recovers as the window slides', () => {
    const t = new SignInThrottle(options);
    const a = source('198.51.100.7');
    const crossings = [];
    for (let i = 0; i < 20; i++) {
      t.admit(a, T0);
      crossings.push(...t.recordFailure(a, T0));
    }
    expect(crossings).toEqual([{ scope: 'address', key: '198.51.100.7', failures: 20 }]);
    const e = refusal(() => t.admit(a, T0));
    expect(e).toMatchObject({ code: 'AUTH.TOO_MANY_ATTEMPTS', kind: 'too_many' });
    const retry = e.details?.['retryAfterSeconds'] as number;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(30 * 60);
    expect(() => t.admit(a, T0 + retry * 1000)).not.toThrow();
    expect(() => t.admit(source('198.51.100.8'), T0)).not.toThrow();
  });

  it('refuses a whole /24 once the network threshold is reached by rotating addresses', () => {
    const t = new SignInThrottle(options);
    for (let i = 0; i < 50; i++) t.recordFailure(source(`203.0.113.${i}`), T0);
    expect(refusal(() => t.admit(source('203.0.113.200'), T0)).code).toBe('AUTH.TOO_MANY_ATTEMPTS');
    expect(() => t.admit(source('203.0.114.1'), T0)).not.toThrow();
    expect(t.priorityOf(source('203.0.113.250'), T0)).toBe(2);
    expect(t.priorityOf(source('192.0.2.1'), T0)).toBe(1);
  });
});
