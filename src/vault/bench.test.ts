import { describe, expect, it } from 'vitest';
import { benchVault } from './bench.js';

describe('benchVault', () => {
  it('measures the three hot paths (tiny run: proves it works, not the figures)', () => {
    const figures = benchVault({ people: 20, rounds: 2 });
    expect(Object.keys(figures).sort()).toEqual(['blind_index_per_s', 'open_per_s', 'seal_person_per_s']);
    for (const value of Object.values(figures)) expect(value).toBeGreaterThan(0);
  });
});
