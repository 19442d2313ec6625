/**
 * AES-256-GCM with the vault's compact layout: [format byte][nonce 12][ciphertext][tag 16].
 * Nonces are random (96 bits). Under a per-person data key a handful of blobs are ever sealed, and
 * under one master key each wrap of 40 million data keys (2^25.3) stays far below the 2^32
 * random-nonce limit of NIST SP 800-38D; a rotation starts a fresh key anyway.
 * Vault-internal: any failure to open becomes VAULT.INTEGRITY, without crypto detail.
 */
import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';
import { integrity } from '../vault-errors.js';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;
const ALGORITHM = 'aes-256-gcm';

export const aeadSeal = (key: KeyObject | Buffer, format: number, aad: Buffer, plaintext: Buffer): Buffer => {
  const out = Buffer.allocUnsafe(HEADER_BYTES + plaintext.length + TAG_BYTES);
  out[0] = format;
  randomFillSync(out, 1, NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, out.subarray(1, HEADER_BYTES), { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  cipher.update(plaintext).copy(out, HEADER_BYTES);
  cipher.final(); // GCM emits no trailing block
  cipher.getAuthTag().copy(out, HEADER_BYTES + plaintext.length);
  return out;
};

/** The plaintext of `blob`, or AppError VAULT.INTEGRITY (wrong format, key, AAD or any altered byte). */
export const aeadOpen = (key: KeyObject | Buffer, format: number, aad: Buffer, blob: Uint8Array): Buffer => {
  if (blob.length < HEADER_BYTES + TAG_BYTES || blob[0] !== format) throw integrity();
  const tagAt = blob.length - TAG_BYTES;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, blob.subarray(1, HEADER_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(blob.subarray(tagAt));
    const plaintext = decipher.update(blob.subarray(HEADER_BYTES, tagAt));
    decipher.final(); // throws when the tag does not match
    return plaintext;
  } catch {
    throw integrity();
  }
};
