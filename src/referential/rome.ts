/**
 * ROME v4.60 (Répertoire Opérationnel des Métiers et des Emplois), France Travail open data, shipped
 * in data/rome (see its ATTRIBUTION.md). Loaded once, synchronously, at first use.
 */
import { csvRecords } from './csv.js';
import { readProjectData } from './data-files.js';
import { foldText } from './text.js';

export interface RomeCode {
  code: string; // e.g. M1805
  label: string; // libellé ROME
  parentCode: string; // code ROME parent (equal to code for a main sheet)
}

/** A job title (appellation) tied to a ROME code. */
export interface RomeAppellation {
  ogrCode: string; // code OGR
  label: string; // libellé long
  shortLabel: string; // libellé court
  romeCode: string;
  main: boolean; // classification PRINCIPALE (else SYNONYME)
  rare: boolean; // peu usité
}

export interface RomeMatch {
  romeCode: string;
  romeLabel: string;
  appellation: RomeAppellation;
}

interface RomeReferential {
  codes: ReadonlyMap<string, RomeCode>;
  codeList: readonly string[];
  appellations: readonly RomeAppellation[];
  folded: readonly string[]; // " " + folded label + " ", aligned with appellations
}

const CODES_FILE = 'rome/unix_referentiel_code_rome_v460_utf8.csv';
const APPELLATIONS_FILE = 'rome/unix_referentiel_appellation_v460_utf8.csv';
const ROME_CODE_RE = /^[A-N]\d{4}$/;

let loaded: RomeReferential | undefined;
const rome = (): RomeReferential => (loaded ??= loadRome());

function loadRome(): RomeReferential {
  const codeRows = csvRecords(readProjectData(CODES_FILE), ['code_rome', 'libelle_rome', 'code_rome_parent']);
  const codes = new Map<string, RomeCode>(
    codeRows.map((r) => [
      r['code_rome'] ?? '',
      { code: r['code_rome'] ?? '', label: r['libelle_rome'] ?? '', parentCode: r['code_rome_parent'] ?? '' },
    ]),
  );
  const appellationRows = csvRecords(readProjectData(APPELLATIONS_FILE), [
    'code_ogr',
    'libelle_appellation_long',
    'libelle_appellation_court',
    'code_rome',
    'classification',
    'peu_usite',
  ]);
  const appellations = appellationRows.map(toAppellation);
  for (const a of appellations) {
    if (!codes.has(a.romeCode)) throw new Error(`ROME: appellation ${a.ogrCode} refers to unknown code ${a.romeCode}`);
  }
  const folded = appellations.map((a) => ` ${foldText(a.label)} `);
  return { codes, codeList: [...codes.keys()].sort(), appellations, folded };
}

const toAppellation = (r: Record<string, string>): RomeAppellation => ({
  ogrCode: r['code_ogr'] ?? '',
  label: r['libelle_appellation_long'] ?? '',
  shortLabel: r['libelle_appellation_court'] ?? '',
  romeCode: r['code_rome'] ?? '',
  main: r['classification'] === 'PRINCIPALE',
  rare: r['peu_usite'] === 'O',
});

export const isRomeCode = (code: string): boolean => ROME_CODE_RE.test(code) && rome().codes.has(code);

/** The label of a ROME code (libellé), or undefined for an unknown code. */
export const romeLabel = (code: string): string | undefined => rome().codes.get(code)?.label;

export const romeCode = (code: string): RomeCode | undefined => rome().codes.get(code);

/** Every ROME code, sorted. */
export const allRomeCodes = (): readonly string[] => rome().codeList;

export const allRomeAppellations = (): readonly RomeAppellation[] => rome().appellations;

export const appellationsOf = (code: string): readonly RomeAppellation[] =>
  rome().appellations.filter((a) => a.romeCode === code);

/**
 * Job titles matching a free text, accent- and case-insensitive: every word typed must start a word
 * of the title ("developpeu info" finds "Développeur / Développeuse informatique"). Titles that start
 * with the text come first, then main titles, common before rare, shorter before longer. A ROME
 * code typed as such returns that code's titles.
 */
export function searchRome(text: string, limit = 10): RomeMatch[] {
  const query = foldText(text);
  if (query === '' || limit <= 0) return [];
  const ref = rome();
  const code = query.toUpperCase();
  if (ROME_CODE_RE.test(code))
    return appellationsOf(code)
      .slice(0, limit)
      .map((a) => toMatch(ref, a));
  const words = query.split(' ').map((w) => ` ${w}`);
  const hits: { index: number; score: number }[] = [];
  ref.folded.forEach((label, index) => {
    if (words.every((w) => label.includes(w))) hits.push({ index, score: scoreOf(ref, index, query) });
  });
  hits.sort((a, b) => a.score - b.score || a.index - b.index);
  return hits.slice(0, limit).flatMap(({ index }) => {
    const a = ref.appellations[index];
    return a ? [toMatch(ref, a)] : [];
  });
}

function scoreOf(ref: RomeReferential, index: number, query: string): number {
  const label = ref.folded[index] ?? '';
  const a = ref.appellations[index];
  const prefix = label.startsWith(` ${query}`) ? 0 : 10_000;
  const rank = (a?.main ? 0 : 1_000) + (a?.rare ? 2_000 : 0);
  return prefix + rank + label.length;
}

const toMatch = (ref: RomeReferential, a: RomeAppellation): RomeMatch => ({
  romeCode: a.romeCode,
  romeLabel: ref.codes.get(a.romeCode)?.label ?? '',
  appellation: a,
});
