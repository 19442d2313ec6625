/**
 * A synthetic job seeker (demandeur d'emploi), realistic enough to exercise search, disclosure
 * budgets and breach scenarios: names, NIR, address and contact details are all consistent with
 * one another and with the official referentials. Deterministic for a given generator state.
 */
import type { IsoDate } from '../../domain/dates.js';
import { addYears, fromDayNumber, toDayNumber } from '../../domain/dates.js';
import { newIdentifier } from '../../domain/identifier.js';
import { generateNir } from '../../domain/nir.js';
import type { JobSeeker, SealedPersonFields } from '../../domain/person.js';
import {
  drawCategory,
  drawEducation,
  drawLicences,
  drawRegistration,
  drawRomeCodes,
  drawVehicle,
} from './attributes.js';
import { drawEmail, drawMobile } from './contact.js';
import { drawIdentity } from './identity.js';
import { drawBirthPlace, drawResidence } from './places.js';
import type { Rng } from './rng.js';
import { WeightedTable } from './rng.js';
import type { PopulationTables } from './tables.js';
import { populationTables } from './tables.js';

export interface PersonContext {
  /** Reference day for ages and registration dates (the simulation's "today"). */
  today: IsoDate;
  agencyId: string;
  adviserId: string | null;
  /** Restricts the residence to one département (e.g. the agency's); anywhere in France otherwise. */
  departement?: string;
}

export const MIN_AGE = 16;
export const MAX_AGE = 66;

/** Age weights of job seekers: few under 20, most between 25 and 50, fewer after 60. */
const AGES = new WeightedTable(
  Array.from({ length: MAX_AGE - MIN_AGE + 1 }, (_, i) => MIN_AGE + i),
  Array.from({ length: MAX_AGE - MIN_AGE + 1 }, (_, i) => ageWeight(MIN_AGE + i)),
);

function ageWeight(age: number): number {
  if (age < 18) return 0.3;
  if (age < 20) return 1.5;
  if (age < 25) return 2.5;
  if (age < 30) return 3.2;
  if (age < 50) return 3;
  if (age < 55) return 2.6;
  if (age < 60) return 2.4;
  return age < 63 ? 1.5 : 0.6;
}

const birthRanges = new Map<string, readonly [number, number]>();

/** Day numbers of the earliest and latest birth dates giving `age` completed years on `today`. */
function birthRange(age: number, today: IsoDate): readonly [number, number] {
  const key = `${today}/${age}`;
  let range = birthRanges.get(key);
  if (!range) {
    range = [toDayNumber(addYears(today, -age - 1)) + 1, toDayNumber(addYears(today, -age))];
    birthRanges.set(key, range);
  }
  return range;
}

/** A birth date giving exactly `age` completed years on `today`. */
function drawBirthDate(rng: Rng, age: number, today: IsoDate): IsoDate {
  const [earliest, latest] = birthRange(age, today);
  return fromDayNumber(earliest + rng.below(latest - earliest + 1));
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** Random (version 4) UUID drawn from the generator, so that ids are reproducible too. */
function uuid(rng: Rng): string {
  const hex = hex8(rng.nextUint32()) + hex8(rng.nextUint32()) + hex8(rng.nextUint32()) + hex8(rng.nextUint32());
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface Facts {
  sex: 'M' | 'F';
  age: number;
  birthDate: IsoDate;
  birthYear: number;
}

function drawFacts(rng: Rng, today: IsoDate): Facts {
  const sex = rng.chance(0.51) ? 'F' : 'M';
  const age = AGES.sample(rng);
  const birthDate = drawBirthDate(rng, age, today);
  return { sex, age, birthDate, birthYear: Number(birthDate.slice(0, 4)) };
}

function drawSealed(rng: Rng, t: PopulationTables, f: Facts, ctx: PersonContext): [SealedPersonFields, string] {
  const identity = drawIdentity(rng, t, f.sex, f.birthYear, f.age);
  const home = drawResidence(rng, t, ctx.departement);
  const birthPlace = drawBirthPlace(rng, t, identity.origin, f.birthYear, home.commune.departement);
  const { civility, lastName, birthName, firstNames } = identity;
  const sealed: SealedPersonFields = {
    identity: { identifier: newIdentifier(rng), civility, lastName, birthName, firstNames },
    birth: { birthDate: f.birthDate },
    nir: { nir: generateNir(rng, { sex: f.sex, birthDate: f.birthDate, communeInsee: birthPlace }) },
    address: {
      addressLine: home.addressLine,
      postalCode: home.postalCode,
      communeInsee: home.commune.insee,
      communeName: home.commune.name,
    },
    contact: {
      email: drawEmail(rng, identity.usualFirstName, lastName, f.birthYear),
      phone: drawMobile(rng, f.birthYear),
    },
  };
  return [sealed, home.commune.departement];
}

/** A synthetic job seeker; `rng` carries the determinism, `ctx` the day and the agency. */
export function generatePerson(rng: Rng, ctx: PersonContext): JobSeeker {
  const t = populationTables();
  const facts = drawFacts(rng, ctx.today);
  const id = uuid(rng);
  const [sealed, departement] = drawSealed(rng, t, facts, ctx);
  const licences = drawLicences(rng, facts.age, facts.sex);
  return {
    id,
    sealed,
    departement,
    educationLevel: drawEducation(rng, facts.age),
    drivingLicences: licences,
    vehicle: drawVehicle(rng, licences),
    romeCodes: drawRomeCodes(rng, t),
    category: drawCategory(rng),
    ...drawRegistration(rng, facts.birthDate, ctx.today),
    agencyId: ctx.agencyId,
    adviserId: ctx.adviserId,
  };
}
