/**
 * The key document (fichier de clés / VIGIE_KEYS) and how a Keyring is built from it:
 * `{"format":"vigie-keys/1","current":2,"masterKeys":{"1":"<base64>","2":"<base64>"},"indexKey":"<base64>"}`.
 * Master keys (KEKs) are versioned and rotate; the blind-index root key does not (see blind-index.ts).
 * Parsing never echoes its input: a JSON syntax error from V8 quotes the text, so it is dropped.
 */
import { randomBytes } from 'node:crypto';
import { Keyring } from './internal/keyring.js';
import { keysInvalid, keysMissing } from './vault-errors.js';

export { Keyring, INDEX_KINDS } from './internal/keyring.js';
export type { IndexKind, KeyringSource } from './internal/keyring.js';

export const KEY_FORMAT = 'vigie-keys/1';
export const KEY_BYTES = 32;
const MAX_VERSION = 0x7fffffff;

export interface KeyDocument {
  format: typeof KEY_FORMAT;
  current: number;
  masterKeys: Record<string, string>;
  indexKey: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes strict base64 of exactly 32 bytes, or returns the problem. */
const decodeKey = (text: unknown): Buffer | 'encoding' | 'length' => {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !BASE64.test(text)) return 'encoding';
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== KEY_BYTES) return 'length';
  return bytes;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw keysInvalid('not_json'); // the SyntaxError quotes the input: never rethrow it
  }
};

const decodeMasterKeys = (raw: unknown): Map<number, Buffer> => {
  if (!isRecord(raw)) throw keysInvalid('master_keys');
  const keys = new Map<number, Buffer>();
  for (const [name, text] of Object.entries(raw)) {
    const version = Number(name);
    if (!/^[1-9][0-9]*$/.test(name) || version > MAX_VERSION) throw keysInvalid('version_name');
    const bytes = decodeKey(text);
    if (bytes === 'encoding') throw keysInvalid('master_key_encoding', version);
    if (bytes === 'length') throw keysInvalid('master_key_length', version);
    keys.set(version, bytes);
  }
  return keys;
};

/** Validates a key document's text; throws VAULT.KEYS_MISSING / VAULT.KEYS_INVALID. */
export const parseKeyDocument = (text: string): KeyDocument => {
  if (text.trim() === '') throw keysMissing('texte vide');
  const doc = parseJson(text);
  if (!isRecord(doc)) throw keysInvalid('not_json');
  if (doc.format !== KEY_FORMAT) throw keysInvalid('format');
  const keys = decodeMasterKeys(doc.masterKeys);
  if (typeof doc.current !== 'number' || !keys.has(doc.current)) throw keysInvalid('current');
  const index = decodeKey(doc.indexKey);
  if (index === 'encoding') throw keysInvalid('index_key_encoding');
  if (index === 'length') throw keysInvalid('index_key_length');
  for (const bytes of [...keys.values(), index]) bytes.fill(0);
  return {
    format: KEY_FORMAT,
    current: doc.current,
    masterKeys: { ...(doc.masterKeys as Record<string, string>) },
    indexKey: doc.indexKey as string,
  };
};

/** Builds the keyring of a validated document. */
export const keyringFromDocument = (doc: KeyDocument): Keyring => {
  const master = new Map<number, Buffer>();
  for (const [name, text] of Object.entries(doc.masterKeys)) master.set(Number(name), Buffer.from(text, 'base64'));
  return new Keyring(doc.current, master, Buffer.from(doc.indexKey, 'base64'));
};

/** Parses key-document text (the content of VIGIE_KEYS or of a key file) into a keyring. */
export const parseKeyring = (text: string): Keyring => keyringFromDocument(parseKeyDocument(text));

const randomKey = (): string => randomBytes(KEY_BYTES).toString('base64');

/** A fresh document: master key version 1 and an index root key, from the system CSPRNG. */
export const newKeyDocument = (): KeyDocument => ({
  format: KEY_FORMAT,
  current: 1,
  masterKeys: { '1': randomKey() },
  indexKey: randomKey(),
});

/** The document with a new master key version n+1, made current. */
export const withNewMasterKey = (doc: KeyDocument): KeyDocument => {
  const next = Math.max(...Object.keys(doc.masterKeys).map(Number)) + 1;
  return { ...doc, current: next, masterKeys: { ...doc.masterKeys, [String(next)]: randomKey() } };
};

export const serializeKeyDocument = (doc: KeyDocument): string => `${JSON.stringify(doc, null, 2)}\n`;
