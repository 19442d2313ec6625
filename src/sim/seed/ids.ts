/**
 * Identifiers of the seeded population, reproducible from the seed: UUIDs drawn from a seeded
 * generator, and France Travail identifiers that are unique by construction.
 *
 * The generator draws identifiers at random (7 digits + 1 letter: 260 million values); among a
 * million people that gives about 1,900 duplicate pairs, which the unique blind index refuses. The
 * seed therefore replaces each identifier by a keyed permutation of the person's index (a Feistel
 * network on 28 bits, cycle-walked into the 260-million domain): distinct people get distinct
 * identifiers, still scattered at random, and any chunk can compute its own without coordination.
 */
import type { Rng } from '../population/rng.js';
import { createRng } from '../population/rng.js';

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** A version-4 UUID drawn from the generator. */
export function uuidFrom(rng: Rng): string {
  const hex = hex8(rng.nextUint32()) + hex8(rng.nextUint32()) + hex8(rng.nextUint32()) + hex8(rng.nextUint32());
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS_SPACE = 10_000_000;
/** Number of distinct identifiers: 7 digits times 26 letters. */
export const IDENTIFIER_SPACE = DIGITS_SPACE * LETTERS.length;
const HALF_BITS = 14;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUNDS = 6;

/** A 14-bit round function: a few multiply-xorshift steps over the half and the round key. */
function round(half: number, key: number): number {
  let h = Math.imul(half ^ key, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  return h & HALF_MASK;
}

function feistel(x: number, keys: readonly number[]): number {
  let left = x >>> HALF_BITS;
  let right = x & HALF_MASK;
  for (const key of keys) {
    const next = left ^ round(right, key);
    left = right;
    right = next;
  }
  return (left << HALF_BITS) | right;
}

/** A bijection of [0, IDENTIFIER_SPACE) keyed by the seed, as a function of the person's index. */
export function identifierOfIndex(seed: string): (index: number) => string {
  const rng = createRng(`${seed}/identifiers`);
  const keys = Array.from({ length: ROUNDS }, () => rng.nextUint32());
  return (index) => {
    if (!Number.isInteger(index) || index < 0 || index >= IDENTIFIER_SPACE)
      throw new RangeError(`identifier index ${index}`);
    let x = index;
    do x = feistel(x, keys);
    while (x >= IDENTIFIER_SPACE);
    return String(x % DIGITS_SPACE).padStart(7, '0') + LETTERS.charAt(Math.floor(x / DIGITS_SPACE));
  };
}
