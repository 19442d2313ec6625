/**
 * Personal fields of a job seeker (demandeur d'emploi) and how they are grouped for encryption.
 * A group is the unit of decryption: the gate decrypts a group only when a granted field needs it.
 * Clear fields are stored unencrypted because reports and recruiter search filter on them, but they
 * are still personal data once tied to a person and leave storage only through the gate.
 */
export const SEALED_GROUPS = {
  identity: ['identifier', 'civility', 'lastName', 'birthName', 'firstNames'],
  birth: ['birthDate'],
  nir: ['nir'],
  address: ['addressLine', 'postalCode', 'communeInsee', 'communeName'],
  contact: ['email', 'phone'],
} as const;

export type SealedGroup = keyof typeof SEALED_GROUPS;
export type SealedField = (typeof SEALED_GROUPS)[SealedGroup][number];

export const CLEAR_FIELDS = [
  'departement',
  'educationLevel',
  'drivingLicences',
  'vehicle',
  'romeCodes',
  'category',
  'status',
  'registeredOn',
  'struckOffOn',
  'agencyId',
  'adviserId',
] as const;
export type ClearField = (typeof CLEAR_FIELDS)[number];

export type PersonalField = SealedField | ClearField;

export const SEALED_GROUP_NAMES = Object.keys(SEALED_GROUPS) as SealedGroup[];

const groupOfField = new Map<string, SealedGroup>(
  SEALED_GROUP_NAMES.flatMap((g) => SEALED_GROUPS[g].map((f) => [f, g] as const)),
);

/** The sealed group holding a field, or undefined for a clear field. */
export const groupOf = (field: PersonalField): SealedGroup | undefined => groupOfField.get(field);

export const ALL_PERSONAL_FIELDS: readonly PersonalField[] = [
  ...SEALED_GROUP_NAMES.flatMap((g) => SEALED_GROUPS[g]),
  ...CLEAR_FIELDS,
];

/** Fields whose disclosure identifies or lets one contact the person (counted as "exposed"). */
export const IDENTIFYING_FIELDS: ReadonlySet<PersonalField> = new Set<PersonalField>([
  'identifier',
  'lastName',
  'birthName',
  'firstNames',
  'birthDate',
  'nir',
  'addressLine',
  'email',
  'phone',
]);

const PERSONAL_FIELD_SET: ReadonlySet<string> = new Set<string>(ALL_PERSONAL_FIELDS);
export const isPersonalField = (s: string): s is PersonalField => PERSONAL_FIELD_SET.has(s);

/** Each field as a person reads it (their access history, notifications). */
export const FIELD_LABELS: Readonly<Record<PersonalField, string>> = {
  identifier: 'identifiant France Travail',
  civility: 'civilité',
  lastName: 'nom d’usage',
  birthName: 'nom de naissance',
  firstNames: 'prénoms',
  birthDate: 'date de naissance',
  nir: 'numéro de sécurité sociale',
  addressLine: 'adresse',
  postalCode: 'code postal',
  communeInsee: 'commune (code INSEE)',
  communeName: 'commune',
  email: 'adresse électronique',
  phone: 'téléphone',
  departement: 'département',
  educationLevel: 'niveau de formation',
  drivingLicences: 'permis de conduire',
  vehicle: 'véhicule',
  romeCodes: 'métiers recherchés',
  category: 'catégorie d’inscription',
  status: 'situation d’inscription',
  registeredOn: 'date d’inscription',
  struckOffOn: 'date de radiation',
  agencyId: 'agence',
  adviserId: 'conseiller',
};
