/**
 * Passwords: argon2id with at least the OWASP minimum (19 MiB, 2 passes, 1 lane), a length policy
 * (CNIL: at least 12 characters when nothing else is required), a refusal of common and breached
 * passwords and of those containing the login or the organisation's name (passwords-common.ts,
 * NIST SP 800-63B § 3.1.1.2), and a verification that costs the
 * same whether or not the account exists (a dummy hash is verified for unknown logins).
 * The comparison inside argon2's verify is constant-time.
 */
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { AppError } from '../domain/errors.js';
import type { PasswordContext } from './passwords-common.js';
import { identityInPassword, isCommonPassword } from './passwords-common.js';

export type { PasswordContext } from './passwords-common.js';

export const PASSWORD_MIN_LENGTH = 12;
/** Beyond this the input is refused before hashing (a multi-megabyte "password" is a DoS, not a secret). */
export const PASSWORD_MAX_LENGTH = 256;

export const ARGON2_PARAMETERS = Object.freeze({
  type: argon2.argon2id,
  memoryCost: 19_456, // KiB
  timeCost: 2,
  parallelism: 1,
});

/** Number of characters as a person counts them (code points, not UTF-16 units). */
const lengthOf = (password: string): number => [...password].length;

const TOO_COMMON_MESSAGES = {
  common:
    'Ce mot de passe figure parmi les plus courants ou dans des fuites de données : choisissez-en un autre, par exemple une phrase de plusieurs mots.',
  login: 'Le mot de passe ne doit pas contenir votre identifiant de connexion.',
  organisation: 'Le mot de passe ne doit pas contenir le nom de votre organisation.',
} as const;

/** Throws PASSWORD.TOO_COMMON (400) for a common or breached password, or one containing the login or organisation name. */
function checkNotGuessable(password: string, context: PasswordContext): void {
  const reason = isCommonPassword(password) ? 'common' : identityInPassword(password, context);
  if (reason !== null) throw new AppError('PASSWORD.TOO_COMMON', 'invalid', TOO_COMMON_MESSAGES[reason], { reason });
}

/**
 * Throws PASSWORD.TOO_SHORT / PASSWORD.TOO_LONG / PASSWORD.TOO_COMMON (400) when a new password
 * breaks the policy; `context` names what it must not contain.
 */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): void {
  const length = lengthOf(password);
  if (length < PASSWORD_MIN_LENGTH) {
    throw new AppError(
      'PASSWORD.TOO_SHORT',
      'invalid',
      `Le mot de passe doit comporter au moins ${PASSWORD_MIN_LENGTH} caractères.`,
      { minLength: PASSWORD_MIN_LENGTH },
    );
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw new AppError(
      'PASSWORD.TOO_LONG',
      'invalid',
      `Le mot de passe ne peut pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`,
      { maxLength: PASSWORD_MAX_LENGTH },
    );
  }
  checkNotGuessable(password, context);
}

/** The argon2id encoded hash of a password that satisfies the policy. */
export async function hashPassword(password: string, context: PasswordContext = {}): Promise<string> {
  checkPasswordPolicy(password, context);
  return argon2.hash(password, ARGON2_PARAMETERS);
}

/** True if `password` matches `hash`. Never throws on a malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with weaker parameters than today's: rehash at next sign-in. */
export const needsRehash = (hash: string): boolean => argon2.needsRehash(hash, ARGON2_PARAMETERS);

let dummy: Promise<string> | undefined;

/** A hash of a random secret with today's parameters: what an unknown login's password is verified against. */
export const dummyHash = (): Promise<string> =>
  (dummy ??= argon2.hash(randomBytes(32).toString('base64url'), ARGON2_PARAMETERS));

/**
 * Verifies `password` against a hash of a random secret, with the same parameters as real hashes,
 * so that a sign-in attempt on an unknown login takes as long as one on a real account. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await dummyHash(), password);
  return false;
}

/** Rehashes a password already accepted at sign-in with today's parameters (no policy check: it predates it). */
export const rehashPassword = (password: string): Promise<string> => argon2.hash(password, ARGON2_PARAMETERS);
