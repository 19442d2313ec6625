/**
 * The verification code of a notice: ten characters of Crockford's base32 (50 bits), derived from
 * the notice id under a vault service key, so that it is never stored: the database keeps only a
 * keyed hash to look it up (a stolen table cannot be searched offline for codes, and a guessed code
 * has one chance in 2^50 per notice). Shown as two groups of five: « 7K2QM-XP9D4 ».
 */
import type { KeyringSource } from '../vault/keyring.js';
import { serviceHash } from '../vault/service-keys.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford: no I, L, O, U
export const CODE_LENGTH = 10;

/** The notice's code, formatted for reading. */
export function verificationCodeOf(keys: KeyringSource, noticeId: string): string {
  const bytes = serviceHash(keys, 'notice-code', 'code', noticeId);
  let bits = 0n;
  for (let i = 0; i < 7; i++) bits = (bits << 8n) | BigInt(bytes[i]!);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A code as someone typed it: case, spaces and dashes ignored, O read as 0 and I or L as 1; null if it cannot be one. */
export function normaliseCode(typed: string): string | null {
  const c = typed
    .toUpperCase()
    .replace(/[\s\u00a0\u202f-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (c.length !== CODE_LENGTH) return null;
  for (const ch of c) if (!ALPHABET.includes(ch)) return null;
  return c;
}

/** What the notices table keeps of a code: a keyed hash (16 bytes) of its normalised form. */
export const codeLookupHash = (keys: KeyringSource, normalised: string): Buffer =>
  serviceHash(keys, 'notice-code', 'lookup', normalised).subarray(0, 16);
