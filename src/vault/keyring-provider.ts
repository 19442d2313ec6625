/**
 * A keyring that follows its key file while the service runs. `keys rotate` in another process adds
 * a master key version and starts rewrapping rows; a row carrying a version this process has not
 * loaded yet makes the provider re-read the file once (a miss), so reads never stop during rotation.
 * Every `refreshMs` it also re-reads the file so new data keys move to the new current version.
 * A re-read costs one small file read; the file is parsed again only if its digest changed.
 */
import { createHash } from 'node:crypto';
import type { AppError } from '../domain/errors.js';
import { isAppError } from '../domain/errors.js';
import type { Keyring, KeyringSource } from './internal/keyring.js';
import { loadKeyring, readKeyFileText, type KeyringLocation } from './key-file.js';
import { parseKeyring } from './keyring.js';

export interface KeyringProvider extends KeyringSource {
  /** Re-reads the key file now; true if it changed. Throws if the new content is invalid. */
  reload(): boolean;
  /** The error of the last periodic refresh, if it failed (the previous keyring stays in use). */
  readonly refreshError: AppError | undefined;
}

export interface KeyringProviderOptions {
  file: string;
  /** Period of the background re-read done by `keyring()`; 0 disables it. Default 60 s. */
  refreshMs?: number;
  /** Clock in milliseconds (injected in tests). */
  now?: () => number;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64');

class FileKeyringProvider implements KeyringProvider {
  #ring: Keyring;
  #digest: string;
  #checkedAt: number;
  #refreshError: AppError | undefined;
  readonly #file: string;
  readonly #refreshMs: number;
  readonly #now: () => number;

  constructor(options: KeyringProviderOptions) {
    this.#file = options.file;
    this.#refreshMs = options.refreshMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    const text = readKeyFileText(this.#file);
    this.#ring = parseKeyring(text);
    this.#digest = digest(text);
    this.#checkedAt = this.#now();
  }

  get refreshError(): AppError | undefined {
    return this.#refreshError;
  }

  keyring(): Keyring {
    if (this.#refreshMs > 0 && this.#now() - this.#checkedAt >= this.#refreshMs) this.#refresh();
    return this.#ring;
  }

  keyringWith(version: number): Keyring {
    if (!this.#ring.has(version)) this.reload();
    return this.#ring.keyringWith(version);
  }

  reload(): boolean {
    this.#checkedAt = this.#now();
    const text = readKeyFileText(this.#file);
    const next = digest(text);
    const changed = next !== this.#digest;
    if (changed) this.#ring = parseKeyring(text);
    this.#digest = next;
    this.#refreshError = undefined;
    return changed;
  }

  #refresh(): void {
    try {
      this.reload();
    } catch (e) {
      if (!isAppError(e)) throw e;
      this.#refreshError = e; // keep serving with the last good keyring; a health check reports it
    }
  }
}

/** A provider following a key file (reload on miss, periodic refresh). */
export const openKeyringProvider = (options: KeyringProviderOptions): KeyringProvider =>
  new FileKeyringProvider(options);

/** The key source for a location: a file-following provider, or the static keyring of a text. */
export const keyringSource = (
  location: KeyringLocation,
  options: Omit<KeyringProviderOptions, 'file'> = {},
): KeyringSource =>
  'file' in location ? openKeyringProvider({ ...options, file: location.file }) : loadKeyring(location);
