/**
 * France Travail identifier (identifiant France Travail): 7 digits followed by an upper-case letter,
 * drawn at random so that it reveals neither an order of registration nor a neighbour's number.
 * Uniqueness is the store's job (unique index, draw again on collision): at 40 million people the
 * space of 260 million values makes collisions frequent, never silent.
 */
import type { AppError } from './errors.js';
import { invalid } from './errors.js';
import type { RandomSource } from './random.js';
import { randomBelow } from './random.js';

const IDENTIFIER_RE = /^\d{7}[A-Z]$/;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Accepts surrounding spaces, inner spaces and a lower-case letter; returns the canonical form. */
export function parseIdentifier(input: string): string | AppError {
  const id = input.replace(/\s/g, '').toUpperCase();
  if (IDENTIFIER_RE.test(id)) return id;
  return invalid(
    'IDENTIFIER.INVALID',
    'L’identifiant France Travail comporte 7 chiffres suivis d’une lettre majuscule (par exemple 1234567A).',
  );
}

export const isIdentifier = (input: string): boolean => IDENTIFIER_RE.test(input);

/** A fresh random identifier; pass a cryptographic source in production. */
export function newIdentifier(random: RandomSource): string {
  const digits = String(randomBelow(random, 10_000_000)).padStart(7, '0');
  return digits + LETTERS.charAt(randomBelow(random, LETTERS.length));
}
