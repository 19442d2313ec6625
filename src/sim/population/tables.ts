/**
 * Sampling tables of the synthetic population, built once at first use from the referentials and
 * the name lists, then shared by every draw (building them costs ~100 ms; a draw costs nanoseconds).
 */
import type { Commune } from '../../referential/communes.js';
import { postalCodeWeights, residenceCommunes } from '../../referential/communes.js';
import { allRomeCodes, isRomeCode } from '../../referential/rome.js';
import type { FirstNameRow, NameOrigin } from './names.js';
import { FIRST_NAMES, NAME_ORIGINS, SURNAMES } from './names.js';
import type { Rng } from './rng.js';
import { WeightedTable, weightedTable } from './rng.js';

/** Birth cohorts of the first-name weights: < 1970, 1970–1984, 1985–1999, ≥ 2000. */
export type Cohort = 0 | 1 | 2 | 3;
export const cohortOf = (birthYear: number): Cohort =>
  birthYear < 1970 ? 0 : birthYear < 1985 ? 1 : birthYear < 2000 ? 2 : 3;

export interface Surname {
  name: string;
  origin: NameOrigin;
}

export interface PopulationTables {
  surnames: WeightedTable<Surname>;
  /** [sex][origin][cohort] */
  firstNames: Record<'M' | 'F', Record<NameOrigin, WeightedTable<string>[]>>;
  residences: WeightedTable<Commune>;
  residencesIn(departement: string): WeightedTable<Commune>;
  postalCodeOf(rng: Rng, commune: Commune): string;
  /** Codes sought most often by job seekers (frequent ROME codes), weighted. */
  frequentRome: WeightedTable<string>;
  allRome: readonly string[];
  /** Position of each code in allRome (sorted), to find neighbours in the same family. */
  romeIndex: ReadonlyMap<string, number>;
}

let built: PopulationTables | undefined;
export const populationTables = (): PopulationTables => (built ??= buildTables());

function buildTables(): PopulationTables {
  const residences = residenceCommunes();
  const byDepartement = groupByDepartement(residences);
  const departementTables = new Map<string, WeightedTable<Commune>>();
  const postalTables = new Map<string, WeightedTable<string>>();
  return {
    surnames: buildSurnames(),
    firstNames: { M: buildFirstNames('M'), F: buildFirstNames('F') },
    residences: communeTable(residences),
    residencesIn(departement) {
      const known = departementTables.get(departement);
      if (known) return known;
      const communes = byDepartement.get(departement);
      if (!communes) throw new RangeError(`no commune to live in for département ${departement}`);
      const table = communeTable(communes);
      departementTables.set(departement, table);
      return table;
    },
    postalCodeOf(rng, commune) {
      if (commune.postalCodes.length === 1) return commune.postalCodes[0] as string;
      let table = postalTables.get(commune.insee);
      if (!table) {
        table = weightedTable(postalCodeWeights(commune.insee).map((p) => [p.postalCode, p.weight] as const));
        postalTables.set(commune.insee, table);
      }
      return table.sample(rng);
    },
    frequentRome: weightedTable(FREQUENT_ROME.filter(([code]) => isRomeCode(code))),
    allRome: allRomeCodes(),
    romeIndex: new Map(allRomeCodes().map((code, i) => [code, i])),
  };
}

const communeTable = (communes: readonly Commune[]): WeightedTable<Commune> =>
  new WeightedTable(
    communes,
    communes.map((c) => c.population),
  );

function groupByDepartement(communes: readonly Commune[]): Map<string, Commune[]> {
  const groups = new Map<string, Commune[]>();
  for (const c of communes) {
    const group = groups.get(c.departement);
    if (group) group.push(c);
    else groups.set(c.departement, [c]);
  }
  return groups;
}

function buildSurnames(): WeightedTable<Surname> {
  const rows = NAME_ORIGINS.flatMap((origin) =>
    SURNAMES[origin].map(([name, weight]) => [{ name, origin }, weight] as const),
  );
  return weightedTable(rows);
}

function buildFirstNames(sex: 'M' | 'F'): Record<NameOrigin, WeightedTable<string>[]> {
  const byOrigin = {} as Record<NameOrigin, WeightedTable<string>[]>;
  for (const origin of NAME_ORIGINS) {
    const rows = FIRST_NAMES[sex][origin];
    byOrigin[origin] = ([0, 1, 2, 3] as const).map((cohort) => cohortTable(rows, cohort));
  }
  return byOrigin;
}

const cohortTable = (rows: readonly FirstNameRow[], cohort: Cohort): WeightedTable<string> =>
  new WeightedTable(
    rows.map((r) => r[0]),
    rows.map((r) => r[cohort + 1] as number),
  );

/**
 * Jobs most sought by job seekers (ROME v4.60), relative weights from general knowledge of France
 * Travail statistics: cleaning, logistics, retail, care, catering, building, administration.
 */
const FREQUENT_ROME: readonly (readonly [string, number])[] = [
  ['K2204', 10],
  ['N1103', 9],
  ['D1507', 6],
  ['M1607', 6],
  ['G1603', 5],
  ['K1303', 5],
  ['J1501', 5],
  ['K1304', 5],
  ['N4101', 4],
  ['D1106', 3],
  ['G1602', 4],
  ['F1703', 3],
  ['A1203', 4],
  ['N4105', 4],
  ['M1203', 3],
  ['I1203', 3],
  ['K1302', 5],
  ['D1505', 4],
  ['H3302', 3],
  ['D1214', 3],
  ['M1602', 5],
  ['K2111', 2],
  ['J1301', 4],
  ['M1805', 2],
  ['H2913', 2],
  ['K2202', 1],
  ['K1201', 1],
  ['H1502', 1],
];
