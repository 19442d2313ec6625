/**
 * The canaries the budget step watches for: synthetic job seekers, stored like everyone (planted by
 * services/canaries.ts, which seals them through the vault), each mapped to the organisation,
 * credential or export it was planted for, so that a canary seen anywhere names its source.
 */
import type { Selectable } from 'kysely';
import type { DbOrTx } from '../storage/database.js';
import type { CanaryTable } from '../storage/schema.js';

export const CANARY_PLACEMENTS = ['training', 'agency', 'recruiter', 'export'] as const;
export type CanaryPlacement = (typeof CANARY_PLACEMENTS)[number];

export interface Canary {
  readonly personId: string;
  readonly placement: CanaryPlacement;
  readonly organisationId: string | null;
  readonly accountId: string | null;
  readonly exportId: string | null;
  readonly label: string;
  readonly plantedAt: number;
}

export const toCanary = (r: Selectable<CanaryTable>): Canary => ({
  personId: r.person_id,
  placement: r.placement as CanaryPlacement,
  organisationId: r.organisation_id,
  accountId: r.account_id,
  exportId: r.export_id,
  label: r.label,
  plantedAt: r.planted_at,
});

export async function insertCanary(db: DbOrTx, c: Canary): Promise<void> {
  await db
    .insertInto('canaries')
    .values({
      person_id: c.personId,
      placement: c.placement,
      organisation_id: c.organisationId,
      account_id: c.accountId,
      export_id: c.exportId,
      label: c.label,
      planted_at: c.plantedAt,
    })
    .execute();
}

export async function loadCanaries(db: DbOrTx): Promise<Map<string, Canary>> {
  const rows = await db.selectFrom('canaries').selectAll().execute();
  return new Map(rows.map((r) => [r.person_id, toCanary(r)]));
}

/** The canary with this person id, or undefined: who it was planted for. */
export async function canaryOf(db: DbOrTx, personId: string): Promise<Canary | undefined> {
  const row = await db.selectFrom('canaries').selectAll().where('person_id', '=', personId).executeTakeFirst();
  return row && toCanary(row);
}

/** A disclosure of its own export's canary is expected: the export's request id is its export id. */
export const expectedFor = (c: Canary, requestId: string): boolean => c.exportId !== null && c.exportId === requestId;
