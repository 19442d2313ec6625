import type { SealedGroup } from './fields.js';

/** Registration category (catégorie d'inscription), A to G. */
export const CATEGORIES = ['A', 'B', 'C', 'D', 'E', 'F', 'G'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Registration status: registered (inscrit) or struck off (radié / sorti des listes). */
export const PERSON_STATUSES = ['registered', 'struck_off'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** Education level (niveau de formation), French national nomenclature of 2019 (niveaux 1 à 8) and "none". */
export const EDUCATION_LEVELS = ['none', '3', '4', '5', '6', '7', '8'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

/** Driving licence categories (permis de conduire). */
export const DRIVING_LICENCES = ['AM', 'A1', 'A2', 'A', 'B', 'BE', 'C1', 'C', 'CE', 'D1', 'D', 'DE'] as const;
export type DrivingLicence = (typeof DRIVING_LICENCES)[number];

export const CIVILITIES = ['M', 'MME'] as const;
export type Civility = (typeof CIVILITIES)[number];

/** Identifying fields, stored encrypted, one sealed blob per group (see fields.ts). */
export interface SealedPersonFields {
  identity: {
    identifier: string; // identifiant France Travail, 7 digits + 1 letter, random
    civility: Civility;
    lastName: string; // nom d'usage
    birthName: string; // nom de naissance
    firstNames: string; // prénoms
  };
  birth: { birthDate: string }; // YYYY-MM-DD
  nir: { nir: string }; // numéro de sécurité sociale, 15 characters with its key
  address: { addressLine: string; postalCode: string; communeInsee: string; communeName: string };
  contact: { email: string | null; phone: string | null };
}

/** Attributes kept in clear for filtering; still personal data once tied to a person. */
export interface ClearPersonFields {
  departement: string; // code du département, e.g. "75", "2A", "971"
  educationLevel: EducationLevel;
  drivingLicences: DrivingLicence[];
  vehicle: boolean;
  romeCodes: string[]; // ROME v4.60 codes sought, e.g. ["M1805"]
  category: Category;
  status: PersonStatus;
  registeredOn: string; // YYYY-MM-DD
  struckOffOn: string | null;
  agencyId: string;
  adviserId: string | null;
}

/** A job seeker (demandeur d'emploi) as the domain knows them, fully in clear. Never logged. */
export interface JobSeeker extends ClearPersonFields {
  id: string; // internal random id (UUID), used in API paths
  sealed: SealedPersonFields;
}

export type SealedGroupValue<G extends SealedGroup> = SealedPersonFields[G];
