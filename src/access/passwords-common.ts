/**
 * Passwords nobody should choose: the most common passwords of public leaks (data/passwords, see
 * its ATTRIBUTION.md), loaded once into a Set at first use; a common password dressed with digits,
 * spaces or punctuation at either end ("Azerty2026!"); one character or a short unit repeated; and a
 * password that contains the account's login or its organisation's name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIST = join('data', 'passwords', 'common-passwords.txt');
/** Below this length a login or organisation name inside a password is a coincidence, not a leak. */
const MIN_IDENTITY_LENGTH = 4;

let common: ReadonlySet<string> | undefined;

/** The project's `data/` is found by walking up from this module (works from src/ and from dist/src/). */
function readList(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, LIST);
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    if (dirname(dir) === dir) throw new Error(`data file not found: ${LIST}`);
  }
}

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readList()
      .split('\n')
      .filter((line) => line !== ''),
  );
  return common;
}

/** Lower case, compatibility-normalised (full-width and ligature forms fold to plain letters). */
const fold = (s: string): string => s.normalize('NFKC').toLowerCase();
/** Letters and digits only, accents removed: how names are compared. */
const compact = (s: string): string =>
  fold(s)
    .normalize('NFD')
    .replace(/[^\p{L}\p{N}]/gu, '');
const DRESSING = /^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu;

/** The forms of a password looked up in the list. */
function candidates(password: string): string[] {
  const whole = fold(password);
  const core = whole.replace(DRESSING, '');
  return [whole, whole.replace(/\s+/g, ''), core, core.replace(/\s+/g, '')].filter((c) => c.length > 0);
}

/** "aaaaaaaaaaaa", "abcabcabcabc", "12121212121212": a unit of at most 4 characters, repeated. */
const isRepetition = (password: string): boolean => /^(.{1,4}?)\1+$/su.test(fold(password));

export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  return isRepetition(password) || candidates(password).some((c) => list.has(c));
}

/** What a password must not contain: the login (and an e-mail's local part), the organisation's name. */
export interface PasswordContext {
  readonly login?: string | null;
  readonly organisationName?: string | null;
}

const loginForms = (login: string): string[] => {
  const whole = compact(login);
  const local = login.includes('@') ? compact(login.slice(0, login.indexOf('@'))) : '';
  return [whole, local];
};

/** 'login' or 'organisation' when the password contains one of them, else null. */
export function identityInPassword(password: string, context: PasswordContext): 'login' | 'organisation' | null {
  const haystack = compact(password);
  const contains = (needle: string) => needle.length >= MIN_IDENTITY_LENGTH && haystack.includes(needle);
  if (context.login && loginForms(context.login).some(contains)) return 'login';
  if (context.organisationName && contains(compact(context.organisationName))) return 'organisation';
  return null;
}
