import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import {
  allDepartements,
  arrondissementsOf,
  checkPostalCode,
  communeByInsee,
  communesOfPostalCode,
  departementOf,
  postalCodeWeights,
  residenceCommunes,
} from './communes.js';

describe('communes', () => {
  it('finds Paris and its 20 arrondissements', () => {
    const paris = communeByInsee('75056');
    expect(paris).toMatchObject({ name: 'Paris', departement: '75', kind: 'commune-actuelle' });
    expect(paris?.postalCodes).toContain('75116');
    const arrondissements = arrondissementsOf('75056');
    expect(arrondissements).toHaveLength(20);
    expect(communeByInsee('75101')).toMatchObject({
      kind: 'arrondissement-municipal',
      parentInsee: '75056',
      postalCodes: ['75001'],
    });
    expect(communesOfPostalCode('75001').map((c) => c.insee)).toEqual(['75056']);
  });

  it('finds Ajaccio in Corse-du-Sud', () => {
    expect(communeByInsee('2A004')).toMatchObject({ name: 'Ajaccio', departement: '2A' });
    expect(departementOf('2A004')).toBe('2A');
    expect(communesOfPostalCode('20000').map((c) => c.insee)).toContain('2A004');
  });

  it('finds overseas communes and lists every département', () => {
    expect(departementOf('97101')).toBe('971');
    expect(departementOf('99999')).toBeUndefined();
    const codes = allDepartements().map((d) => d.code);
    expect(codes).toHaveLength(new Set(codes).size);
    expect(codes).toEqual(expect.arrayContaining(['01', '2A', '2B', '75', '95', '971', '976']));
  });

  it('prefers the current commune over a delegated one with the same code', () => {
    expect(communeByInsee('01015')?.kind).toBe('commune-actuelle');
  });

  it('checks that a postal code serves a commune', () => {
    expect(checkPostalCode('2A004', '20090')).toBeNull();
    expect(checkPostalCode('75101', '75001')).toBeNull();
    const mismatch = checkPostalCode('75056', '13001');
    expect(isAppError(mismatch) && mismatch.code).toBe('COMMUNE.POSTAL_CODE_MISMATCH');
    expect(isAppError(mismatch) && mismatch.kind).toBe('invalid');
    const unknown = checkPostalCode('00000', '75001');
    expect(isAppError(unknown) && unknown.code).toBe('COMMUNE.UNKNOWN');
  });

  it('offers current, populated, served communes for sampling', () => {
    const residences = residenceCommunes();
    expect(residences.length).toBeGreaterThan(34_000);
    expect(residences.every((c) => c.kind === 'commune-actuelle' && c.population > 0 && c.postalCodes.length > 0)).toBe(
      true,
    );
    expect(residences.some((c) => c.departement === '988')).toBe(false);
    const population = residences.reduce((sum, c) => sum + c.population, 0);
    expect(population).toBeGreaterThan(65_000_000);
  });

  it('weights Paris postal codes by arrondissement population', () => {
    const weights = postalCodeWeights('75056');
    const w = (code: string): number => weights.find((x) => x.postalCode === code)?.weight ?? 0;
    expect(w('75015')).toBeGreaterThan(w('75001') * 5);
    expect(postalCodeWeights('2A004')).toHaveLength(3);
  });
});
