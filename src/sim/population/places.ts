/**
 * Where a synthetic person lives and was born: a population-weighted commune with one of its real
 * postal codes, a street address, and a birth place (commune in France, or country abroad) that
 * the NIR will encode.
 */
import type { Commune } from '../../referential/communes.js';
import type { NameOrigin } from './names.js';
import type { Rng } from './rng.js';
import { weightedTable } from './rng.js';
import type { PopulationTables } from './tables.js';

export interface Residence {
  commune: Commune;
  postalCode: string;
  addressLine: string;
}

export function drawResidence(rng: Rng, t: PopulationTables, departement?: string): Residence {
  const commune = (departement === undefined ? t.residences : t.residencesIn(departement)).sample(rng);
  const postalCode = t.postalCodeOf(rng, commune);
  return { commune, postalCode, addressLine: drawAddressLine(rng, commune) };
}

const STREET_TYPES = weightedTable<string>([
  ['rue', 55],
  ['avenue', 12],
  ['boulevard', 4],
  ['allée', 6],
  ['impasse', 5],
  ['chemin', 6],
  ['route', 5],
  ['place', 3],
  ['résidence', 2],
  ['square', 1],
  ['quai', 1],
  ['cours', 1],
]);

const STREET_NAMES: readonly string[] = [
  'de la République',
  'Victor Hugo',
  'Jean Jaurès',
  'du Général de Gaulle',
  'Pasteur',
  'de la Gare',
  "de l'Église",
  'des Écoles',
  'du Moulin',
  'des Lilas',
  'des Roses',
  'des Tilleuls',
  'des Acacias',
  'du Stade',
  'de la Mairie',
  'Gambetta',
  'Jules Ferry',
  'Anatole France',
  'Émile Zola',
  'de Verdun',
  'de la Paix',
  'de la Liberté',
  'du 8 Mai 1945',
  'du 11 Novembre',
  'Carnot',
  'Voltaire',
  'Jean Moulin',
  'Pierre Curie',
  'Marie Curie',
  'de Paris',
  'du Château',
  'du Port',
  'de la Fontaine',
  'des Vignes',
  'des Peupliers',
  'des Champs',
  'du Bois',
  'de la Forêt',
  'des Prés',
  'du Lavoir',
  'Saint-Martin',
  'Saint-Pierre',
  'Notre-Dame',
  'du Commerce',
  "de l'Industrie",
  'de la Croix',
  'des Jardins',
  'des Sports',
  'du Parc',
  'de la Poste',
  'Georges Clemenceau',
  'du Maréchal Foch',
  'du Maréchal Leclerc',
  'Aristide Briand',
  'Paul Vaillant-Couturier',
  'Salvador Allende',
  'Pablo Picasso',
  'Gabriel Péri',
  'Henri Barbusse',
  'Lamartine',
  'Molière',
  'Racine',
  "d'Alsace-Lorraine",
  'de la Résistance',
  'des Frères Lumière',
  'Simone Veil',
  'Nelson Mandela',
  'Georges Brassens',
  'Jacques Prévert',
  'Antoine de Saint-Exupéry',
  'des Cerisiers',
  'des Marronniers',
  'des Mimosas',
  'des Bleuets',
  'des Coquelicots',
  'des Hirondelles',
  'des Alouettes',
  'du Soleil',
  'des Mésanges',
  'de Bretagne',
  'de Lyon',
  'de la Mer',
  'des Pins',
  'des Chênes',
  'Louis Aragon',
  'Paul Éluard',
  'Édouard Herriot',
  'Léon Blum',
  'Camille Claudel',
];

const LOCALITIES: readonly string[] = [
  'Le Bourg',
  'La Croix Blanche',
  'Les Granges',
  'Le Moulin',
  'La Grange Neuve',
  'Les Vignes',
  'Le Mas',
  'La Ferme',
  'Le Hameau',
  'Les Bruyères',
];

/** "12 rue des Lilas", "4 bis avenue Jean Jaurès", or a locality (lieu-dit) in small villages. */
function drawAddressLine(rng: Rng, commune: Commune): string {
  if (commune.population < 800 && rng.chance(0.25)) return `lieu-dit ${rng.pick(LOCALITIES)}`;
  const number = 1 + Math.floor(rng.next() ** 2 * 140);
  const r = rng.next();
  const suffix = r < 0.03 ? ' bis' : r < 0.035 ? ' ter' : '';
  return `${number}${suffix} ${STREET_TYPES.sample(rng)} ${rng.pick(STREET_NAMES)}`;
}

/** INSEE country codes (code pays, 99xxx) of births abroad, by surname origin. */
const BIRTH_COUNTRIES: Readonly<Record<NameOrigin, readonly (readonly [string, number])[]>> = {
  common: [
    ['99109', 2],
    ['99131', 2],
    ['99127', 1],
    ['99134', 1],
    ['99139', 1],
    ['99140', 1],
    ['99114', 2],
    ['99122', 1],
    ['99155', 1],
    ['99132', 0.5],
    ['99404', 0.3],
    ['99410', 1],
    ['99333', 1],
    ['99390', 0.5],
    ['99252', 0.5],
    ['99206', 0.5],
    ['99212', 0.5],
    ['99397', 1],
    ['99350', 0.5],
  ],
  maghreb: [
    ['99352', 45],
    ['99350', 40],
    ['99351', 15],
  ],
  west_africa: [
    ['99341', 30],
    ['99335', 30],
    ['99326', 20],
    ['99330', 15],
    ['99336', 5],
  ],
  central_africa: [
    ['99312', 40],
    ['99324', 25],
    ['99322', 35],
  ],
  spanish: [['99134', 1]],
  portuguese: [['99139', 1]],
  turkish: [['99208', 1]],
  asian: [
    ['99243', 50],
    ['99216', 35],
    ['99234', 15],
  ],
};
const BIRTH_COUNTRY_TABLES = Object.fromEntries(
  Object.entries(BIRTH_COUNTRIES).map(([origin, rows]) => [origin, weightedTable(rows)]),
) as Record<NameOrigin, ReturnType<typeof weightedTable<string>>>;

const BORN_ABROAD: Readonly<Record<NameOrigin, number>> = {
  common: 0.04,
  maghreb: 0.35,
  west_africa: 0.5,
  central_africa: 0.5,
  spanish: 0.15,
  portuguese: 0.3,
  turkish: 0.35,
  asian: 0.35,
};

/** The birth place as the NIR encodes it: a commune's INSEE code, or 99 + country code. */
export function drawBirthPlace(
  rng: Rng,
  t: PopulationTables,
  origin: NameOrigin,
  birthYear: number,
  homeDepartement: string,
): string {
  const generation = birthYear < 1980 ? 1.5 : birthYear >= 2000 ? 0.6 : 1;
  if (rng.chance(BORN_ABROAD[origin] * generation)) return BIRTH_COUNTRY_TABLES[origin].sample(rng);
  const local = rng.chance(0.5);
  return (local ? t.residencesIn(homeDepartement) : t.residences).sample(rng).insee;
}
