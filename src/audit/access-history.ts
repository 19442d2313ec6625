/**
 * A person's own access history: who read their file, when, for what and which fields, from the
 * disclosure log. Readers are named by their organisation and role, never by the agent's name or
 * account (the person learns that "Agence France Travail Anzin, conseiller" opened their file, not
 * who sat at the desk); the security officer holds the rest.
 */
import type { Db } from '../storage/database.js';

export interface AccessEntry {
  readonly at: number;
  readonly organisationId: string | null;
  readonly organisationName: string | null;
  readonly organisationKind: string | null;
  readonly role: string | null;
  /** True when the person read their own file (their space, the e-mailed sign-in code). */
  readonly self: boolean;
  readonly purpose: string;
  readonly fields: readonly string[];
  readonly reason: string | null;
}

export interface AccessPage {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly items: AccessEntry[];
}

/** Newest first. `readerAccountId`: the person's own account, to tell their own reads apart. */
export async function accessHistory(
  db: Db,
  personId: string,
  readerAccountId: string | null,
  page: number,
  pageSize: number,
): Promise<AccessPage> {
  const total = await db
    .selectFrom('disclosures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('disclosures as d')
    .leftJoin('accounts as a', 'a.id', 'd.reader_id')
    .leftJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select([
      'd.at',
      'd.reader_id',
      'd.organisation_id',
      'd.purpose',
      'd.fields',
      'd.reason',
      'a.role',
      'o.name as organisation_name',
      'o.kind as organisation_kind',
    ])
    .where('d.person_id', '=', personId)
    .orderBy('d.at', 'desc')
    .orderBy('d.seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    page,
    pageSize,
    total: Number(total.n),
    items: rows.map((r) => ({
      at: Number(r.at),
      organisationId: r.organisation_id,
      organisationName: r.organisation_name ?? null,
      organisationKind: r.organisation_kind ?? null,
      role: r.role ?? null,
      self: readerAccountId !== null && r.reader_id === readerAccountId,
      purpose: r.purpose,
      fields: r.fields === '' ? [] : r.fields.split(','),
      reason: r.reason,
    })),
  };
}
