/**
 * Throughput of the vault's hot paths, in-process, for capacity planning (the disclosure gate needs
 * 20,000 person-reads/s: one DEK unwrap and 1–3 group decrypts each). Returns figures, prints
 * nothing: bench/vault.ts prints them. Decrypted values are discarded.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SealedPersonFields } from '../domain/person.js';
import { blindIndex } from './blind-index.js';
import { INDEX_KINDS, newKeyDocument, parseKeyring, serializeKeyDocument } from './keyring.js';
import { openGroups } from './open.js';
import { sealPerson, type SealedPerson } from './seal.js';

export interface VaultBench {
  /** openGroups per second on identity + birth + contact (one unwrap, three group decrypts). */
  open_per_s: number;
  /** sealPerson per second (new DEK, one wrap, five group seals). */
  seal_person_per_s: number;
  /** blindIndex per second, cycling over the five kinds. */
  blind_index_per_s: number;
}

const synthetic = (n: number): SealedPersonFields => ({
  identity: {
    identifier: `${String(1000000 + n)}K`,
    civility: 'M',
    lastName: 'Durand',
    birthName: 'Durand',
    firstNames: 'Jean Pierre',
  },
  birth: { birthDate: '1984-06-30' },
  nir: { nir: '184067511234599' },
  address: {
    addressLine: `${n % 200} avenue de la République`,
    postalCode: '69003',
    communeInsee: '69383',
    communeName: 'Lyon 3e',
  },
  contact: { email: `jean.durand.${n}@example.fr`, phone: '+33612345678' },
});

const perSecond = (count: number, run: () => void): number => {
  const start = performance.now();
  run();
  return Math.round((count * 1000) / (performance.now() - start));
};

export const benchVault = ({ people = 2000, rounds = 10 }: { people?: number; rounds?: number } = {}): VaultBench => {
  const ring = parseKeyring(serializeKeyDocument(newKeyDocument()));
  const ids = Array.from({ length: people }, () => randomUUID());
  const rows: SealedPerson[] = [];
  const seal_person_per_s = perSecond(people, () => {
    for (let i = 0; i < people; i++) rows.push(sealPerson(ring, ids[i] ?? '', synthetic(i)));
  });
  let opened = 0;
  const open_per_s = perSecond(people * rounds, () => {
    for (let r = 0; r < rounds; r++)
      rows.forEach((row, i) => {
        const { identity, birth, contact } = row.groups;
        const person = { id: ids[i] ?? '', keyVersion: row.keyVersion, wrappedKey: row.wrappedKey };
        if (openGroups(ring, person, { identity, birth, contact }).identity) opened++;
      });
  });
  if (opened !== people * rounds) throw new Error('bench: a person did not open');
  const blind_index_per_s = perSecond(people * rounds, () => {
    for (let i = 0; i < people * rounds; i++)
      blindIndex(ring, INDEX_KINDS[i % 5] ?? 'email', `0612${String(i).padStart(6, '0')}`);
  });
  return { open_per_s, seal_person_per_s, blind_index_per_s };
};
