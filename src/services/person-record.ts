import type { JobSeeker } from '../domain/person.js';
import type { PersonInsert } from '../storage/people-repo.js';
import { blindIndex } from '../vault/blind-index.js';
import type { KeyringSource } from '../vault/keyring.js';
import { sealPerson } from '../vault/seal.js';

const optionalIndex = (keys: KeyringSource, kind: 'email' | 'phone', value: string | null): Buffer | null =>
  value ? blindIndex(keys, kind, value) : null;

/** The stored form of a job seeker: identifying fields sealed under a fresh data key, blind indexes for lookups. */
export function personRecord(keys: KeyringSource, person: JobSeeker, now: number): PersonInsert {
  const sealed = sealPerson(keys, person.id, person.sealed);
  return {
    id: person.id,
    key_version: sealed.keyVersion,
    wrapped_key: sealed.wrappedKey,
    bi_identifier: blindIndex(keys, 'identifier', person.sealed.identity.identifier),
    bi_email: optionalIndex(keys, 'email', person.sealed.contact.email),
    bi_phone: optionalIndex(keys, 'phone', person.sealed.contact.phone),
    bi_nir: blindIndex(keys, 'nir', person.sealed.nir.nir),
    s_identity: sealed.groups.identity,
    s_birth: sealed.groups.birth,
    s_nir: sealed.groups.nir,
    s_address: sealed.groups.address,
    s_contact: sealed.groups.contact,
    departement: person.departement,
    education_level: person.educationLevel,
    driving_licences: person.drivingLicences.join(','),
    vehicle: person.vehicle ? 1 : 0,
    rome_codes: person.romeCodes.join(','),
    category: person.category,
    status: person.status,
    registered_on: person.registeredOn,
    struck_off_on: person.struckOffOn,
    agency_id: person.agencyId,
    adviser_id: person.adviserId,
    created_at: now,
    updated_at: now,
    erased_at: null,
  };
}
