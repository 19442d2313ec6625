/**
 * Blind indexes (index aveugles) allow exact lookups on sealed fields (find a person by NIR, e-mail,
 * phone or identifier; an account by login) without decrypting anything:
 * HMAC-SHA256(subkey(kind), normalised value), truncated to 16 bytes. Each kind has its own subkey,
 * derived by HKDF from the index root key when the keyring is built, so the same string indexed as
 * an e-mail and as a login gives unrelated values and columns cannot be joined with each other.
 *
 * Why 16 bytes: the index must never collide by accident (a lookup would return the wrong person).
 * With 128 bits, the chance of any collision among 40 million values is about n²/2^129 ≈ 2.4e-24.
 * It halves the storage of a full digest: 16 bytes × 40 M = 640 MB per indexed column before B-tree
 * overhead (four columns on people: ~2.6 GB instead of ~5.1 GB), and keeps the indexes in memory longer.
 * Truncation adds no privacy here: NIR and phone spaces are small enough to enumerate, so the
 * protection is the key, kept out of the database.
 *
 * Why the index key never rotates with the master key version: an index must be the same for every
 * row to be searchable. Master key rotation only re-wraps data keys, never touching plaintext;
 * changing the index key would mean decrypting every person to recompute their indexes (a mass
 * decryption) and querying old and new indexes during the change. If it is ever compromised, a
 * planned re-index under a new format replaces it, as an incident procedure.
 */
import { createHmac } from 'node:crypto';
import type { IndexKind, KeyringSource } from './internal/keyring.js';
import { indexSubkey } from './internal/keyring.js';
import { normaliseEmail, normaliseIdentifier, normaliseLogin, normaliseNir, normalisePhone } from './normalise.js';
import { indexValueInvalid } from './vault-errors.js';

export const BLIND_INDEX_BYTES = 16;

const normalisers: Readonly<Record<IndexKind, (value: string) => string | null>> = {
  identifier: normaliseIdentifier,
  email: normaliseEmail,
  phone: normalisePhone,
  nir: normaliseNir,
  login: normaliseLogin,
};

/** The normalised form the index of `kind` is computed over, or null if the value is unusable. */
export const normaliseFor = (kind: IndexKind, value: string): string | null => {
  const normalised = normalisers[kind](value);
  return normalised === null || normalised === '' ? null : normalised;
};

/** The 16-byte blind index of a value; AppError VAULT.INDEX_VALUE_INVALID (invalid) if unusable. */
export const blindIndex = (source: KeyringSource, kind: IndexKind, value: string): Buffer => {
  const normalised = normaliseFor(kind, value);
  if (normalised === null) throw indexValueInvalid(kind);
  const mac = createHmac('sha256', indexSubkey(source.keyring(), kind)).update(normalised, 'utf8').digest();
  return mac.subarray(0, BLIND_INDEX_BYTES);
};
