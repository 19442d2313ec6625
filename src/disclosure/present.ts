import type { SealedGroup } from '../domain/fields.js';
import { SEALED_GROUPS } from '../domain/fields.js';
import type { KeyringSource } from '../vault/keyring.js';
import { openGroups } from '../vault/open.js';
import { CLEAR_COLUMNS, decodeClear, SEALED_COLUMNS } from './person-columns.js';
import type { ReadPlan } from './person-columns.js';
import type { PersonRow } from './person-query.js';
import type { DisclosedPerson, PersonView } from './types.js';

/** Decrypts the plan's groups of one row and keeps exactly the plan's fields. */
export function present(keys: KeyringSource, row: PersonRow, plan: ReadPlan, masked: boolean): DisclosedPerson {
  const fields: Record<string, unknown> = {};
  if (plan.groups.length > 0) {
    const blobs: Partial<Record<SealedGroup, Uint8Array | null>> = {};
    for (const g of plan.groups) blobs[g] = row[SEALED_COLUMNS[g]] as Uint8Array | null;
    const opened = openGroups(keys, { id: row.id, keyVersion: row.key_version, wrappedKey: row.wrapped_key }, blobs);
    const wanted = plan.sealedSet;
    for (const g of plan.groups) {
      const values = opened[g] as Record<string, unknown> | undefined;
      for (const f of SEALED_GROUPS[g]) if (wanted.has(f) && values) fields[f] = values[f];
    }
  }
  for (const f of plan.clear) fields[f] = decodeClear(f, row[CLEAR_COLUMNS[f]]);
  return { id: row.id, fields: fields as Partial<PersonView>, masked };
}
