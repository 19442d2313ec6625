/**
 * Synthetic identities for canaries: plausible French names, a valid NIR, a commune of the right
 * département, and a contact e-mail unique to the canary (a short random tag), so that the e-mail
 * alone, found in a leak, names the canary and so its source. Never a real person's data.
 */
import { randomBytes } from 'node:crypto';
import { addYears } from '../domain/dates.js';
import { newIdentifier } from '../domain/identifier.js';
import { generateNir } from '../domain/nir.js';
import type { JobSeeker, SealedPersonFields } from '../domain/person.js';
import type { RandomSource } from '../domain/random.js';
import { randomBelow } from '../domain/random.js';
import { residenceCommunes } from '../referential/communes.js';

export const cryptoRandom: RandomSource = { nextUint32: () => randomBytes(4).readUInt32BE(0) };

const WOMEN = [
  'Camille',
  'Léa',
  'Manon',
  'Chloé',
  'Inès',
  'Emma',
  'Jade',
  'Louise',
  'Sarah',
  'Julie',
  'Nadia',
  'Océane',
];
const MEN = [
  'Lucas',
  'Hugo',
  'Nathan',
  'Théo',
  'Jules',
  'Gabriel',
  'Raphaël',
  'Karim',
  'Thomas',
  'Maxime',
  'Yanis',
  'Antoine',
];
const SURNAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'Fontaine',
  'Rousseau',
  'Benali',
  'Mercier',
  'Blanc',
];
const STREETS = [
  'rue de la République',
  'avenue Jean Jaurès',
  'rue Victor Hugo',
  'rue Pasteur',
  'boulevard Gambetta',
  'rue des Écoles',
  'allée des Tilleuls',
  'rue du Moulin',
];
const MAIL_DOMAINS = ['orange.fr', 'laposte.net', 'free.fr', 'gmail.com', 'sfr.fr', 'outlook.fr'];
const TAG_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const pick = <T>(random: RandomSource, items: readonly T[]): T => items[randomBelow(random, items.length)] as T;

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function communeIn(random: RandomSource, departement: string) {
  const all = residenceCommunes();
  const local = all.filter((c) => c.departement === departement);
  return pick(random, local.length > 0 ? local : all);
}

function contact(random: RandomSource, first: string, last: string): SealedPersonFields['contact'] {
  const tag = Array.from({ length: 5 }, () => pick(random, [...TAG_ALPHABET])).join('');
  const phone = `+336${String(randomBelow(random, 100_000_000)).padStart(8, '0')}`;
  return { email: `${ascii(first)}.${ascii(last)}.${tag}@${pick(random, MAIL_DOMAINS)}`, phone };
}

export interface CanaryPersonInput {
  readonly id: string;
  readonly agencyId: string;
  readonly departement: string;
  readonly romeCodes: readonly string[];
  readonly today: string;
}

/** A synthetic job seeker, registered, adult, living in `departement`. */
export function canaryPerson(random: RandomSource, input: CanaryPersonInput): JobSeeker {
  const woman = randomBelow(random, 2) === 0;
  const first = pick(random, woman ? WOMEN : MEN);
  const last = pick(random, SURNAMES);
  const commune = communeIn(random, input.departement);
  const birthDate =
    addYears(input.today, -(20 + randomBelow(random, 35))).slice(0, 8) +
    String(1 + randomBelow(random, 28)).padStart(2, '0');
  return {
    id: input.id,
    sealed: {
      identity: {
        identifier: newIdentifier(random),
        civility: woman ? 'MME' : 'M',
        lastName: last,
        birthName: last,
        firstNames: first,
      },
      birth: { birthDate },
      nir: { nir: generateNir(random, { sex: woman ? 'F' : 'M', birthDate, communeInsee: commune.insee }) },
      address: {
        addressLine: `${1 + randomBelow(random, 120)} ${pick(random, STREETS)}`,
        postalCode: commune.postalCodes[0] ?? '00000',
        communeInsee: commune.insee,
        communeName: commune.name,
      },
      contact: contact(random, first, last),
    },
    departement: commune.departement,
    educationLevel: pick(random, ['3', '4', '5'] as const),
    drivingLicences: randomBelow(random, 3) === 0 ? [] : ['B'],
    vehicle: randomBelow(random, 2) === 0,
    romeCodes: [...input.romeCodes],
    category: 'A',
    status: 'registered',
    registeredOn: addYears(input.today, -1),
    struckOffOn: null,
    agencyId: input.agencyId,
    adviserId: null,
  };
}
