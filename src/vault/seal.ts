/**
 * The encrypt side, open to every module: sealing a person's groups needs no decryption right.
 * A sealed group is AES-256-GCM under the person's DEK with the layout
 * [format 1][nonce 12][ciphertext of the JSON value][tag 16], and the AAD
 * [format][personId length, u16][personId][group name], so a blob moved to another person or
 * another group (or column) fails to open with VAULT.INTEGRITY.
 */
import type { SealedGroup } from '../domain/fields.js';
import { SEALED_GROUP_NAMES } from '../domain/fields.js';
import type { SealedPersonFields } from '../domain/person.js';
import { aeadSeal } from './internal/aead.js';
import { personIdBytes } from './internal/data-key-wrap.js';
import type { KeyringSource } from './internal/keyring.js';
import { newDataKey } from './data-key.js';

export const SEAL_FORMAT = 1;

/** The AAD binding a sealed blob to its format, person and group. */
export const groupAad = (personId: string, group: SealedGroup): Buffer => {
  const id = personIdBytes(personId);
  const aad = Buffer.allocUnsafe(3 + id.length + group.length);
  aad[0] = SEAL_FORMAT;
  aad.writeUInt16BE(id.length, 1);
  id.copy(aad, 3);
  aad.write(group, 3 + id.length, 'latin1'); // group names are ASCII
  return aad;
};

/** Seals one group's value under the person's DEK. */
export const sealGroup = <G extends SealedGroup>(
  dek: Buffer,
  personId: string,
  group: G,
  value: SealedPersonFields[G],
): Buffer => aeadSeal(dek, SEAL_FORMAT, groupAad(personId, group), Buffer.from(JSON.stringify(value), 'utf8'));

export interface SealedPerson {
  keyVersion: number;
  wrappedKey: Buffer;
  groups: Record<SealedGroup, Buffer>;
}

/** Creates a person's DEK and seals every group with it; the DEK is zeroed before returning. */
export const sealPerson = (source: KeyringSource, personId: string, sealed: SealedPersonFields): SealedPerson => {
  const { dek, wrapped, keyVersion } = newDataKey(source, personId);
  try {
    const groups = {} as Record<SealedGroup, Buffer>;
    for (const group of SEALED_GROUP_NAMES) groups[group] = sealGroup(dek, personId, group, sealed[group]);
    return { keyVersion, wrappedKey: wrapped, groups };
  } finally {
    dek.fill(0);
  }
};
