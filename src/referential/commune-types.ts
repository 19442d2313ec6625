/** Shapes of the administrative referential and their validation from the package's JSON. */

export const COMMUNE_KINDS = [
  'commune-actuelle',
  'commune-deleguee',
  'commune-associee',
  'arrondissement-municipal',
] as const;
export type CommuneKind = (typeof COMMUNE_KINDS)[number];

export interface Commune {
  insee: string; // code officiel géographique, e.g. 75056, 2A004
  name: string;
  departement: string; // "75", "2A", "971"
  postalCodes: readonly string[];
  population: number;
  kind: CommuneKind;
  /** For a municipal arrondissement, its commune (75101 → 75056); else null. */
  parentInsee: string | null;
}

export interface Departement {
  code: string;
  name: string;
  region: string;
  zone: string; // metro | drom | com
}

export interface WeightedPostalCode {
  postalCode: string;
  weight: number;
}

type Raw = Record<string, unknown>;

const asRecord = (raw: unknown): Raw => {
  if (typeof raw !== 'object' || raw === null) throw new Error('decoupage-administratif: expected an object');
  return raw as Raw;
};

function text(record: Raw, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Error(`decoupage-administratif: field ${key} is not a string`);
  return value;
}

const isKind = (s: string): s is CommuneKind => (COMMUNE_KINDS as readonly string[]).includes(s);

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function toCommune(raw: unknown): Commune {
  const r = asRecord(raw);
  const kind = text(r, 'type');
  if (!isKind(kind)) throw new Error(`decoupage-administratif: unknown commune type ${kind}`);
  return {
    insee: text(r, 'code'),
    name: text(r, 'nom'),
    departement: text(r, 'departement'),
    postalCodes: stringList(r['codesPostaux']),
    population: typeof r['population'] === 'number' ? r['population'] : 0,
    kind,
    parentInsee: typeof r['commune'] === 'string' ? r['commune'] : null,
  };
}

export function toDepartement(raw: unknown): Departement {
  const r = asRecord(raw);
  return { code: text(r, 'code'), name: text(r, 'nom'), region: text(r, 'region'), zone: text(r, 'zone') };
}
