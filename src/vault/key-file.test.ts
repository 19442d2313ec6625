import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import { addMasterKeyVersion, generateKeyFile, loadKeyring, retireMasterKeyVersion } from './key-file.js';
import { KEY_FORMAT, newKeyDocument, parseKeyring, serializeKeyDocument } from './keyring.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-vault-'));
  file = join(dir, 'keys.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `f`, expects an AppError with `code`, and checks no secret text leaks in it. */
const expectAppError = (f: () => unknown, code: string, secrets: string[] = []): void => {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(isAppError(caught), `expected AppError ${code}, got ${String(caught)}`).toBe(true);
  if (!isAppError(caught)) return;
  expect(caught.code).toBe(code);
  const shown = `${caught.message} ${JSON.stringify(caught.details ?? {})} ${inspect(caught)} ${String(caught.cause)}`;
  for (const secret of secrets) expect(shown).not.toContain(secret);
};

const key = (bytes = 32): string => randomBytes(bytes).toString('base64');
const docText = (over: Record<string, unknown>): string =>
  JSON.stringify({ format: KEY_FORMAT, current: 1, masterKeys: { '1': key() }, indexKey: key(), ...over });

describe('key file', () => {
  it('generates a 0600 file that loads, and refuses to overwrite it', () => {
    const ring = generateKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadKeyring({ file }).versions).toEqual([1]);
    expect(ring.current).toBe(1);
    const before = readFileSync(file, 'utf8');
    expectAppError(() => generateKeyFile(file), 'VAULT.KEYS_EXIST');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('adds version n+1 as current, keeps the old ones and the index key, and stays 0600', () => {
    generateKeyFile(file);
    const before = JSON.parse(readFileSync(file, 'utf8')) as { masterKeys: Record<string, string>; indexKey: string };
    const ring = addMasterKeyVersion(file);
    const after = JSON.parse(readFileSync(file, 'utf8')) as typeof before & { current: number };
    expect(ring.current).toBe(2);
    expect(after.current).toBe(2);
    expect(after.masterKeys['1']).toBe(before.masterKeys['1']);
    expect(after.indexKey).toBe(before.indexKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadKeyring({ file }).versions).toEqual([1, 2]);
  });

  it('refuses to edit while another writer holds the lock', () => {
    generateKeyFile(file);
    writeFileSync(`${file}.lock`, '12345\n');
    expectAppError(() => addMasterKeyVersion(file), 'VAULT.KEYS_LOCKED');
    expect(loadKeyring({ file }).versions).toEqual([1]);
  });

  it('retires an old version but never the current one', () => {
    generateKeyFile(file);
    addMasterKeyVersion(file);
    expectAppError(() => retireMasterKeyVersion(file, 2), 'VAULT.KEY_VERSION_CURRENT');
    expectAppError(() => retireMasterKeyVersion(file, 7), 'VAULT.KEY_VERSION_UNKNOWN');
    expect(retireMasterKeyVersion(file, 1).versions).toEqual([2]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('reports a missing file or empty text as VAULT.KEYS_MISSING', () => {
    expectAppError(() => loadKeyring({ file }), 'VAULT.KEYS_MISSING');
    expectAppError(() => loadKeyring({ text: '' }), 'VAULT.KEYS_MISSING');
    expectAppError(() => loadKeyring({ text: undefined }), 'VAULT.KEYS_MISSING');
  });

  it('refuses a key file readable by group or others', () => {
    writeFileSync(file, serializeKeyDocument(newKeyDocument()), { mode: 0o600 });
    chmodSync(file, 0o644);
    expectAppError(() => loadKeyring({ file }), 'VAULT.KEYS_PERMISSIONS');
  });
});

describe('key document validation', () => {
  const master = key();
  const cases: Array<[string, string, string]> = [
    ['not JSON, quoting a key', `{"masterKeys":{"1":"${master}"`, 'not_json'],
    ['a JSON array', '[]', 'not_json'],
    ['wrong format', docText({ format: 'vigie-keys/0', masterKeys: { '1': master } }), 'format'],
    ['current absent from masterKeys', docText({ current: 3, masterKeys: { '1': master } }), 'current'],
    ['masterKeys not an object', docText({ masterKeys: [master] }), 'master_keys'],
    ['a version that is not a positive integer', docText({ masterKeys: { '1': master, x: master } }), 'version_name'],
    ['a master key of 16 bytes', docText({ masterKeys: { '1': key(16) } }), 'master_key_length'],
    [
      'a master key that is not base64',
      docText({ masterKeys: { '1': `${master.slice(0, 40)}!!!=` } }),
      'master_key_encoding',
    ],
    ['an index key of 31 bytes', docText({ masterKeys: { '1': master }, indexKey: key(31) }), 'index_key_length'],
  ];
  it.each(cases)('rejects %s with VAULT.KEYS_INVALID and no key material', (_name, text, problem) => {
    expectAppError(() => parseKeyring(text), 'VAULT.KEYS_INVALID', [master, master.slice(0, 12)]);
    try {
      parseKeyring(text);
    } catch (e) {
      expect(isAppError(e) && e.details?.problem).toBe(problem);
    }
  });

  it('never shows key material when a keyring is printed or serialised', () => {
    const doc = newKeyDocument();
    const ring = parseKeyring(serializeKeyDocument(doc));
    const secrets = [doc.indexKey, ...Object.values(doc.masterKeys)];
    const shown = `${inspect(ring, { showHidden: true, depth: 5 })} ${JSON.stringify(ring)} ${String(ring)}`;
    for (const secret of secrets) {
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(Buffer.from(secret, 'base64').toString('hex'));
    }
    expect(JSON.stringify(ring)).toBe('{"current":1,"versions":[1]}');
  });
});
