/**
 * Search criteria shared by the catalogue and the recruiter search: a ROME code and a département,
 * checked against the referential before any query, so that a malformed or unknown value is a 400,
 * never an empty result or a 500.
 */
import { invalid } from '../domain/errors.js';
import { allDepartements } from '../referential/communes.js';
import { romeCode } from '../referential/rome.js';

const ROME_RE = /^[A-N]\d{4}$/;
let departementCodes: ReadonlySet<string> | undefined;

/** A ROME v4.60 code (letter and 4 digits, e.g. M1805), upper-cased; ROME.INVALID (400) otherwise. */
export function parseRome(input: string): string {
  const code = input.trim().toUpperCase();
  if (!ROME_RE.test(code) || romeCode(code) === undefined) {
    throw invalid('ROME.INVALID', 'Code ROME inconnu : une lettre suivie de 4 chiffres, par exemple M1805.');
  }
  return code;
}

/** A département code of the referential ("75", "2A", "974"); DEPARTEMENT.INVALID (400) otherwise. */
export function parseDepartement(input: string): string {
  const code = input.trim().toUpperCase();
  departementCodes ??= new Set(allDepartements().map((d) => d.code));
  if (!departementCodes.has(code))
    throw invalid('DEPARTEMENT.INVALID', 'Code de département inconnu (par exemple 75, 2A ou 974).');
  return code;
}
