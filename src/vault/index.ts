/**
 * The vault's public, encrypt-side API: keys, data keys, sealing, blind indexes. Decryption is not
 * here on purpose: it lives in ./open.ts, whose importers are restricted to disclosure/ and respond/.
 * Files under ./internal/ are vault-private.
 */
export { Keyring, INDEX_KINDS, KEY_FORMAT, parseKeyring } from './keyring.js';
export type { IndexKind, KeyringSource } from './keyring.js';
export { addMasterKeyVersion, generateKeyFile, loadKeyring, retireMasterKeyVersion } from './key-file.js';
export type { KeyringLocation } from './key-file.js';
export { keyringSource, openKeyringProvider } from './keyring-provider.js';
export type { KeyringProvider, KeyringProviderOptions } from './keyring-provider.js';
export { newDataKey, rewrapDataKey } from './data-key.js';
export type { NewDataKey } from './data-key.js';
export { sealGroup, sealPerson } from './seal.js';
export type { SealedPerson } from './seal.js';
export { BLIND_INDEX_BYTES, blindIndex, normaliseFor } from './blind-index.js';
export { normaliseEmail, normaliseIdentifier, normaliseLogin, normaliseNir, normalisePhone } from './normalise.js';
