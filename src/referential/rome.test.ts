import { describe, expect, it } from 'vitest';
import { allRomeAppellations, allRomeCodes, appellationsOf, isRomeCode, romeLabel, searchRome } from './rome.js';

describe('ROME v4.60', () => {
  it('holds 1,584 codes and 13,120 appellations', () => {
    expect(allRomeCodes()).toHaveLength(1584);
    expect(new Set(allRomeCodes()).size).toBe(1584);
    expect(allRomeAppellations()).toHaveLength(13120);
    expect(allRomeAppellations().every((a) => isRomeCode(a.romeCode))).toBe(true);
  });

  it('knows some labels', () => {
    expect(romeLabel('M1805')).toBe('Développeur / Développeuse informatique');
    expect(romeLabel('J1501')).toBe('Aide-soignant / Aide-soignante');
    expect(romeLabel('A1101')).toBe("Conducteur / Conductrice d'engins agricoles");
    expect(romeLabel('N1103')).toBe('Préparateur / Préparatrice de commandes');
    expect(romeLabel('Z9999')).toBeUndefined();
  });

  it('checks codes', () => {
    expect(isRomeCode('M1805')).toBe(true);
    expect(isRomeCode('m1805')).toBe(false);
    expect(isRomeCode('M18050')).toBe(false);
    expect(isRomeCode('M9999')).toBe(false);
  });

  it('lists the appellations of a code', () => {
    expect(appellationsOf('F1703').map((a) => a.label)).toContain('Maçon / Maçonne');
  });
});

describe('searchRome', () => {
  it('is accent- and case-insensitive and matches word starts', () => {
    const hits = searchRome('DEVELOPPEU informatique', 5);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.appellation.label.toLowerCase().includes('développeu'))).toBe(true);
    expect(hits.map((h) => h.romeCode)).toContain('M1805');
  });

  it('puts titles starting with the text first and respects the limit', () => {
    const hits = searchRome('maçon', 3);
    expect(hits).toHaveLength(3);
    expect(hits[0]?.appellation.label.startsWith('Maçon')).toBe(true);
    expect(hits[0]?.romeLabel).toBe(romeLabel(hits[0]?.romeCode ?? ''));
  });

  it('finds titles after an elided article', () => {
    expect(searchRome('engins agricoles', 20).map((h) => h.romeCode)).toContain('A1101');
  });

  it('returns the titles of a ROME code typed as such', () => {
    const hits = searchRome('m1805', 50);
    expect(hits.length).toBeGreaterThan(3);
    expect(hits.every((h) => h.romeCode === 'M1805')).toBe(true);
  });

  it('returns nothing for nothing', () => {
    expect(searchRome('   ')).toEqual([]);
    expect(searchRome('zzzzqqq')).toEqual([]);
  });
});
