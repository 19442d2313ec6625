/**
 * The decrypt side: the ONLY place in Vigie that turns sealed personal data back into clear text.
 * Its importers are restricted to src/disclosure/ (the gate, which records every disclosure in the
 * same transaction) and src/respond/ (incident handling); a dependency rule enforces it.
 *
 * Erasure needs nothing here: the storage layer destroys the person's wrapped data key
 * (`wrapped_key = null`), after which openGroups throws VAULT.ERASED and the sealed blobs left in
 * the row, replicas or backups cannot be opened by anyone, with any key (crypto-shredding).
 */
import type { SealedGroup } from '../domain/fields.js';
import { SEALED_GROUP_NAMES } from '../domain/fields.js';
import type { SealedPersonFields } from '../domain/person.js';
import { aeadOpen } from './internal/aead.js';
import { unwrapDek } from './internal/data-key-wrap.js';
import type { KeyringSource } from './internal/keyring.js';
import { groupAad, SEAL_FORMAT } from './seal.js';
import { erased, integrity } from './vault-errors.js';

/** The key columns of a person row. `wrappedKey` is null once the person is erased. */
export interface PersonKey {
  id: string;
  keyVersion: number;
  wrappedKey: Uint8Array | null;
}

export type SealedBlobs<G extends SealedGroup> = { readonly [K in G]?: Uint8Array | null };
export type OpenedGroups<G extends SealedGroup> = { [K in G]?: SealedPersonFields[K] };

const parseGroup = (plaintext: Buffer): unknown => {
  try {
    return JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw integrity();
  } finally {
    plaintext.fill(0);
  }
};

/**
 * Decrypts the groups passed (and only those; absent or null blobs are skipped), unwrapping the
 * person's DEK once. Throws VAULT.ERASED for an erased person, VAULT.INTEGRITY for any altered or
 * misplaced blob or key, VAULT.KEY_VERSION_UNKNOWN if the key file (even re-read) lacks the version.
 */
export const openGroups = <G extends SealedGroup>(
  source: KeyringSource,
  person: PersonKey,
  sealedByGroup: SealedBlobs<G>,
): OpenedGroups<G> => {
  if (person.wrappedKey === null) throw erased();
  const ring = source.keyringWith(person.keyVersion);
  const dek = unwrapDek(ring, person.id, person.wrappedKey, person.keyVersion);
  const blobs: Partial<Record<SealedGroup, Uint8Array | null>> = sealedByGroup;
  const opened: Partial<Record<SealedGroup, unknown>> = {};
  try {
    for (const group of SEALED_GROUP_NAMES) {
      const blob = blobs[group];
      if (blob == null) continue;
      opened[group] = parseGroup(aeadOpen(dek, SEAL_FORMAT, groupAad(person.id, group), blob));
    }
  } finally {
    dek.fill(0);
  }
  return opened as OpenedGroups<G>;
};
