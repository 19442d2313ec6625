import { beforeAll, describe, expect, it } from 'vitest';
import { ageOn } from '../../domain/dates.js';
import { isIdentifier } from '../../domain/identifier.js';
import { parseNir } from '../../domain/nir.js';
import type { JobSeeker } from '../../domain/person.js';
import { checkPostalCode, communeByInsee, departementOf } from '../../referential/communes.js';
import { isRomeCode } from '../../referential/rome.js';
import type { PersonContext } from './generate-person.js';
import { generatePerson } from './generate-person.js';
import { createRng } from './rng.js';

const ctx: PersonContext = { today: '2025-06-15', agencyId: 'agency-42', adviserId: 'adviser-7' };
const generate = (seed: string, n: number, context = ctx): JobSeeker[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => generatePerson(rng, context));
};
const share = (people: readonly JobSeeker[], test: (p: JobSeeker) => boolean): number =>
  people.filter(test).length / people.length;

/** The NIR's birth place is a known commune (Corsica before 1976 as 20) or 99 + a country code. */
function birthPlaceIsKnown(nir: string): boolean {
  const place = nir.slice(5, 10);
  if (place.startsWith('99')) return true;
  if (place.startsWith('20')) return ['2A', '2B'].some((d) => communeByInsee(d + place.slice(2)) !== undefined);
  return communeByInsee(place) !== undefined;
}

let sample: JobSeeker[] = [];
let elapsedMs = 0;
beforeAll(() => {
  const start = performance.now();
  sample = generate('vigie-test', 10_000);
  elapsedMs = performance.now() - start;
});

describe('generatePerson: determinism', () => {
  it('gives the same people for the same seed, other people for another', () => {
    expect(generate('seed-a', 50)).toEqual(generate('seed-a', 50));
    expect(generate('seed-a', 5).map((p) => p.id)).not.toEqual(generate('seed-b', 5).map((p) => p.id));
  });

  it('is fast (1 million in well under a minute means 10,000 in well under a second)', () => {
    expect(elapsedMs).toBeLessThan(5_000);
  });
});

describe('generatePerson: validity of 10,000 people', () => {
  /** The people failing a check, reported by id (an empty list is a pass). */
  const failing = (check: (p: JobSeeker) => boolean): string[] => sample.filter((p) => !check(p)).map((p) => p.id);

  it('has valid NIRs consistent with sex and birth date', () => {
    const nirOf = (p: JobSeeker): string => p.sealed.nir.nir;
    const birth = (p: JobSeeker): string => p.sealed.birth.birthDate;
    expect(failing((p) => parseNir(nirOf(p)) === nirOf(p))).toEqual([]);
    expect(failing((p) => nirOf(p).charAt(0) === (p.sealed.identity.civility === 'M' ? '1' : '2'))).toEqual([]);
    expect(failing((p) => nirOf(p).slice(1, 5) === birth(p).slice(2, 4) + birth(p).slice(5, 7))).toEqual([]);
    expect(failing((p) => birthPlaceIsKnown(nirOf(p)))).toEqual([]);
  });

  it('lives in a real commune with one of its postal codes', () => {
    expect(
      failing((p) => checkPostalCode(p.sealed.address.communeInsee, p.sealed.address.postalCode) === null),
    ).toEqual([]);
    expect(
      failing((p) => communeByInsee(p.sealed.address.communeInsee)?.name === p.sealed.address.communeName),
    ).toEqual([]);
    expect(failing((p) => departementOf(p.sealed.address.communeInsee) === p.departement)).toEqual([]);
    expect(failing((p) => /^(\d+( bis| ter)? \S+ .+|lieu-dit .+)$/.test(p.sealed.address.addressLine))).toEqual([]);
  });

  it('seeks 1 to 3 distinct official ROME codes', () => {
    const codes = (p: JobSeeker): string[] => p.romeCodes;
    expect(failing((p) => codes(p).length >= 1 && codes(p).length <= 3)).toEqual([]);
    expect(failing((p) => new Set(codes(p)).size === codes(p).length && codes(p).every(isRomeCode))).toEqual([]);
  });

  it('has unique random ids and identifiers, and the context agency', () => {
    expect(new Set(sample.map((p) => p.id)).size).toBe(sample.length);
    expect(failing((p) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(p.id))).toEqual(
      [],
    );
    expect(failing((p) => isIdentifier(p.sealed.identity.identifier))).toEqual([]);
    expect(new Set(sample.map((p) => p.sealed.identity.identifier)).size).toBeGreaterThan(9_990);
    expect(failing((p) => p.agencyId === 'agency-42' && p.adviserId === 'adviser-7')).toEqual([]);
  });

  it('has coherent registration dates', () => {
    expect(failing((p) => p.registeredOn <= ctx.today)).toEqual([]);
    expect(failing((p) => ageOn(p.sealed.birth.birthDate, p.registeredOn) >= 16)).toEqual([]);
    const struckOffOk = (p: JobSeeker): boolean =>
      p.status === 'struck_off'
        ? p.struckOffOn !== null && p.struckOffOn > p.registeredOn && p.struckOffOn <= ctx.today
        : p.struckOffOn === null;
    expect(failing(struckOffOk)).toEqual([]);
  });

  it('has well-formed contact details', () => {
    const { email, phone } = { email: /^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$/, phone: /^0[67]\d{8}$/ };
    expect(failing((p) => p.sealed.contact.email === null || email.test(p.sealed.contact.email))).toEqual([]);
    expect(failing((p) => p.sealed.contact.phone === null || phone.test(p.sealed.contact.phone))).toEqual([]);
  });
});

describe('generatePerson: spreads', () => {
  const ageOf = (p: JobSeeker): number => ageOn(p.sealed.birth.birthDate, ctx.today);
  const adults = (): JobSeeker[] => sample.filter((p) => ageOf(p) >= 18);

  it('ages 16–66, mostly 25–50', () => {
    expect(sample.every((p) => ageOf(p) >= 16 && ageOf(p) <= 66)).toBe(true);
    expect(share(sample, (p) => ageOf(p) >= 25 && ageOf(p) < 50)).toBeGreaterThan(0.5);
    expect(share(sample, (p) => ageOf(p) < 25)).toBeLessThan(0.2);
  });

  it('about half women; some married women use another name, men never', () => {
    const women = sample.filter((p) => p.sealed.identity.civility === 'MME');
    expect(women.length / sample.length).toBeGreaterThan(0.46);
    expect(women.length / sample.length).toBeLessThan(0.56);
    const renamed = share(women, (p) => p.sealed.identity.lastName !== p.sealed.identity.birthName);
    expect(renamed).toBeGreaterThan(0.1);
    expect(renamed).toBeLessThan(0.4);
    expect(
      sample.some(
        (p) => p.sealed.identity.civility === 'M' && p.sealed.identity.lastName !== p.sealed.identity.birthName,
      ),
    ).toBe(false);
  });

  it('licence B for about 70 % of adults, few heavy licences, vehicles mostly with B', () => {
    const grown = adults();
    expect(share(grown, (p) => p.drivingLicences.includes('B'))).toBeGreaterThan(0.64);
    expect(share(grown, (p) => p.drivingLicences.includes('B'))).toBeLessThan(0.8);
    expect(share(grown, (p) => p.drivingLicences.some((l) => l.startsWith('C') || l.startsWith('D')))).toBeLessThan(
      0.08,
    );
    expect(share(sample, (p) => p.drivingLicences.includes('B') && ageOf(p) < 18)).toBe(0);
    const withVehicle = sample.filter((p) => p.vehicle);
    expect(share(withVehicle, (p) => p.drivingLicences.includes('B'))).toBeGreaterThan(0.95);
  });

  it('category A for the majority, every category present', () => {
    expect(share(sample, (p) => p.category === 'A')).toBeGreaterThan(0.5);
    expect(new Set(sample.map((p) => p.category)).size).toBe(7);
  });

  it('some people without e-mail or phone, most with', () => {
    const noEmail = share(sample, (p) => p.sealed.contact.email === null);
    const noPhone = share(sample, (p) => p.sealed.contact.phone === null);
    expect(noEmail).toBeGreaterThan(0.04);
    expect(noEmail).toBeLessThan(0.15);
    expect(noPhone).toBeGreaterThan(0.02);
    expect(noPhone).toBeLessThan(0.1);
  });

  it('population-weighted residence: Paris and the Nord are big, every education level appears', () => {
    expect(share(sample, (p) => p.departement === '75')).toBeGreaterThan(0.02);
    expect(share(sample, (p) => p.departement === '59')).toBeGreaterThan(0.03);
    expect(share(sample, (p) => p.departement === '48')).toBeLessThan(0.003);
    expect(new Set(sample.map((p) => p.educationLevel)).size).toBe(7);
    expect(share(sample, (p) => p.sealed.nir.nir.slice(5, 7) === '99')).toBeGreaterThan(0.03);
  });

  it('keeps residents in the context département when asked', () => {
    const corsicans = generate('corse', 300, { ...ctx, departement: '2A' });
    expect(corsicans.every((p) => p.departement === '2A' && p.sealed.address.postalCode.startsWith('20'))).toBe(true);
    const parisians = generate('paris', 300, { ...ctx, departement: '75' });
    expect(new Set(parisians.map((p) => p.sealed.address.postalCode)).size).toBeGreaterThan(15);
  });
});
