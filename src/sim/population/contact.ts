/**
 * Contact details of a synthetic person: an e-mail address derived from their names at a common
 * French provider, and a mobile number. Some people have neither, as in real files.
 * Synthetic people must never reach a real person: Vigie sends breach notifications and one-time
 * codes. Addresses use the providers' names under the reserved `.example` top-level domain
 * (RFC 2606), and mobile numbers the 06 39 98 block set aside for fiction.
 */
import type { Rng } from './rng.js';
import { weightedTable } from './rng.js';

const PROVIDERS = weightedTable<string>([
  ['gmail.example', 45],
  ['orange.example', 11],
  ['hotmail.example', 12],
  ['yahoo.example', 6],
  ['outlook.example', 6],
  ['laposte.example', 5],
  ['free.example', 5],
  ['sfr.example', 4],
  ['icloud.example', 3],
  ['wanadoo.example', 3],
  ['live.example', 2],
]);

const slugCache = new Map<string, string>();

/** "Jean-Pierre" → "jean-pierre", "Le Gall" → "legall", "Lévêque" → "leveque". */
function slug(name: string): string {
  let s = slugCache.get(name);
  if (s === undefined) {
    s = name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z-]/g, '');
    slugCache.set(name, s);
  }
  return s;
}

function localPart(rng: Rng, first: string, last: string, birthYear: number): string {
  const f = slug(first);
  const l = slug(last);
  const n = rng.below(8);
  if (n === 0) return `${f}${l}`;
  if (n === 1) return `${f.charAt(0)}.${l}`;
  if (n === 2) return `${l}.${f}`;
  if (n === 3) return `${f}.${l}${1 + rng.below(99)}`;
  if (n === 4) return `${f}${String(birthYear).slice(2)}`;
  if (n === 5) return `${f}_${l}`;
  return `${f}.${l}`;
}

export function drawEmail(rng: Rng, first: string, last: string, birthYear: number): string | null {
  if (rng.chance(0.09)) return null;
  return `${localPart(rng, first, last, birthYear)}@${PROVIDERS.sample(rng)}`;
}

/** A fictional French mobile number, 10 digits without spaces (fewer phones among the oldest). */
export function drawMobile(rng: Rng, birthYear: number): string | null {
  if (rng.chance(birthYear < 1965 ? 0.1 : 0.05)) return null;
  return FICTION_MOBILE_BLOCK + String(rng.below(10_000)).padStart(4, '0');
}
const FICTION_MOBILE_BLOCK = '063998';
