import type { PersonalField } from '../domain/fields.js';
import { ALL_PERSONAL_FIELDS } from '../domain/fields.js';
import type { Purpose } from '../domain/purposes.js';
import type { Role } from '../domain/roles.js';

/**
 * Which fields each role receives for each purpose: a whitelist, so that a new column cannot
 * leak by default. A purpose absent for a role is closed (the policy table says the same).
 */
type FieldList = readonly PersonalField[];

const NAME: FieldList = ['identifier', 'civility', 'lastName', 'firstNames'];
const CONTACT: FieldList = ['email', 'phone'];
const ADDRESS: FieldList = ['addressLine', 'postalCode', 'communeInsee', 'communeName'];
const PROFILE: FieldList = ['departement', 'educationLevel', 'drivingLicences', 'vehicle', 'romeCodes'];
const REGISTRATION: FieldList = ['category', 'status', 'registeredOn', 'struckOffOn', 'agencyId', 'adviserId'];

export const PRESENTERS: Readonly<Record<Role, Partial<Record<Purpose, FieldList>>>> = {
  trainer: {
    // Declaring entry, attendance and exit needs a name and an identifier, nothing more.
    training_followup: [...NAME, 'status'],
    training_contact: [...NAME, ...CONTACT],
  },
  adviser: {
    portfolio_followup: ALL_PERSONAL_FIELDS.filter((f) => f !== 'nir'),
    agency_lookup: [...NAME, 'birthName', 'birthDate', ...CONTACT, ...REGISTRATION],
    prescription: [...NAME, ...PROFILE, 'category', 'status'],
  },
  partner_adviser: {
    co_management: [
      ...NAME,
      'birthName',
      'birthDate',
      ...ADDRESS,
      ...CONTACT,
      ...PROFILE,
      'category',
      'status',
      'registeredOn',
    ],
  },
  recruiter: {
    // Pseudonymised: no name, contact, birth date or NIR.
    candidate_search: PROFILE,
    candidate_contact: ['civility', 'lastName', 'firstNames', ...CONTACT, ...PROFILE],
  },
  job_seeker: {
    self_service: ALL_PERSONAL_FIELDS.filter((f) => f !== 'adviserId' && f !== 'agencyId'),
  },
  account_manager: {},
  security_officer: {
    // Whom to tell and where: a name for the letter, the postal address, the e-mail address.
    breach_response: [...NAME, ...ADDRESS, 'email'],
  },
};

/** The fields this role may receive for this purpose, or undefined if the purpose is closed to it. */
export const allowedFields = (role: Role, purpose: Purpose): FieldList | undefined => PRESENTERS[role][purpose];
