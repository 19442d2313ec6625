/**
 * Wrapping of per-person data keys (DEK) under a master key (KEK): AES-256-GCM whose AAD binds the
 * person id and the master key version, so a wrapped key copied onto another person's row, or
 * relabelled with another version, does not open. Vault-internal: the unwrapped DEK must never
 * leave src/vault/ (open.ts uses it and forgets it; rewrapDataKey re-wraps it at once).
 */
import type { Keyring } from './keyring.js';
import { masterKey } from './keyring.js';
import { aeadOpen, aeadSeal } from './aead.js';
import { integrity, personIdInvalid } from '../vault-errors.js';

export const DEK_BYTES = 32;
export const WRAP_FORMAT = 1;
const WRAP_LABEL = Buffer.from('vigie/dek/v1\0', 'utf8');
export const MAX_PERSON_ID_BYTES = 255;

/** The person id as bytes, or VAULT.PERSON_ID_INVALID if empty or longer than 255 bytes. */
export const personIdBytes = (personId: string): Buffer => {
  const bytes = Buffer.from(personId, 'utf8');
  if (bytes.length === 0 || bytes.length > MAX_PERSON_ID_BYTES) throw personIdInvalid();
  return bytes;
};

const wrapAad = (personId: string, version: number): Buffer => {
  const id = personIdBytes(personId);
  const aad = Buffer.allocUnsafe(WRAP_LABEL.length + 4 + id.length);
  WRAP_LABEL.copy(aad, 0);
  aad.writeUInt32BE(version, WRAP_LABEL.length);
  id.copy(aad, WRAP_LABEL.length + 4);
  return aad;
};

export const wrapDek = (ring: Keyring, personId: string, dek: Buffer, version: number): Buffer =>
  aeadSeal(masterKey(ring, version), WRAP_FORMAT, wrapAad(personId, version), dek);

export const unwrapDek = (ring: Keyring, personId: string, wrapped: Uint8Array, version: number): Buffer => {
  const dek = aeadOpen(masterKey(ring, version), WRAP_FORMAT, wrapAad(personId, version), wrapped);
  if (dek.length !== DEK_BYTES) throw integrity();
  return dek;
};
