/**
 * Re-sealing under a person's existing data key: new values for some groups (a job seeker changes
 * their e-mail or address). The DEK is unwrapped inside the vault, used to seal, and zeroed; it never
 * reaches the caller, and nothing old is decrypted.
 */
import type { SealedGroup } from '../domain/fields.js';
import type { SealedPersonFields } from '../domain/person.js';
import { unwrapDek } from './internal/data-key-wrap.js';
import type { KeyringSource } from './internal/keyring.js';
import { sealGroup } from './seal.js';
import { erased } from './vault-errors.js';

export interface ResealTarget {
  readonly id: string;
  readonly keyVersion: number;
  readonly wrappedKey: Uint8Array | null;
}

export type GroupValues = { readonly [G in SealedGroup]?: SealedPersonFields[G] };

export interface Resealed {
  readonly keyVersion: number;
  readonly wrappedKey: Buffer;
  readonly groups: Partial<Record<SealedGroup, Buffer>>;
}

/** Seals `values` under the person's own DEK; the key columns are returned unchanged. */
export async function resealGroups(
  source: KeyringSource,
  person: ResealTarget,
  values: GroupValues,
): Promise<Resealed> {
  if (person.wrappedKey === null) throw erased();
  const dek = unwrapDek(source.keyringWith(person.keyVersion), person.id, person.wrappedKey, person.keyVersion);
  try {
    const groups: Partial<Record<SealedGroup, Buffer>> = {};
    for (const [group, value] of Object.entries(values) as Array<[SealedGroup, SealedPersonFields[SealedGroup]]>) {
      groups[group] = sealGroup(dek, person.id, group, value as never);
    }
    return { keyVersion: person.keyVersion, wrappedKey: Buffer.from(person.wrappedKey), groups };
  } finally {
    dek.fill(0);
  }
}
