import { randomUUID } from 'node:crypto';
import type { JobSeeker } from '../domain/person.js';
import type { Db } from '../storage/database.js';
import { insertPeople } from '../storage/people-repo.js';
import type { KeyringSource } from '../vault/keyring.js';
import { keyringFromDocument, newKeyDocument } from '../vault/keyring.js';
import { personRecord } from '../services/person-record.js';

export const testKeyring = (): KeyringSource => keyringFromDocument(newKeyDocument());

let counter = 0;

/** A plausible job seeker with unique identifying values; override what the test cares about. */
export function sampleJobSeeker(agencyId: string, overrides: Partial<JobSeeker> = {}): JobSeeker {
  counter += 1;
  const n = String(counter).padStart(4, '0');
  return {
    id: randomUUID(),
    sealed: {
      identity: {
        identifier: `${String(1000000 + counter).slice(-7)}K`,
        civility: 'MME',
        lastName: `Testnom${n}`,
        birthName: `Testnaissance${n}`,
        firstNames: `Prénom${n}`,
      },
      birth: { birthDate: '1990-04-12' },
      nir: { nir: '290047511204567' },
      address: {
        addressLine: `${counter} rue des Essais`,
        postalCode: '75011',
        communeInsee: '75111',
        communeName: 'Paris 11e Arrondissement',
      },
      contact: { email: `personne${n}@exemple.fr`, phone: `+3361234${n}` },
    },
    departement: '75',
    educationLevel: '4',
    drivingLicences: ['B'],
    vehicle: true,
    romeCodes: ['M1805'],
    category: 'A',
    status: 'registered',
    registeredOn: '2026-01-05',
    struckOffOn: null,
    agencyId,
    adviserId: null,
    ...overrides,
  };
}

export async function insertJobSeekers(
  db: Db,
  keys: KeyringSource,
  people: readonly JobSeeker[],
  now = Date.now(),
): Promise<void> {
  await insertPeople(
    db,
    people.map((p) => personRecord(keys, p, now)),
  );
}
