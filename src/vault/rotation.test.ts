import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import type { SealedPersonFields } from '../domain/person.js';
import { rewrapDataKey } from './data-key.js';
import { addMasterKeyVersion, generateKeyFile, loadKeyring, retireMasterKeyVersion } from './key-file.js';
import { openKeyringProvider } from './keyring-provider.js';
import { openGroups } from './open.js';
import { sealPerson } from './seal.js';

const fields: SealedPersonFields = {
  identity: { identifier: '7654321B', civility: 'M', lastName: 'Martin', birthName: 'Martin', firstNames: 'Paul' },
  birth: { birthDate: '1990-01-02' },
  nir: { nir: '190012A12345678' },
  address: { addressLine: '1 place du Marché', postalCode: '20000', communeInsee: '2A004', communeName: 'Ajaccio' },
  contact: { email: null, phone: '+33612345678' },
};

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-rotation-'));
  file = join(dir, 'keys.json');
  generateKeyFile(file);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return undefined;
};

describe('key rotation', () => {
  it('rewraps under the new version; old rows still open while the file has both', () => {
    const v1 = loadKeyring({ file });
    const id = randomUUID();
    const row = sealPerson(v1, id, fields);
    const v2 = addMasterKeyVersion(file);
    const stillV1 = { id, keyVersion: 1, wrappedKey: row.wrappedKey };
    expect(openGroups(v2, stillV1, { identity: row.groups.identity }).identity).toEqual(fields.identity);
    const moved = rewrapDataKey(v2, id, row.wrappedKey, 1);
    expect(moved.keyVersion).toBe(2);
    expect(moved.wrapped.equals(row.wrappedKey)).toBe(false);
    expect(openGroups(v2, { id, keyVersion: 2, wrappedKey: moved.wrapped }, row.groups)).toEqual(fields);
    // A rewrapped key cannot be passed off as version 1 any more.
    expect(codeOf(() => openGroups(v2, { id, keyVersion: 1, wrappedKey: moved.wrapped }, row.groups))).toBe(
      'VAULT.INTEGRITY',
    );
  });

  it('loses the rows of a retired version (this is what makes erasure reach backups)', () => {
    const id = randomUUID();
    const row = sealPerson(loadKeyring({ file }), id, fields);
    addMasterKeyVersion(file);
    const after = retireMasterKeyVersion(file, 1);
    expect(codeOf(() => openGroups(after, { id, keyVersion: 1, wrappedKey: row.wrappedKey }, row.groups))).toBe(
      'VAULT.KEY_VERSION_UNKNOWN',
    );
  });
});

describe('keyring provider', () => {
  it('reloads the file on a miss when another process has rotated', () => {
    const provider = openKeyringProvider({ file, refreshMs: 0 });
    expect(provider.keyring().current).toBe(1);
    // Another process (keys rotate) adds version 2 and writes a row under it.
    const other = addMasterKeyVersion(file);
    const id = randomUUID();
    const row = sealPerson(other, id, fields);
    expect(row.keyVersion).toBe(2);
    expect(provider.keyring().current).toBe(1); // refresh disabled: no re-read yet
    const opened = openGroups(provider, { id, keyVersion: 2, wrappedKey: row.wrappedKey }, { nir: row.groups.nir });
    expect(opened.nir).toEqual(fields.nir);
    expect(provider.keyring().current).toBe(2);
    expect(provider.reload()).toBe(false);
  });

  it('reports an unknown version after a re-read that does not have it', () => {
    const provider = openKeyringProvider({ file, refreshMs: 0 });
    const id = randomUUID();
    const row = sealPerson(provider, id, fields);
    expect(codeOf(() => openGroups(provider, { id, keyVersion: 9, wrappedKey: row.wrappedKey }, row.groups))).toBe(
      'VAULT.KEY_VERSION_UNKNOWN',
    );
  });

  it('re-reads periodically, and keeps the last good keyring if the file turns invalid', () => {
    let now = 0;
    const provider = openKeyringProvider({ file, refreshMs: 1000, now: () => now });
    addMasterKeyVersion(file);
    expect(provider.keyring().current).toBe(1);
    now = 1000;
    expect(provider.keyring().current).toBe(2);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{"format":', { mode: 0o600 });
    now = 2000;
    expect(provider.keyring().current).toBe(2);
    expect(provider.refreshError?.code).toBe('VAULT.KEYS_INVALID');
    writeFileSync(file, good, { mode: 0o600 });
    now = 3000;
    provider.keyring();
    expect(provider.refreshError).toBeUndefined();
  });
});
