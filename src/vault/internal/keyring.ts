/**
 * The in-memory keyring. Key bytes live only in node KeyObjects held in private fields: printing,
 * logging or JSON-encoding a Keyring shows versions, never keys. The accessors at the bottom are
 * vault-internal (src/vault/internal/ may be imported from src/vault/ only).
 */
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { keyVersionUnknown } from '../vault-errors.js';

/** What a blind index is computed over; each kind has its own HKDF subkey. */
export const INDEX_KINDS = ['identifier', 'email', 'phone', 'nir', 'login'] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

/**
 * Where vault operations get keys. A Keyring is its own (static) source; a file-backed provider
 * reloads the key file when asked for a version it does not know yet (rotation in another process).
 */
export interface KeyringSource {
  /** The keyring whose current version wraps new data keys. */
  keyring(): Keyring;
  /** A keyring holding `version`, or AppError VAULT.KEY_VERSION_UNKNOWN. */
  keyringWith(version: number): Keyring;
}

let masterOf: (ring: Keyring, version: number) => KeyObject | undefined;
let subkeyOf: (ring: Keyring, kind: IndexKind) => KeyObject;

const deriveSubkeys = (root: KeyObject): Record<IndexKind, KeyObject> => {
  const derive = (kind: IndexKind): KeyObject =>
    createSecretKey(Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `vigie/blind-index/v1/${kind}`, 32)));
  return {
    identifier: derive('identifier'),
    email: derive('email'),
    phone: derive('phone'),
    nir: derive('nir'),
    login: derive('login'),
  };
};

export class Keyring implements KeyringSource {
  readonly #master: ReadonlyMap<number, KeyObject>;
  readonly #subkeys: Readonly<Record<IndexKind, KeyObject>>;
  /** Version of the master key that wraps new data keys. */
  readonly current: number;
  /** Every version this keyring can unwrap, ascending. */
  readonly versions: readonly number[];

  /** Takes ownership of the buffers and zeroes them once imported. */
  constructor(current: number, masterKeys: ReadonlyMap<number, Buffer>, indexKey: Buffer) {
    const master = new Map<number, KeyObject>();
    for (const [version, bytes] of masterKeys) {
      master.set(version, createSecretKey(bytes));
      bytes.fill(0);
    }
    if (!master.has(current)) throw keyVersionUnknown(current);
    const root = createSecretKey(indexKey);
    indexKey.fill(0);
    this.#master = master;
    this.#subkeys = deriveSubkeys(root);
    this.current = current;
    this.versions = Object.freeze([...master.keys()].sort((a, b) => a - b));
    Object.freeze(this);
  }

  has(version: number): boolean {
    return this.#master.has(version);
  }

  keyring(): Keyring {
    return this;
  }

  keyringWith(version: number): Keyring {
    if (!this.has(version)) throw keyVersionUnknown(version);
    return this;
  }

  toJSON(): { current: number; versions: readonly number[] } {
    return { current: this.current, versions: this.versions };
  }

  [inspect.custom](): string {
    return `Keyring { current: ${this.current}, versions: [${this.versions.join(', ')}] }`;
  }

  static {
    masterOf = (ring, version) => ring.#master.get(version);
    subkeyOf = (ring, kind) => ring.#subkeys[kind];
  }
}

/** Vault-internal: the master key (KEK) of a version, or VAULT.KEY_VERSION_UNKNOWN. */
export const masterKey = (ring: Keyring, version: number): KeyObject => {
  const key = masterOf(ring, version);
  if (key === undefined) throw keyVersionUnknown(version);
  return key;
};

/** Vault-internal: the blind-index subkey of a kind (derived once, when the keyring is built). */
export const indexSubkey = (ring: Keyring, kind: IndexKind): KeyObject => subkeyOf(ring, kind);
