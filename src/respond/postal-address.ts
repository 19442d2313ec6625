/**
 * A French postal address block as La Poste reads it (norme NF Z 10-011): at most six lines of at
 * most 38 characters, capitals without accents or punctuation, the last line « CODE POSTAL
 * LOCALITÉ ». Paris, Lyon and Marseille arrondissements are a postal code, not a locality.
 */
export const MAX_LINE = 38;

const plain = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’'.,;:]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase()
    .slice(0, MAX_LINE)
    .trim();

const locality = (commune: string): string => commune.replace(/\s+\d+(er|e|ème)?\s+arrondissement$/i, '');

export interface PostalAddress {
  readonly civility?: string;
  readonly firstNames?: string;
  readonly lastName?: string;
  readonly addressLine?: string;
  readonly postalCode?: string;
  readonly communeName?: string;
}

const CIVILITY: Readonly<Record<string, string>> = { M: 'Monsieur', MME: 'Madame' };

/** The block's lines, or null when the address is incomplete (no letter can be sent). */
export function postalBlock(a: PostalAddress): string[] | null {
  if (!a.lastName || !a.addressLine || !a.postalCode || !a.communeName) return null;
  const name = [CIVILITY[a.civility ?? ''] ?? '', a.firstNames?.split(/[ ,]/)[0] ?? '', a.lastName].join(' ');
  return [plain(name), plain(a.addressLine), plain(`${a.postalCode} ${locality(a.communeName)}`)];
}

/** « Madame » or « Monsieur », for the salutation; null when the civility is unknown (« Madame, Monsieur »). */
export const salutationOf = (a: PostalAddress): string | null => CIVILITY[a.civility ?? ''] ?? null;
