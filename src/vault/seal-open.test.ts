import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import type { SealedPersonFields } from '../domain/person.js';
import { newDataKey, rewrapDataKey } from './data-key.js';
import { newKeyDocument, parseKeyring, serializeKeyDocument } from './keyring.js';
import { openGroups } from './open.js';
import { sealGroup, sealPerson } from './seal.js';

const ring = parseKeyring(serializeKeyDocument(newKeyDocument()));

const samplePerson = (): SealedPersonFields => ({
  identity: {
    identifier: '1234567A',
    civility: 'MME',
    lastName: 'Lefèvre',
    birthName: 'Nguyễn',
    firstNames: 'Anaïs Marie',
  },
  birth: { birthDate: '1987-03-14' },
  nir: { nir: '287037511234567' },
  address: { addressLine: '12 rue des Lilas', postalCode: '75020', communeInsee: '75120', communeName: 'Paris 20e' },
  contact: { email: 'anais.lefevre@example.fr', phone: null },
});

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return undefined;
};

describe('seal and open', () => {
  it('round-trips every group of a person', () => {
    const id = randomUUID();
    const fields = samplePerson();
    const sealed = sealPerson(ring, id, fields);
    const opened = openGroups(
      ring,
      { id, keyVersion: sealed.keyVersion, wrappedKey: sealed.wrappedKey },
      sealed.groups,
    );
    expect(opened).toEqual(fields);
  });

  it('decrypts only the groups passed, skipping null blobs', () => {
    const id = randomUUID();
    const sealed = sealPerson(ring, id, samplePerson());
    const person = { id, keyVersion: sealed.keyVersion, wrappedKey: sealed.wrappedKey };
    const opened = openGroups(ring, person, { contact: sealed.groups.contact, nir: null });
    expect(Object.keys(opened)).toEqual(['contact']);
    expect(opened.contact?.email).toBe('anais.lefevre@example.fr');
  });

  it('uses the compact layout with a fresh nonce each time', () => {
    const { dek } = newDataKey(ring, 'p1');
    const a = sealGroup(dek, 'p1', 'birth', { birthDate: '1987-03-14' });
    const b = sealGroup(dek, 'p1', 'birth', { birthDate: '1987-03-14' });
    const json = Buffer.byteLength(JSON.stringify({ birthDate: '1987-03-14' }));
    expect(a.length).toBe(1 + 12 + json + 16);
    expect(a[0]).toBe(1);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('1987');
  });

  it('refuses a blob moved to another person or another group', () => {
    const aliceId = randomUUID();
    const aliceSealed = sealPerson(ring, aliceId, samplePerson());
    const bobId = randomUUID();
    const bob = sealPerson(ring, bobId, samplePerson());
    const bobKey = { id: bobId, keyVersion: bob.keyVersion, wrappedKey: bob.wrappedKey };
    const aliceKey = { id: aliceId, keyVersion: aliceSealed.keyVersion, wrappedKey: aliceSealed.wrappedKey };
    expect(codeOf(() => openGroups(ring, bobKey, { identity: aliceSealed.groups.identity }))).toBe('VAULT.INTEGRITY');
    expect(codeOf(() => openGroups(ring, aliceKey, { birth: aliceSealed.groups.nir }))).toBe('VAULT.INTEGRITY');
    // Alice's wrapped key copied onto Bob's row does not open either.
    const stolenKey = { ...bobKey, wrappedKey: aliceSealed.wrappedKey };
    expect(codeOf(() => openGroups(ring, stolenKey, { identity: bob.groups.identity }))).toBe('VAULT.INTEGRITY');
  });

  it('detects any altered byte, a truncated blob and a relabelled key version', () => {
    const id = randomUUID();
    const sealed = sealPerson(ring, id, samplePerson());
    const person = { id, keyVersion: sealed.keyVersion, wrappedKey: sealed.wrappedKey };
    for (const at of [0, 5, 20, sealed.groups.identity.length - 1]) {
      const blob = Buffer.from(sealed.groups.identity);
      blob[at] = (blob[at] ?? 0) ^ 0x01;
      expect(codeOf(() => openGroups(ring, person, { identity: blob }))).toBe('VAULT.INTEGRITY');
    }
    expect(codeOf(() => openGroups(ring, person, { identity: sealed.groups.identity.subarray(0, 20) }))).toBe(
      'VAULT.INTEGRITY',
    );
    const wrapped = Buffer.from(sealed.wrappedKey);
    wrapped[30] = (wrapped[30] ?? 0) ^ 0x80;
    expect(codeOf(() => openGroups(ring, { ...person, wrappedKey: wrapped }, { birth: sealed.groups.birth }))).toBe(
      'VAULT.INTEGRITY',
    );
  });

  it('keeps crypto details out of the integrity error', () => {
    const id = randomUUID();
    const sealed = sealPerson(ring, id, samplePerson());
    const blob = Buffer.from(sealed.groups.nir);
    blob[15] = (blob[15] ?? 0) ^ 0xff;
    try {
      openGroups(ring, { id, keyVersion: sealed.keyVersion, wrappedKey: sealed.wrappedKey }, { nir: blob });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.kind).toBe('internal');
      expect(String((e as Error).message)).not.toMatch(/auth|tag|decipher|gcm/i);
      expect((e as Error).cause).toBeUndefined();
    }
  });

  it('refuses an erased person (wrapped key destroyed) with VAULT.ERASED', () => {
    const id = randomUUID();
    const sealed = sealPerson(ring, id, samplePerson());
    const erasedRow = { id, keyVersion: sealed.keyVersion, wrappedKey: null };
    expect(codeOf(() => openGroups(ring, erasedRow, sealed.groups))).toBe('VAULT.ERASED');
    expect(codeOf(() => rewrapDataKey(ring, 'other', sealed.wrappedKey, 1))).toBe('VAULT.INTEGRITY');
  });

  it('refuses an empty person id', () => {
    expect(codeOf(() => newDataKey(ring, ''))).toBe('VAULT.PERSON_ID_INVALID');
  });
});
