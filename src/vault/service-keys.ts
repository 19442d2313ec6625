/**
 * Service keys: secrets of the service itself (never a person's data) sealed or hashed under keys
 * derived from the keyring, so that a copy of the database alone reveals none of them:
 * TOTP seeds (sealed: they must be read back to check a code), recovery and e-mailed codes
 * (keyed hashes: a stolen table cannot be brute-forced offline), the disclosure log's tree heads
 * (a MAC: whoever writes the database without the key file cannot forge one).
 *
 * Each purpose has its own 32-byte key, HKDF-SHA256 from the blind-index root (through its `login`
 * subkey, with a distinct info string). That root never rotates (see blind-index.ts), so a master
 * key rotation or retirement leaves these secrets readable; sealing is AES-256-GCM (internal/aead)
 * with the caller's context (account id, factor id) as associated data, so a blob moved to another
 * row does not open.
 */
import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { aeadOpen, aeadSeal } from './internal/aead.js';
import type { Keyring, KeyringSource } from './internal/keyring.js';
import { indexSubkey } from './internal/keyring.js';

export const SERVICE_KEY_PURPOSES = ['totp-seed', 'recovery-code', 'email-code', 'log-head', 'notice-code'] as const;
export type ServiceKeyPurpose = (typeof SERVICE_KEY_PURPOSES)[number];

const SERVICE_SEAL_FORMAT = 0x51;

const cache = new WeakMap<Keyring, Map<ServiceKeyPurpose, KeyObject>>();

/** The key of a purpose (derived once per keyring). */
function serviceKey(source: KeyringSource, purpose: ServiceKeyPurpose): KeyObject {
  const ring = source.keyring();
  let keys = cache.get(ring);
  if (!keys) {
    keys = new Map();
    cache.set(ring, keys);
  }
  let key = keys.get(purpose);
  if (!key) {
    const root = indexSubkey(ring, 'login');
    key = createSecretKey(
      Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `vigie/service-key/v1/${purpose}`, 32)),
    );
    keys.set(purpose, key);
  }
  return key;
}

const aadOf = (purpose: ServiceKeyPurpose, context: string): Buffer => Buffer.from(`${purpose}\0${context}`, 'utf8');

/** Seals a service secret bound to `context` (e.g. `accountId/factorId`). */
export const sealServiceSecret = (
  source: KeyringSource,
  purpose: ServiceKeyPurpose,
  context: string,
  secret: Buffer,
): Buffer => aeadSeal(serviceKey(source, purpose), SERVICE_SEAL_FORMAT, aadOf(purpose, context), secret);

/** The secret sealed by `sealServiceSecret` with the same purpose and context; VAULT.INTEGRITY otherwise. */
export const openServiceSecret = (
  source: KeyringSource,
  purpose: ServiceKeyPurpose,
  context: string,
  blob: Uint8Array,
): Buffer => aeadOpen(serviceKey(source, purpose), SERVICE_SEAL_FORMAT, aadOf(purpose, context), blob);

/** HMAC-SHA256 of `value` under the purpose's key, bound to `context`: a keyed hash for short codes. */
export const serviceHash = (
  source: KeyringSource,
  purpose: ServiceKeyPurpose,
  context: string,
  value: string,
): Buffer =>
  createHmac('sha256', serviceKey(source, purpose))
    .update(aadOf(purpose, context))
    .update('\0')
    .update(value, 'utf8')
    .digest();
