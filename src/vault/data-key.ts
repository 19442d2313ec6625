/**
 * Per-person data keys (clé de données). Each person's sealed groups are encrypted under their own
 * random 256-bit DEK; the row stores only the DEK wrapped under a versioned master key.
 * Erasure (effacement) is destroying that wrapped key: the storage layer sets `wrapped_key` to null
 * and every sealed blob of the person becomes noise, with no re-encryption and nothing to find and
 * delete (copies of the old row in backups fall once their master key version is retired).
 */
import { randomBytes } from 'node:crypto';
import type { KeyringSource } from './internal/keyring.js';
import { DEK_BYTES, unwrapDek, wrapDek } from './internal/data-key-wrap.js';

export interface NewDataKey {
  /** The clear data key: seal with it, then forget it (`dek.fill(0)`). Never store or log it. */
  dek: Buffer;
  /** The DEK wrapped under master key `keyVersion`: store it in the person row. */
  wrapped: Buffer;
  keyVersion: number;
}

/** A fresh random DEK for `personId`, wrapped under the current master key. */
export const newDataKey = (source: KeyringSource, personId: string): NewDataKey => {
  const ring = source.keyring();
  const dek = randomBytes(DEK_BYTES);
  return { dek, wrapped: wrapDek(ring, personId, dek, ring.current), keyVersion: ring.current };
};

/**
 * Re-wraps a person's DEK from master key `fromVersion` to the current one (key rotation); the DEK
 * never reaches the caller and the sealed groups are not touched. Throws VAULT.INTEGRITY if the
 * wrapped key does not belong to this person and version.
 */
export const rewrapDataKey = (
  source: KeyringSource,
  personId: string,
  wrapped: Uint8Array,
  fromVersion: number,
): { wrapped: Buffer; keyVersion: number } => {
  const ring = source.keyringWith(fromVersion);
  const dek = unwrapDek(ring, personId, wrapped, fromVersion);
  try {
    return { wrapped: wrapDek(ring, personId, dek, ring.current), keyVersion: ring.current };
  } finally {
    dek.fill(0);
  }
};
