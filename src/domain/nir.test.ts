import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.js';
import { generateNir, isValidNir, nirKey, parseNir } from './nir.js';
import type { RandomSource } from './random.js';

/** The key straight from its definition, with BigInt: 97 − (number mod 97), 2A → 19, 2B → 18. */
const keyByFormula = (number13: string): string =>
  String(97n - (BigInt(number13.replace('2A', '19').replace('2B', '18')) % 97n)).padStart(2, '0');

const mulberry32 = (seed: number): RandomSource => ({
  nextUint32() {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  },
});

const reasonOf = (input: string): unknown => {
  const r = parseNir(input);
  return isAppError(r) ? r.details?.['reason'] : 'valid';
};

describe('nirKey', () => {
  it.each([
    // number, key worked out by hand: 1841276451089 mod 97 = 51 → 97 − 51 = 46
    ['1841276451089', '46'],
    // Corsica 2A: 2900319004123 mod 97 = 77 → 20
    ['290032A004123', '20'],
    // Corsica 2B counts as 18, so it shares its key with département 18 (Cher): mod 97 = 49 → 48
    ['169072B033007', '48'],
    ['1690718033007', '48'],
    // overseas, Les Abymes 97101: mod 97 = 68 → 29
    ['2900397101045', '29'],
    // born in Morocco (99 350): mod 97 = 81 → 16
    ['1750399350012', '16'],
    // provisional number: mod 97 = 9 → 88
    ['7520197411123', '88'],
  ])('%s has key %s', (number13, key) => {
    expect(nirKey(number13)).toBe(key);
    expect(keyByFormula(number13)).toBe(key);
  });
});

describe('parseNir', () => {
  it('accepts valid numbers and normalises spaces, dots and case', () => {
    expect(parseNir('1 84 12 76 451 089 46')).toBe('184127645108946');
    expect(parseNir('2.90.03.2a.004.123.20')).toBe('290032A00412320');
    expect(parseNir('169072B03300748')).toBe('169072B03300748');
    expect(parseNir('290039710104529')).toBe('290039710104529');
    expect(parseNir('175039935001216')).toBe('175039935001216');
  });

  it('accepts the special month ranges 20–42 and 50–99', () => {
    for (const month of ['20', '42', '50', '99']) {
      const number13 = `185${month}75112001`;
      expect(parseNir(number13 + keyByFormula(number13))).toBe(number13 + keyByFormula(number13));
    }
  });

  it('accepts Corsica before 1976 as département 20', () => {
    const number13 = '1650320004001';
    expect(isValidNir(number13 + keyByFormula(number13))).toBe(true);
  });

  it.each([
    ['18412764510894', 'length'],
    ['1841276451089466', 'length'],
    ['18412764510894A', 'characters'],
    ['184122C45108946', 'characters'],
    ['5841276451089', 'sex'],
    ['1840076451089', 'month'],
    ['1841376451089', 'month'],
    ['1844376451089', 'month'],
    ['1841200451089', 'departement'],
    ['1841297951089', 'departement'],
    ['1841298151089', 'departement'],
    ['1841276000089', 'commune'],
    ['1841276451000', 'order'],
  ])('rejects %s (%s)', (number13, reason) => {
    const input = number13.length === 13 ? number13 + keyByFormula(number13) : number13;
    expect(reasonOf(input)).toBe(reason);
  });

  it('rejects a wrong key with a French message and a stable code', () => {
    const r = parseNir('184127645108947');
    expect(isAppError(r) && r.code).toBe('NIR.INVALID');
    expect(isAppError(r) && r.message).toMatch(/clé/);
    expect(reasonOf('290032A00412321')).toBe('key');
    expect(reasonOf('290032B00412320')).toBe('key');
  });
});

describe('generateNir', () => {
  const random = mulberry32(42);

  it('produces valid NIRs consistent with the facts', () => {
    const nir = generateNir(random, { sex: 'F', birthDate: '1987-11-04', communeInsee: '69123' });
    expect(nir).toMatch(/^2871169123\d{5}$/);
    expect(isValidNir(nir)).toBe(true);
  });

  it('writes Corsica as 20 before 1976 and 2A/2B after', () => {
    expect(generateNir(random, { sex: 'M', birthDate: '1970-01-01', communeInsee: '2A004' })).toMatch(/^1700120004/);
    const recent = generateNir(random, { sex: 'M', birthDate: '1990-01-01', communeInsee: '2B033' });
    expect(recent).toMatch(/^190012B033/);
    expect(isValidNir(recent)).toBe(true);
  });

  it('is valid for every kind of birth place', () => {
    const places = ['75056', '2A004', '2B096', '97101', '97611', '98818', '99350', '01001'];
    for (let i = 0; i < 2000; i++) {
      const communeInsee = places[i % places.length] ?? '75056';
      const nir = generateNir(random, { sex: i % 2 ? 'M' : 'F', birthDate: '2001-06-30', communeInsee });
      expect(parseNir(nir)).toBe(nir);
    }
  });

  it('refuses a malformed commune code', () => {
    expect(() => generateNir(random, { sex: 'M', birthDate: '2001-06-30', communeInsee: '7505' })).toThrow();
  });
});
