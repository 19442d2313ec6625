/**
 * The key file: loading (refusing a file others can read), creating it, and the rotation primitives
 * that edit it. Every edit holds `<file>.lock` (two concurrent `keys rotate` would otherwise both
 * write version n+1 with different keys, and rows wrapped under the loser would be lost) and
 * replaces the file atomically (temp file, fsync, rename), so a reader sees the old or the new file,
 * never half of one. Running processes pick the change up through the keyring provider.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Keyring } from './internal/keyring.js';
import {
  keyringFromDocument,
  newKeyDocument,
  parseKeyDocument,
  parseKeyring,
  serializeKeyDocument,
  withNewMasterKey,
  type KeyDocument,
} from './keyring.js';
import {
  keyVersionCurrent,
  keyVersionUnknown,
  keysExist,
  keysLocked,
  keysMissing,
  keysPermissions,
} from './vault-errors.js';

export type KeyringLocation = { file: string } | { text: string | undefined };

const errorCode = (e: unknown): unknown => (e instanceof Error && 'code' in e ? e.code : undefined);

/** Reads the key file's text; refuses a missing file or one with any group/other permission. */
export const readKeyFileText = (path: string): string => {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') throw keysMissing(`fichier ${path} introuvable`);
    throw e;
  }
  try {
    const { mode } = fstatSync(fd);
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) throw keysPermissions(mode);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
};

/** Loads a keyring from a key file, or from key-document text (the config layer passes VIGIE_KEYS). */
export const loadKeyring = (location: KeyringLocation): Keyring => {
  if ('file' in location) return parseKeyring(readKeyFileText(location.file));
  if (location.text === undefined || location.text.trim() === '') throw keysMissing('VIGIE_KEYS vide');
  return parseKeyring(location.text);
};

const syncDirectory = (path: string): void => {
  try {
    const fd = openSync(dirname(path), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not every platform can fsync a directory; the rename itself is still atomic
  }
};

/** Writes `text` to a fresh 0600 temp file next to `path`, fsynced; returns its name. */
const writeTemp = (path: string, text: string): string => {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
};

/** Publishes `text` at `path`: with `replace`, atomically over the old file; without, never over one. */
const publish = (path: string, text: string, replace: boolean): void => {
  const temp = writeTemp(path, text);
  try {
    if (replace) renameSync(temp, path);
    else linkSync(temp, path); // fails with EEXIST instead of overwriting
  } catch (e) {
    if (errorCode(e) === 'EEXIST') throw keysExist();
    throw e;
  } finally {
    rmSync(temp, { force: true });
  }
  syncDirectory(path);
};

/** Runs `edit` on the key document under the lock file, and writes its result atomically. */
const editKeyFile = (path: string, edit: (doc: KeyDocument) => KeyDocument): Keyring => {
  const lock = `${path}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (e) {
    if (errorCode(e) === 'EEXIST') throw keysLocked();
    throw e;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
    const doc = edit(parseKeyDocument(readKeyFileText(path)));
    publish(path, serializeKeyDocument(doc), true);
    return keyringFromDocument(doc);
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
};

/** Creates a key file (mode 0600) with master key version 1 and an index key; never overwrites. */
export const generateKeyFile = (path: string): Keyring => {
  const doc = newKeyDocument();
  publish(path, serializeKeyDocument(doc), false);
  return keyringFromDocument(doc);
};

/**
 * Adds master key version n+1 and makes it current. New data keys are wrapped under it at once by
 * this process, and by other processes after their provider reloads; existing rows keep opening
 * under their own version until `rewrapDataKey` moves them.
 */
export const addMasterKeyVersion = (path: string): Keyring => editKeyFile(path, withNewMasterKey);

/**
 * Removes an old master key version. Call it only once no row carries that version and every
 * process has reloaded: afterwards the data keys wrapped under it, including those in old backups,
 * can no longer be opened (which is what makes erasure reach backups).
 */
export const retireMasterKeyVersion = (path: string, version: number): Keyring =>
  editKeyFile(path, (doc) => {
    if (version === doc.current) throw keyVersionCurrent(version);
    if (!Object.hasOwn(doc.masterKeys, String(version))) throw keyVersionUnknown(version);
    const masterKeys = Object.fromEntries(Object.entries(doc.masterKeys).filter(([v]) => v !== String(version)));
    return { ...doc, masterKeys };
  });
