import type { ClearField, PersonalField, SealedGroup } from '../domain/fields.js';
import { groupOf } from '../domain/fields.js';
import type { ClearPersonFields } from '../domain/person.js';
import type { PersonTable } from '../storage/schema.js';

/** Column of each clear field, and how a stored value becomes the domain value. */
export const CLEAR_COLUMNS: Readonly<Record<ClearField, keyof PersonTable>> = {
  departement: 'departement',
  educationLevel: 'education_level',
  drivingLicences: 'driving_licences',
  vehicle: 'vehicle',
  romeCodes: 'rome_codes',
  category: 'category',
  status: 'status',
  registeredOn: 'registered_on',
  struckOffOn: 'struck_off_on',
  agencyId: 'agency_id',
  adviserId: 'adviser_id',
};

const list = (v: unknown): string[] => (typeof v === 'string' && v.length > 0 ? v.split(',') : []);

const DECODERS: Partial<Record<ClearField, (v: unknown) => unknown>> = {
  drivingLicences: list,
  romeCodes: list,
  vehicle: (v) => v === 1 || v === true,
};

export function decodeClear<F extends ClearField>(field: F, value: unknown): ClearPersonFields[F] {
  const decode = DECODERS[field];
  return (decode ? decode(value) : value) as ClearPersonFields[F];
}

export const SEALED_COLUMNS: Readonly<Record<SealedGroup, keyof PersonTable>> = {
  identity: 's_identity',
  birth: 's_birth',
  nir: 's_nir',
  address: 's_address',
  contact: 's_contact',
};

/** What to read for a set of fields: the sealed groups to decrypt and the clear fields to copy. */
export interface ReadPlan {
  readonly groups: readonly SealedGroup[];
  readonly clear: readonly ClearField[];
  readonly sealedFields: readonly PersonalField[];
  /** The same, as a set (looked up per field of every person disclosed). */
  readonly sealedSet: ReadonlySet<string>;
  readonly key: string;
}

/**
 * Plans are derived once per field list: the presenters' lists are constant arrays, so the hot
 * path (one disclosure per request) finds its plan by identity instead of re-deriving it.
 */
const plans = new WeakMap<readonly PersonalField[], ReadPlan>();

export function readPlan(fields: readonly PersonalField[]): ReadPlan {
  let plan = plans.get(fields);
  if (!plan) {
    plan = derivePlan(fields);
    plans.set(fields, plan);
  }
  return plan;
}

function derivePlan(fields: readonly PersonalField[]): ReadPlan {
  const groups = new Set<SealedGroup>();
  const clear: ClearField[] = [];
  const sealedFields: PersonalField[] = [];
  for (const f of fields) {
    const g = groupOf(f);
    if (g) {
      groups.add(g);
      sealedFields.push(f);
    } else clear.push(f as ClearField);
  }
  const sortedGroups = [...groups].sort();
  return {
    groups: sortedGroups,
    clear,
    sealedFields,
    sealedSet: new Set(sealedFields),
    key: `${sortedGroups.join('+')}|${[...clear].sort().join('+')}`,
  };
}
