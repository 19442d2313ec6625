/**
 * Normalisers applied before blind indexing, so that every way of writing the same value finds the
 * same row. Exported so that callers validate input with exactly the rules the index uses.
 */

/** E-mail: Unicode NFC, trimmed, lower-cased (also the local part, as users expect). */
export const normaliseEmail = (value: string): string => value.normalize('NFC').trim().toLowerCase();

const SEPARATORS = /[\s.\-/()]/gu;

/** NIR (numéro de sécurité sociale): upper-cased (Corsica's 2A/2B), without spaces, dots or dashes. */
export const normaliseNir = (value: string): string => value.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();

/** Job seeker identifier (identifiant France Travail): upper-cased, without spaces, dots or dashes. */
export const normaliseIdentifier = normaliseNir;

/** Login: an e-mail for staff, an identifier for job seekers. */
export const normaliseLogin = (value: string): string =>
  value.includes('@') ? normaliseEmail(value) : normaliseIdentifier(value);

/**
 * Overseas departments have their own country codes in E.164; their numbers are dialled from
 * metropolitan France with these national prefixes (fixed and mobile).
 */
const OVERSEAS_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['0590', '590'],
  ['0690', '590'],
  ['0691', '590'], // Guadeloupe, Saint-Martin, Saint-Barthélemy
  ['0594', '594'],
  ['0694', '594'], // Guyane
  ['0596', '596'],
  ['0696', '596'],
  ['0697', '596'], // Martinique
  ['0262', '262'],
  ['0263', '262'],
  ['0692', '262'],
  ['0693', '262'], // La Réunion
  ['0269', '262'],
  ['0639', '262'], // Mayotte
]);

const NATIONAL = /^0[1-9][0-9]{8}$/;
const INTERNATIONAL = /^\+[1-9][0-9]{7,14}$/;

const nationalToE164 = (national: string): string => {
  const cc = OVERSEAS_PREFIXES.get(national.slice(0, 4));
  return cc === undefined ? `+33${national.slice(1)}` : `+${cc}${national.slice(1)}`;
};

/**
 * Phone number in E.164: "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78"
 * and "0033 6 12 34 56 78" all give "+33612345678"; "0690 12 34 56" and "+590 690 12 34 56" give
 * "+590690123456". Other international numbers are kept as written (digits only). Null if the
 * value is not a phone number.
 */
export const normalisePhone = (value: string): string | null => {
  let s = value.normalize('NFKC').replace(SEPARATORS, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (s.startsWith('+33')) {
    const rest = s.slice(3);
    s = rest.length === 10 && rest.startsWith('0') ? rest : `0${rest}`;
  }
  if (NATIONAL.test(s)) return nationalToE164(s);
  return INTERNATIONAL.test(s) ? s : null;
};
