/**
 * Where the seeded organisations stand. Agencies are spread over départements in proportion to
 * their population (every département gets one once there are enough agencies), in real communes
 * drawn by population (Paris, Lyon and Marseille by arrondissement). Other organisations are hosted
 * in the commune of an agency, and each agency is served by the nearest of them: same commune, same
 * département, same region, else the largest.
 */
import type { Commune } from '../../referential/communes.js';
import { allDepartements, arrondissementsOf, residenceCommunes } from '../../referential/communes.js';
import type { Rng } from '../population/rng.js';

export interface AgencySite {
  readonly commune: Commune;
  /** Share of the population this agency serves. */
  readonly weight: number;
}

interface DepartementSites {
  population: number;
  communes: Commune[];
}

/** Current communes, with the three cities divided into municipal arrondissements, by département. */
function sitesByDepartement(): Map<string, DepartementSites> {
  const groups = new Map<string, DepartementSites>();
  for (const commune of residenceCommunes()) {
    const parts = arrondissementsOf(commune.insee);
    for (const site of parts.length > 0 ? parts : [commune]) {
      const group = groups.get(site.departement) ?? { population: 0, communes: [] };
      group.population += site.population;
      group.communes.push(site);
      groups.set(site.departement, group);
    }
  }
  return groups;
}

/** `k` distinct items drawn with probability proportional to weight (Efraimidis–Spirakis keys). */
export function drawDistinct<T>(rng: Rng, items: readonly T[], weight: (item: T) => number, k: number): T[] {
  const keyed = items.map((item) => ({ item, key: Math.log(1 - rng.next()) / Math.max(weight(item), 1e-9) }));
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, k).map((entry) => entry.item);
}

/** Slots per département: one each when there are enough, the rest by largest remainder. */
function allocate(rng: Rng, groups: Map<string, DepartementSites>, count: number): Map<string, number> {
  const codes = [...groups.keys()];
  const population = (code: string): number => groups.get(code)?.population ?? 0;
  if (count < codes.length) return new Map(drawDistinct(rng, codes, population, count).map((code) => [code, 1]));
  const total = codes.reduce((sum, code) => sum + population(code), 0);
  const spare = count - codes.length;
  const shares = codes.map((code) => ({ code, exact: (spare * population(code)) / total }));
  const slots = new Map(shares.map((s) => [s.code, 1 + Math.floor(s.exact)]));
  const left = spare - shares.reduce((sum, s) => sum + Math.floor(s.exact), 0);
  shares.sort(
    (a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.code.localeCompare(b.code),
  );
  for (const s of shares.slice(0, left)) slots.set(s.code, (slots.get(s.code) ?? 0) + 1);
  return slots;
}

/** Agencies stand in towns: communes of 10,000 inhabitants or more, else the département's largest. */
const TOWN = 10_000;

function townsOf(group: DepartementSites, k: number): Commune[] {
  const towns = group.communes.filter((c) => c.population >= TOWN);
  if (towns.length >= k) return towns;
  return [...group.communes].sort((a, b) => b.population - a.population).slice(0, Math.max(k, towns.length));
}

/** `count` agencies in distinct communes, heaviest first. */
export function placeAgencies(rng: Rng, count: number): AgencySite[] {
  const groups = sitesByDepartement();
  const sites: AgencySite[] = [];
  const slots = allocate(rng, groups, count);
  const covered = [...slots.keys()].reduce((sum, code) => sum + (groups.get(code)?.population ?? 0), 0);
  for (const [code, k] of slots) {
    const group = groups.get(code);
    if (!group) continue;
    for (const commune of drawDistinct(rng, townsOf(group, k), (c) => c.population, k)) {
      sites.push({ commune, weight: group.population / k / covered });
    }
  }
  return sites.sort((a, b) => b.weight - a.weight || a.commune.insee.localeCompare(b.commune.insee));
}

/** Agencies (by index) hosting `count` organisations: drawn by weight, every agency once before any twice. */
export function hostAgencies(rng: Rng, agencies: readonly AgencySite[], count: number): number[] {
  const indexes = agencies.map((_, i) => i);
  const hosts: number[] = [];
  while (hosts.length < count) {
    const k = Math.min(count - hosts.length, indexes.length);
    hosts.push(...drawDistinct(rng, indexes, (i) => agencies[i]?.weight ?? 0, k));
  }
  return hosts;
}

const regionOf = (() => {
  let regions: Map<string, string> | undefined;
  return (departement: string): string | undefined => {
    regions ??= new Map(allDepartements().map((d) => [d.code, d.region]));
    return regions.get(departement);
  };
})();

/**
 * For each agency, the index of the organisation serving it among those hosted at `hosts`: its own,
 * else one in its département, else in its region, else the first (hosted by the heaviest agency).
 */
export function servingOrganisation(agencies: readonly AgencySite[], hosts: readonly number[]): number[] {
  const departementOf = (agency: number): string => agencies[agency]?.commune.departement ?? '';
  return agencies.map((agency, a) => {
    const own = hosts.indexOf(a);
    if (own >= 0) return own;
    const sameDepartement = hosts.flatMap((h, o) => (departementOf(h) === agency.commune.departement ? [o] : []));
    const candidates =
      sameDepartement.length > 0
        ? sameDepartement
        : hosts.flatMap((h, o) => (regionOf(departementOf(h)) === regionOf(agency.commune.departement) ? [o] : []));
    return candidates.length > 0 ? (candidates[a % candidates.length] ?? 0) : 0;
  });
}
