/**
 * Identity of a synthetic person: surname (nom de naissance), usage name (nom d'usage, a spouse's
 * name for some married women), first names (prénoms) consistent with sex, generation and origin.
 */
import type { Civility } from '../../domain/person.js';
import type { NameOrigin } from './names.js';
import { SAME_ORIGIN_FIRST_NAME } from './names.js';
import type { Rng } from './rng.js';
import type { PopulationTables } from './tables.js';
import { cohortOf } from './tables.js';

export interface DrawnIdentity {
  civility: Civility;
  lastName: string;
  birthName: string;
  /** All first names in civil-status order, separated by ", " (e.g. "Julien, Pierre"). */
  firstNames: string;
  /** The first of them, the one people use. */
  usualFirstName: string;
  origin: NameOrigin;
}

/** Share of women using a spouse's name, by age (rough: marriage rate × share taking the name). */
function usesSpouseName(rng: Rng, age: number): boolean {
  const p = age < 25 ? 0.03 : age < 35 ? 0.22 : age < 50 ? 0.38 : 0.45;
  return rng.chance(p);
}

export function drawIdentity(
  rng: Rng,
  t: PopulationTables,
  sex: 'M' | 'F',
  birthYear: number,
  age: number,
): DrawnIdentity {
  const surname = t.surnames.sample(rng);
  const nameOrigin = rng.chance(SAME_ORIGIN_FIRST_NAME[surname.origin]) ? surname.origin : 'common';
  const firstNames = drawFirstNames(rng, t, sex, nameOrigin, birthYear);
  const married = sex === 'F' && usesSpouseName(rng, age);
  return {
    civility: sex === 'M' ? 'M' : 'MME',
    birthName: surname.name,
    lastName: married ? spouseName(rng, t, surname.name) : surname.name,
    firstNames: firstNames.join(', '),
    usualFirstName: firstNames[0] ?? '',
    origin: surname.origin,
  };
}

/** One to three distinct first names; older generations have more of them. */
function drawFirstNames(
  rng: Rng,
  t: PopulationTables,
  sex: 'M' | 'F',
  origin: NameOrigin,
  birthYear: number,
): string[] {
  const cohort = cohortOf(birthYear);
  const table = t.firstNames[sex][origin][cohort] ?? t.firstNames[sex].common[cohort];
  if (!table) throw new RangeError('no first-name table');
  const r = rng.next();
  const count = r < 0.35 ? 1 : r < (cohort === 0 ? 0.6 : 0.8) ? 2 : 3;
  const names: string[] = [];
  for (let attempt = 0; names.length < count && attempt < 10; attempt++) {
    const name = table.sample(rng);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** A spouse's surname, sometimes joined to the birth name (nom d'usage composé). */
function spouseName(rng: Rng, t: PopulationTables, birthName: string): string {
  let spouse = t.surnames.sample(rng).name;
  if (spouse === birthName) spouse = t.surnames.sample(rng).name;
  return rng.chance(0.08) ? `${spouse}-${birthName}` : spouse;
}
