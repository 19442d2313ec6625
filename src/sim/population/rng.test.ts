import { describe, expect, it } from 'vitest';
import { Rng, WeightedTable, createRng, weightedTable } from './rng.js';

const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(draws(createRng('vigie'), 100)).toEqual(draws(createRng('vigie'), 100));
    expect(draws(createRng('vigie'), 100)).not.toEqual(draws(createRng('vigie2'), 100));
    expect(draws(createRng(42), 10)).toEqual(draws(createRng('42'), 10));
    expect(draws(Rng.derive('s', 1), 10)).not.toEqual(draws(Rng.derive('s', 2), 10));
  });

  it('draws uniform floats and integers in range', () => {
    const rng = createRng(1);
    let sum = 0;
    let outside = 0;
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const x = rng.next();
      if (x < 0 || x >= 1) outside++;
      sum += x;
      const d = rng.int(1, 6);
      counts[d - 1] = (counts[d - 1] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    expect(sum / 60_000).toBeCloseTo(0.5, 1);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('draws roughly normal values', () => {
    const rng = createRng(2);
    const xs = Array.from({ length: 20_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('picks and shuffles', () => {
    const rng = createRng(3);
    const items = ['a', 'b', 'c', 'd'];
    expect(items).toContain(rng.pick(items));
    expect(() => rng.pick([])).toThrow();
    const shuffled = rng.shuffle([...items]);
    expect([...shuffled].sort()).toEqual(items);
  });
});

describe('WeightedTable', () => {
  it('samples in proportion to weights and never draws a zero weight', () => {
    const table = weightedTable([
      ['rare', 1],
      ['never', 0],
      ['common', 9],
    ]);
    const rng = createRng(4);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const x = table.sample(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect(counts.get('never')).toBeUndefined();
    expect((counts.get('common') ?? 0) / 100_000).toBeCloseTo(0.9, 2);
  });

  it('handles many uneven weights', () => {
    const weights = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 100 : 1));
    const table = new WeightedTable(
      weights.map((_, i) => i),
      weights,
    );
    const rng = createRng(5);
    let heavy = 0;
    for (let i = 0; i < 50_000; i++) if (table.sample(rng) % 10 === 0) heavy++;
    expect(heavy / 50_000).toBeCloseTo(10_000 / 10_900, 1);
  });

  it('refuses empty or all-zero tables', () => {
    expect(() => new WeightedTable([], [])).toThrow();
    expect(() => new WeightedTable(['a'], [0])).toThrow();
  });
});
