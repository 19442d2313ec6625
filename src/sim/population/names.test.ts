import { describe, expect, it } from 'vitest';
import { FIRST_NAMES, NAME_ORIGINS, SURNAMES } from './names.js';

/** Letters French civil status accepts (circulaire du 23 juillet 2014), with space, hyphen and apostrophe. */
const CIVIL_STATUS_NAME = /^[A-Za-zàâäéèêëïîôöùûüÿçæœÀÂÄÉÈÊËÏÎÔÖÙÛÜŸÇÆŒ' -]+$/;

describe('name lists', () => {
  it('hold a few hundred first names per sex and surnames', () => {
    for (const sex of ['M', 'F'] as const) {
      const all = new Set(NAME_ORIGINS.flatMap((o) => FIRST_NAMES[sex][o].map((r) => r[0])));
      expect(all.size).toBeGreaterThan(250);
    }
    expect(NAME_ORIGINS.flatMap((o) => SURNAMES[o]).length).toBeGreaterThan(350);
  });

  it('have no duplicates within a list, valid spellings and usable weights', () => {
    for (const origin of NAME_ORIGINS) {
      for (const rows of [FIRST_NAMES.M[origin], FIRST_NAMES.F[origin]]) {
        expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
        for (const [name, ...weights] of rows) {
          expect(name).toMatch(CIVIL_STATUS_NAME);
          expect(weights.every((w) => w >= 0)).toBe(true);
        }
        for (const cohort of [1, 2, 3, 4] as const) expect(rows.some((r) => r[cohort] > 0)).toBe(true);
      }
      for (const [name, weight] of SURNAMES[origin]) {
        expect(name).toMatch(CIVIL_STATUS_NAME);
        expect(weight).toBeGreaterThan(0);
      }
    }
    const surnames = NAME_ORIGINS.flatMap((o) => SURNAMES[o].map((r) => r[0]));
    expect(new Set(surnames).size).toBe(surnames.length);
  });
});
