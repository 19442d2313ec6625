/**
 * NIR (numéro d'inscription au répertoire, « numéro de sécurité sociale »): 13 characters and a
 * 2-digit key. Layout: sex (1), year (2), month (2), birth place (5: département + commune, or
 * 97x/98x + 2 digits overseas, or 99 + country code), order number (3), key (2).
 * The key is 97 − (number mod 97), where Corsica's 2A and 2B count as 19 and 18.
 */
import type { AppError } from './errors.js';
import { invalid } from './errors.js';
import type { IsoDate } from './dates.js';
import type { RandomSource } from './random.js';
import { randomBelow } from './random.js';

export type Sex = 'M' | 'F';

const NIR_CODE = 'NIR.INVALID';
const SHAPE_RE = /^\d{5}(?:\d{2}|2A|2B)\d{8}$/;
/** 1 man, 2 woman; 3/4 and 7/8 for provisional numbers (numéros provisoires, NIA). */
const SEX_DIGITS = new Set(['1', '2', '3', '4', '7', '8']);

/** Removes spaces, dots and dashes and upper-cases the Corsican letters. */
export const normaliseNir = (input: string): string => input.replace(/[\s.-]/g, '').toUpperCase();

/** The 13-character number (without key) as an integer-safe digit string (2A → 19, 2B → 18). */
const keyDigits = (number13: string): string => number13.replace('2A', '19').replace('2B', '18');

/**
 * The control key of a 13-character NIR. 13 digits fit exactly in a double (< 2^53), but the
 * computation is chunked anyway so that it never depends on that: (a·10^6 + b) mod 97.
 */
export function nirKey(number13: string): string {
  const digits = keyDigits(number13);
  const high = Number(digits.slice(0, 7)) % 97;
  const rest = (high * 1_000_000 + Number(digits.slice(7))) % 97;
  return String(97 - rest).padStart(2, '0');
}

type Check = readonly [reason: string, failed: (nir: string) => boolean, message: string];

function monthIsLegal(nir: string): boolean {
  const month = Number(nir.slice(3, 5));
  return (month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99);
}

function departementIsLegal(nir: string): boolean {
  const dep = nir.slice(5, 7);
  if (dep === '2A' || dep === '2B') return true;
  const n = Number(dep);
  if (n >= 1 && n <= 96) return true; // 20: Corsica before 1976; 96: former protectorates
  if (n === 97) return /^[1-8]$/.test(nir.charAt(7));
  if (n === 98) return /^[4-9]$/.test(nir.charAt(7));
  return n === 99;
}

const CHECKS: readonly Check[] = [
  ['length', (n) => n.length !== 15, 'Le NIR doit comporter 15 caractères : 13 pour le numéro et 2 pour la clé.'],
  [
    'characters',
    (n) => !SHAPE_RE.test(n),
    'Le NIR ne contient que des chiffres, sauf 2A ou 2B aux 6e et 7e caractères pour une naissance en Corse.',
  ],
  [
    'sex',
    (n) => !SEX_DIGITS.has(n.charAt(0)),
    'Le premier chiffre du NIR (sexe) doit être 1 ou 2, ou 3, 4, 7 ou 8 pour un numéro provisoire.',
  ],
  [
    'month',
    (n) => !monthIsLegal(n),
    'Le mois de naissance (4e et 5e chiffres) doit être compris entre 01 et 12, ou entre 20 et 42 ou 50 et 99 s’il est inconnu.',
  ],
  [
    'departement',
    (n) => !departementIsLegal(n),
    'Le lieu de naissance (6e et 7e caractères) est inconnu : 01 à 95, 2A, 2B, 96, 971 à 978 ou 984 à 989 pour l’outre-mer, 99 pour une naissance à l’étranger.',
  ],
  [
    'commune',
    (n) => n.slice(7, 10) === '000',
    'Le code de la commune ou du pays de naissance (8e à 10e chiffres) ne peut pas être 000.',
  ],
  ['order', (n) => n.slice(10, 13) === '000', 'Le numéro d’ordre (11e à 13e chiffres) ne peut pas être 000.'],
  [
    'key',
    (n) => nirKey(n.slice(0, 13)) !== n.slice(13),
    'La clé du NIR (2 derniers chiffres) ne correspond pas au numéro : vérifiez la saisie.',
  ],
];

/**
 * Validates a NIR typed by a person or read from a file. Returns the normalised 15 characters, or an
 * AppError `NIR.INVALID` whose French message says which part is wrong (details.reason names it).
 */
export function parseNir(input: string): string | AppError {
  const nir = normaliseNir(input);
  for (const [reason, failed, message] of CHECKS) {
    if (failed(nir)) return invalid(NIR_CODE, message, { reason });
  }
  return nir;
}

export const isValidNir = (input: string): boolean => typeof parseNir(input) === 'string';

export interface NirBirthFacts {
  sex: Sex;
  birthDate: IsoDate;
  /** INSEE code of the birth commune (e.g. 2A004, 97101), or 99 + country code for a birth abroad (99350). */
  communeInsee: string;
}

const INSEE_RE = /^(?:\d{5}|2[AB]\d{3})$/;

/** Birth place as written in a NIR: Corsica before 1976 was département 20. */
function birthPlace(communeInsee: string, birthYear: number): string {
  const corsican = communeInsee.startsWith('2A') || communeInsee.startsWith('2B');
  return corsican && birthYear < 1976 ? `20${communeInsee.slice(2)}` : communeInsee;
}

/** A valid NIR for synthetic people, with a random order number. Throws on a malformed commune code. */
export function generateNir(random: RandomSource, facts: NirBirthFacts): string {
  if (!INSEE_RE.test(facts.communeInsee)) throw invalid(NIR_CODE, 'Code commune de naissance invalide.');
  const year = Number(facts.birthDate.slice(0, 4));
  const order = String(randomBelow(random, 999) + 1).padStart(3, '0');
  const number13 = `${facts.sex === 'M' ? '1' : '2'}${facts.birthDate.slice(2, 4)}${facts.birthDate.slice(5, 7)}${birthPlace(facts.communeInsee, year)}${order}`;
  return number13 + nirKey(number13);
}
