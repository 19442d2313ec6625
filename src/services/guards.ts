/**
 * What every use case checks first: the reader's role (what they may do) and the organisation or
 * person they act for. Whom they may see is decided by relationships, in the queries and in the gate.
 */
import { parisDate } from '../domain/clock.js';
import type { Clock } from '../domain/clock.js';
import type { IsoDate } from '../domain/dates.js';
import { forbidden } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import type { Reader } from '../disclosure/reader.js';

const roleForbidden = () => forbidden('AUTH.ROLE_FORBIDDEN', 'Cette action n’est pas ouverte à votre profil.');

/** The reader's organisation id, if the reader has one of `roles`; AUTH.ROLE_FORBIDDEN (403) otherwise. */
export function requireStaff(reader: Reader, ...roles: Role[]): string {
  if (!roles.includes(reader.role) || reader.organisationId === null) throw roleForbidden();
  return reader.organisationId;
}

/** The person a job seeker is; AUTH.ROLE_FORBIDDEN (403) for any other account. */
export function requireJobSeeker(reader: Reader): string {
  if (reader.role !== 'job_seeker' || reader.personId === null) throw roleForbidden();
  return reader.personId;
}

/** Today in France: the calendar date rules are written against. */
export const today = (clock: Clock): IsoDate => parisDate(clock.now());
