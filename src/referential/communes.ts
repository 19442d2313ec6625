/**
 * French communes and postal codes, from the package @etalab/decoupage-administratif (INSEE's
 * Code officiel géographique with La Poste's postal codes). Loaded once, synchronously, at first use.
 */
import type { AppError } from '../domain/errors.js';
import { invalid } from '../domain/errors.js';
import { readPackageJson } from './data-files.js';
import type { Commune, CommuneKind, Departement, WeightedPostalCode } from './commune-types.js';
import { toCommune, toDepartement } from './commune-types.js';

export type { Commune, CommuneKind, Departement, WeightedPostalCode } from './commune-types.js';

/** Overseas collectivities without France Travail agencies (TAAF, Wallis-et-Futuna, Polynésie, Nouvelle-Calédonie, Clipperton). */
const NOT_SERVED = new Set(['984', '986', '987', '988', '989']);
const KIND_PRIORITY: Readonly<Record<CommuneKind, number>> = {
  'commune-actuelle': 0,
  'arrondissement-municipal': 1,
  'commune-deleguee': 2,
  'commune-associee': 3,
};

interface CommuneReferential {
  byInsee: ReadonlyMap<string, Commune>;
  byPostalCode: ReadonlyMap<string, readonly Commune[]>;
  arrondissements: ReadonlyMap<string, readonly Commune[]>;
  departements: readonly Departement[];
  residences: readonly Commune[];
}

let loaded: CommuneReferential | undefined;
const communes = (): CommuneReferential => (loaded ??= loadCommunes());

function loadCommunes(): CommuneReferential {
  const all = asArray(readPackageJson('@etalab/decoupage-administratif/data/communes.json')).map(toCommune);
  const departements = asArray(readPackageJson('@etalab/decoupage-administratif/data/departements.json')).map(
    toDepartement,
  );
  const current = all.filter((c) => c.kind === 'commune-actuelle');
  return {
    byInsee: indexByInsee(all),
    byPostalCode: groupBy(current, (c) => c.postalCodes),
    arrondissements: groupBy(
      all.filter((c) => c.kind === 'arrondissement-municipal'),
      (c) => (c.parentInsee ? [c.parentInsee] : []),
    ),
    departements,
    residences: current.filter((c) => c.population > 0 && c.postalCodes.length > 0 && !NOT_SERVED.has(c.departement)),
  };
}

function asArray(raw: unknown): unknown[] {
  if (!Array.isArray(raw)) throw new Error('decoupage-administratif: expected an array');
  return raw;
}

/** One commune per INSEE code: a current commune wins over a delegated one sharing its code. */
function indexByInsee(all: readonly Commune[]): Map<string, Commune> {
  const index = new Map<string, Commune>();
  for (const c of all) {
    const known = index.get(c.insee);
    if (!known || KIND_PRIORITY[c.kind] < KIND_PRIORITY[known.kind]) index.set(c.insee, c);
  }
  return index;
}

function groupBy(items: readonly Commune[], keys: (c: Commune) => readonly string[]): Map<string, Commune[]> {
  const groups = new Map<string, Commune[]>();
  for (const item of items) {
    for (const key of keys(item)) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

/** A commune by INSEE code (code commune, e.g. 75056, 2A004, 97101); also finds municipal arrondissements (75101) and former communes. */
export const communeByInsee = (insee: string): Commune | undefined => communes().byInsee.get(insee);

/** Current communes served by a postal code (75001 → Paris; 01400 → several villages). */
export const communesOfPostalCode = (postalCode: string): readonly Commune[] =>
  communes().byPostalCode.get(postalCode) ?? [];

/** Municipal arrondissements of Paris, Lyon and Marseille (75101…75120); empty for other communes. */
export const arrondissementsOf = (insee: string): readonly Commune[] => communes().arrondissements.get(insee) ?? [];

/** The département code of a commune ("75", "2A", "971"), or undefined for an unknown code. */
export const departementOf = (insee: string): string | undefined => communeByInsee(insee)?.departement;

export const allDepartements = (): readonly Departement[] => communes().departements;

/** Current communes where job seekers may live, each weighted by its population (for sampling). */
export const residenceCommunes = (): readonly Commune[] => communes().residences;

/** Null when the postal code serves the commune, else COMMUNE.UNKNOWN or COMMUNE.POSTAL_CODE_MISMATCH. */
export function checkPostalCode(insee: string, postalCode: string): AppError | null {
  const commune = communeByInsee(insee);
  if (!commune) return invalid('COMMUNE.UNKNOWN', 'Cette commune est inconnue (code INSEE).');
  if (commune.postalCodes.includes(postalCode)) return null;
  return invalid('COMMUNE.POSTAL_CODE_MISMATCH', `Le code postal ne correspond pas à la commune ${commune.name}.`);
}

/**
 * Postal codes of a commune with sampling weights: by arrondissement population for Paris, Lyon
 * and Marseille, evenly otherwise.
 */
export function postalCodeWeights(insee: string): readonly WeightedPostalCode[] {
  const arrondissements = arrondissementsOf(insee);
  if (arrondissements.length > 0) {
    return arrondissements.flatMap((a) =>
      a.postalCodes.map((postalCode) => ({ postalCode, weight: a.population / a.postalCodes.length })),
    );
  }
  return (communeByInsee(insee)?.postalCodes ?? []).map((postalCode) => ({ postalCode, weight: 1 }));
}
