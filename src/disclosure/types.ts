import type { PersonalField } from '../domain/fields.js';
import type { ClearPersonFields, SealedPersonFields } from '../domain/person.js';
import type { Purpose } from '../domain/purposes.js';
import type { Reader } from './reader.js';

/** Every personal field, flattened: what a presenter may hand out (a subset of it). */
export type PersonView = SealedPersonFields['identity'] &
  SealedPersonFields['birth'] &
  SealedPersonFields['nir'] &
  SealedPersonFields['address'] &
  SealedPersonFields['contact'] &
  ClearPersonFields;

/** One person as disclosed: their internal id and only the granted fields. */
export interface DisclosedPerson {
  readonly id: string;
  readonly fields: Partial<PersonView>;
  /** True when the budget step masked identifying fields (detection). */
  readonly masked: boolean;
}

export interface DisclosureRequest {
  readonly reader: Reader;
  readonly purpose: Purpose;
  /** Internal person ids. Duplicates are ignored. At most MAX_PEOPLE_PER_DISCLOSURE. */
  readonly people: readonly string[];
  /** Fields wanted; default: all the presenter allows for this role and purpose. */
  readonly fields?: readonly PersonalField[];
  /** Free-text justification, required for some purposes (agency_lookup); recorded. */
  readonly reason?: string;
}

export const MAX_PEOPLE_PER_DISCLOSURE = 200;

/** The one gate through which personal data leaves storage (see gate.ts). */
export interface Gate {
  /** Discloses the people this reader may see for this purpose; the others are simply absent. */
  disclose(request: DisclosureRequest): Promise<DisclosedPerson[]>;
  /** One person; AppError PERSON.NOT_FOUND (404) if absent or not disclosable: the two are indistinguishable. */
  discloseOne(request: Omit<DisclosureRequest, 'people'> & { readonly person: string }): Promise<DisclosedPerson>;
}

const GATE_MISS = Symbol('vigie.gateMiss');

/** Marks a not-found the gate answered: it has told detection already (budget `miss`). */
export const asGateMiss = <E extends Error>(error: E): E => Object.assign(error, { [GATE_MISS]: true });

/** Whether detection already counted this not-found (so the HTTP layer does not count it twice). */
export const isGateMiss = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && GATE_MISS in error;
