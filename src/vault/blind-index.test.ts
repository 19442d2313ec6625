import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import { BLIND_INDEX_BYTES, blindIndex } from './blind-index.js';
import { INDEX_KINDS, newKeyDocument, parseKeyring, serializeKeyDocument, withNewMasterKey } from './keyring.js';
import { normaliseEmail, normaliseIdentifier, normaliseLogin, normaliseNir, normalisePhone } from './normalise.js';

const doc = newKeyDocument();
const ring = parseKeyring(serializeKeyDocument(doc));
const hex = (kind: (typeof INDEX_KINDS)[number], value: string): string =>
  blindIndex(ring, kind, value).toString('hex');

describe('normalisers', () => {
  it.each([
    '06 12 34 56 78',
    '0612345678',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '+33 6 12 34 56 78',
    '+33612345678',
    '+33 (0)6 12 34 56 78',
    '0033 6 12 34 56 78',
    ' 0033612345678 ',
  ])('phone %s is +33612345678', (raw) => {
    expect(normalisePhone(raw)).toBe('+33612345678');
  });

  it('maps overseas numbers to their own country code, however written', () => {
    expect(normalisePhone('0690 12 34 56')).toBe('+590690123456');
    expect(normalisePhone('+590 690 12 34 56')).toBe('+590690123456');
    expect(normalisePhone('+33 6 90 12 34 56')).toBe('+590690123456');
    expect(normalisePhone('0262 12 34 56')).toBe('+262262123456');
    expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958');
  });

  it.each(['', '12', '06 12 34 56', '+33', 'abc', '00', '0012'])('phone %j is not a number', (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });

  it('normalises e-mails, NIR, identifiers and logins', () => {
    expect(normaliseEmail('  Anais.Lefevre@Example.FR ')).toBe('anais.lefevre@example.fr');
    expect(normaliseEmail('Ana\u0069\u0308s@x.fr')).toBe('ana\u00efs@x.fr'); // NFD ï → NFC ï
    expect(normaliseNir('2 87 03 2a 112 345 67')).toBe('287032A11234567');
    expect(normaliseIdentifier(' 1234567a ')).toBe('1234567A');
    expect(normaliseLogin(' Agent.Dupont@France-Travail.fr')).toBe('agent.dupont@france-travail.fr');
    expect(normaliseLogin('1234567a')).toBe('1234567A');
  });
});

describe('blindIndex', () => {
  it('gives the same 16 bytes for equivalent writings', () => {
    expect(blindIndex(ring, 'phone', '06 12 34 56 78')).toHaveLength(BLIND_INDEX_BYTES);
    expect(hex('phone', '06 12 34 56 78')).toBe(hex('phone', '0033 6 12 34 56 78'));
    expect(hex('email', 'A@B.fr ')).toBe(hex('email', 'a@b.FR'));
    expect(hex('nir', '1 85 05 78 006 084 36')).toBe(hex('nir', '185057800608436'));
    expect(hex('identifier', '1234567a')).toBe(hex('identifier', '1234567A'));
    expect(hex('email', 'a@b.fr')).not.toBe(hex('email', 'a@c.fr'));
  });

  it('gives unrelated indexes for the same text under different kinds', () => {
    // '0612345678' normalises to itself as identifier, NIR, e-mail and login.
    const all = INDEX_KINDS.map((kind) => hex(kind, '0612345678'));
    expect(new Set(all).size).toBe(INDEX_KINDS.length);
    expect(hex('email', 'x@y.fr')).not.toBe(hex('login', 'x@y.fr'));
  });

  it('depends on the index key only, not on the master key version', () => {
    const rotated = parseKeyring(serializeKeyDocument(withNewMasterKey(doc)));
    expect(blindIndex(rotated, 'email', 'a@b.fr').equals(blindIndex(ring, 'email', 'a@b.fr'))).toBe(true);
    const other = parseKeyring(serializeKeyDocument(newKeyDocument()));
    expect(blindIndex(other, 'email', 'a@b.fr').equals(blindIndex(ring, 'email', 'a@b.fr'))).toBe(false);
  });

  it('refuses a value that normalises to nothing, without echoing it', () => {
    for (const [kind, value] of [
      ['phone', '06 12'],
      ['email', '   '],
      ['nir', ' - '],
    ] as const) {
      try {
        blindIndex(ring, kind, value);
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('VAULT.INDEX_VALUE_INVALID');
        expect(isAppError(e) && e.kind).toBe('invalid');
        if (value.trim() !== '') expect((e as Error).message).not.toContain(value);
      }
    }
  });
});
