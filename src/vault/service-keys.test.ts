import { describe, expect, it } from 'vitest';
import { keyringFromDocument, newKeyDocument, withNewMasterKey } from './keyring.js';
import { openServiceSecret, sealServiceSecret, serviceHash } from './service-keys.js';

describe('service keys', () => {
  const doc = newKeyDocument();
  const ring = keyringFromDocument(doc);
  const secret = Buffer.from('12345678901234567890');

  it('seals a service secret that opens only with the same purpose and context', () => {
    const blob = sealServiceSecret(ring, 'totp-seed', 'account/factor', secret);
    expect(blob.includes(secret)).toBe(false);
    expect(openServiceSecret(ring, 'totp-seed', 'account/factor', blob)).toEqual(secret);
    expect(() => openServiceSecret(ring, 'totp-seed', 'other/factor', blob)).toThrow(
      expect.objectContaining({ code: 'VAULT.INTEGRITY' }),
    );
    expect(() => openServiceSecret(ring, 'email-code', 'account/factor', blob)).toThrow(
      expect.objectContaining({ code: 'VAULT.INTEGRITY' }),
    );
    expect(() => openServiceSecret(keyringFromDocument(newKeyDocument()), 'totp-seed', 'account/factor', blob)).toThrow(
      expect.objectContaining({ code: 'VAULT.INTEGRITY' }),
    );
  });

  it('survives a master key rotation (derived from the index root, which never rotates)', () => {
    const blob = sealServiceSecret(ring, 'totp-seed', 'a', secret);
    expect(openServiceSecret(keyringFromDocument(withNewMasterKey(doc)), 'totp-seed', 'a', blob)).toEqual(secret);
  });

  it('hashes codes under a key: same input same hash, another context or key another hash', () => {
    const h = serviceHash(ring, 'recovery-code', 'account', 'ABCD-EFGH');
    expect(h).toHaveLength(32);
    expect(serviceHash(ring, 'recovery-code', 'account', 'ABCD-EFGH')).toEqual(h);
    expect(serviceHash(ring, 'recovery-code', 'other', 'ABCD-EFGH')).not.toEqual(h);
    expect(serviceHash(keyringFromDocument(newKeyDocument()), 'recovery-code', 'account', 'ABCD-EFGH')).not.toEqual(h);
  });
});
