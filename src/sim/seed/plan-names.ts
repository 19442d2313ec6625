/**
 * Names of the seeded organisations and staff. Staff are people too, but not job seekers: their
 * names and professional e-mails are stored in clear on their accounts. Addresses use the reserved
 * `.example` top-level domain (RFC 2606), so a demo can never mail a real person.
 */
import type { Commune } from '../../referential/communes.js';
import type { Rng } from '../population/rng.js';
import { populationTables } from '../population/tables.js';

/** "Jean-Pierre" → "jean-pierre", "Le Gall" → "le-gall", "Saint-Étienne" → "saint-etienne". */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A staff member's name, drawn from the same tables as job seekers (born 1965–1999). */
export function drawStaffName(rng: Rng): { first: string; last: string } {
  const t = populationTables();
  const sex = rng.chance(0.6) ? 'F' : 'M';
  const cohort = rng.pick([1, 2, 2] as const);
  const first = t.firstNames[sex].common[cohort]?.sample(rng) ?? 'Camille';
  return { first, last: t.surnames.sample(rng).name };
}

/** Hands out e-mail addresses, numbering the second "claire.martin" and the following ones. */
export class EmailRegistry {
  readonly #taken = new Set<string>();

  claim(first: string, last: string, domain: string): string {
    const base = `${slug(first)}.${slug(last)}`;
    for (let n = 1; ; n++) {
      const email = `${base}${n === 1 ? '' : String(n)}@${domain}`;
      if (!this.#taken.has(email)) {
        this.#taken.add(email);
        return email;
      }
    }
  }
}

const TRAINING_NAMES = [
  'Institut de formation professionnelle',
  'Centre de formation des métiers',
  'Compétences Avenir',
  'École des métiers',
  'Atelier Formation',
  'Cap Compétences',
] as const;

const EMPLOYER_TRADES = [
  'Boulangerie',
  'Transports',
  'Garage',
  'Nettoyage',
  'Logistique',
  'Bâtiment',
  'Restaurant',
  'Pharmacie',
  'Menuiserie',
  'Services à domicile',
] as const;

export const agencyName = (site: Commune): string => `Agence France Travail ${site.name}`;

export const trainingName = (rng: Rng, site: Commune): string => `${rng.pick(TRAINING_NAMES)} – ${site.name}`;

export const missionLocaleName = (site: Commune): string => `Mission locale ${site.name}`;

export const capEmploiName = (site: Commune, departementName: string): string =>
  `Cap emploi ${departementName} – ${site.name}`;

export const employerName = (rng: Rng, site: Commune): string =>
  `${rng.pick(EMPLOYER_TRADES)} ${populationTables().surnames.sample(rng).name} – ${site.name}`;

/** A SIRET (14 digits) whose Luhn checksum is valid, as INSEE issues them. */
export function drawSiret(rng: Rng): string {
  const digits = Array.from({ length: 13 }, () => rng.below(10));
  const sum = digits.reduce((acc, d, i) => {
    const position = 13 - i; // from the right, the check digit being position 0
    const doubled = position % 2 === 1 ? d * 2 : d;
    return acc + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return digits.join('') + String((10 - (sum % 10)) % 10);
}
