/**
 * Attributes of a synthetic job seeker kept in clear for filtering: education level, driving
 * licences, vehicle, ROME codes sought, registration category and status with its dates.
 */
import type { IsoDate } from '../../domain/dates.js';
import { addDays, addYears, toDayNumber } from '../../domain/dates.js';
import type { Category, DrivingLicence, EducationLevel, PersonStatus } from '../../domain/person.js';
import { DRIVING_LICENCES } from '../../domain/person.js';
import type { Rng, WeightedTable } from './rng.js';
import { weightedTable } from './rng.js';
import type { PopulationTables } from './tables.js';

/** Education level (niveau de formation) by age band: < 20, 20–24, 25–54, ≥ 55. */
const EDUCATION: readonly WeightedTable<EducationLevel>[] = [
  weightedTable<EducationLevel>([
    ['none', 30],
    ['3', 40],
    ['4', 30],
  ]),
  weightedTable<EducationLevel>([
    ['none', 14],
    ['3', 26],
    ['4', 34],
    ['5', 14],
    ['6', 10],
    ['7', 2],
  ]),
  weightedTable<EducationLevel>([
    ['none', 13],
    ['3', 26],
    ['4', 26],
    ['5', 14],
    ['6', 11],
    ['7', 9],
    ['8', 1],
  ]),
  weightedTable<EducationLevel>([
    ['none', 24],
    ['3', 36],
    ['4', 18],
    ['5', 10],
    ['6', 6],
    ['7', 5],
    ['8', 1],
  ]),
];

export function drawEducation(rng: Rng, age: number): EducationLevel {
  const band = age < 20 ? 0 : age < 25 ? 1 : age < 55 ? 2 : 3;
  return (EDUCATION[band] as WeightedTable<EducationLevel>).sample(rng);
}

/** Licence B for about 70 % of adults; a few heavy-vehicle (C, CE) and bus (D) licences, mostly men. */
export function drawLicences(rng: Rng, age: number, sex: 'M' | 'F'): DrivingLicence[] {
  const held = new Set<DrivingLicence>();
  const pB = age < 18 ? 0 : age < 20 ? 0.45 : age < 25 ? 0.65 : 0.78;
  if (rng.chance(pB)) {
    held.add('B');
    if (rng.chance(sex === 'M' ? 0.14 : 0.04)) held.add('A');
    if (rng.chance(0.04)) held.add('BE');
    if (rng.chance(sex === 'M' ? 0.08 : 0.012)) addHeavy(rng, held);
    if (rng.chance(sex === 'M' ? 0.015 : 0.008)) held.add(rng.chance(0.8) ? 'D' : 'D1');
  } else if (age < 26 && rng.chance(0.2)) {
    held.add('AM');
  }
  return DRIVING_LICENCES.filter((l) => held.has(l));
}

function addHeavy(rng: Rng, held: Set<DrivingLicence>): void {
  if (rng.chance(0.15)) {
    held.add('C1');
    return;
  }
  held.add('C');
  if (rng.chance(0.55)) held.add('CE');
}

export const drawVehicle = (rng: Rng, licences: readonly DrivingLicence[]): boolean =>
  rng.chance(licences.includes('B') ? 0.82 : 0.04);

/** One to three ROME codes; the second and third often in the same family (same letter and 2 digits). */
export function drawRomeCodes(rng: Rng, t: PopulationTables): string[] {
  const first = rng.chance(0.35) ? t.frequentRome.sample(rng) : rng.pick(t.allRome);
  const r = rng.next();
  const count = r < 0.5 ? 1 : r < 0.8 ? 2 : 3;
  const codes = [first];
  for (let attempt = 0; codes.length < count && attempt < 6; attempt++) {
    const code = rng.chance(0.5) ? sameFamily(rng, t, first) : rng.pick(t.allRome);
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

function sameFamily(rng: Rng, t: PopulationTables, code: string): string {
  const family = code.slice(0, 3);
  const i = t.romeIndex.get(code) ?? 0;
  const neighbour = t.allRome[i + (rng.chance(0.5) ? 1 : -1)];
  return neighbour !== undefined && neighbour.startsWith(family) ? neighbour : rng.pick(t.allRome);
}

const CATEGORIES = weightedTable<Category>([
  ['A', 55],
  ['B', 11],
  ['C', 20],
  ['D', 6],
  ['E', 5],
  ['F', 2],
  ['G', 1],
]);
export const drawCategory = (rng: Rng): Category => CATEGORIES.sample(rng);

export interface Registration {
  status: PersonStatus;
  registeredOn: IsoDate;
  struckOffOn: IsoDate | null;
}

/** Registered for a few months to eight years (median about a year), never before 16; 15 % struck off since. */
export function drawRegistration(rng: Rng, birthDate: IsoDate, today: IsoDate): Registration {
  const earliest = Math.max(toDayNumber(addYears(birthDate, 16)), toDayNumber(addYears(today, -8)));
  const maxDays = toDayNumber(today) - earliest;
  const days = Math.min(maxDays, Math.floor(-Math.log(1 - rng.next()) * 540));
  const registeredOn = addDays(today, -days);
  if (days < 1 || !rng.chance(0.15)) return { status: 'registered', registeredOn, struckOffOn: null };
  return { status: 'struck_off', registeredOn, struckOffOn: addDays(registeredOn, 1 + rng.below(days)) };
}
