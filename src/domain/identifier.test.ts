import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.js';
import { isIdentifier, newIdentifier, parseIdentifier } from './identifier.js';
import type { RandomSource } from './random.js';

const counter = (): RandomSource => {
  let n = 0;
  return { nextUint32: () => Math.imul(++n, 0x9e3779b1) >>> 0 };
};

describe('parseIdentifier', () => {
  it('accepts 7 digits and a letter, normalising case and spaces', () => {
    expect(parseIdentifier('1234567A')).toBe('1234567A');
    expect(parseIdentifier(' 1234 567b ')).toBe('1234567B');
  });

  it.each(['123456A', '12345678A', '1234567', '1234567AB', 'A1234567', '123456-7A', '1234567É'])(
    'rejects %s',
    (input) => {
      const r = parseIdentifier(input);
      expect(isAppError(r) && r.code).toBe('IDENTIFIER.INVALID');
    },
  );
});

describe('newIdentifier', () => {
  it('draws well-formed, distinct, non-sequential identifiers', () => {
    const random = counter();
    const ids = Array.from({ length: 1000 }, () => newIdentifier(random));
    expect(ids.every(isIdentifier)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const numbers = ids.map((id) => Number(id.slice(0, 7)));
    const consecutive = numbers.slice(1).filter((n, i) => Math.abs(n - (numbers[i] ?? 0)) <= 1);
    expect(consecutive.length).toBe(0);
    expect(new Set(ids.map((id) => id.charAt(7))).size).toBeGreaterThan(20);
  });
});
