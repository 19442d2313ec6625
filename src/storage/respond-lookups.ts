/** Small checks the response use cases make on accounts and organisations. */
import type { DbOrTx } from './database.js';

/** Whether every one of these accounts exists (true for none). */
export async function accountsExist(db: DbOrTx, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return true;
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', [...ids])
    .executeTakeFirstOrThrow();
  return Number(row.n) === ids.length;
}

export async function organisationExists(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export interface ContainmentFacts {
  /** When a credential of the incident was first suspended (and not lifted since), or null. */
  readonly credentialSuspendedAt: number | null;
  /** When a partner channel of the incident was closed, or null. */
  readonly channelClosedAt: number | null;
}

/** What detection or an officer has done about these accounts and organisations (for the notices and the report). */
export async function containmentFacts(
  db: DbOrTx,
  accountIds: readonly string[],
  organisationIds: readonly string[],
): Promise<ContainmentFacts> {
  const credential =
    accountIds.length === 0
      ? undefined
      : await db
          .selectFrom('containments')
          .select((eb) => eb.fn.min('at').as('at'))
          .where('kind', '=', 'credential')
          .where('account_id', 'in', [...accountIds])
          .where('status', 'in', ['active', 'confirmed'])
          .executeTakeFirst();
  const channel =
    organisationIds.length === 0
      ? undefined
      : await db
          .selectFrom('organisations')
          .select((eb) => eb.fn.min('channel_suspended_at').as('at'))
          .where('id', 'in', [...organisationIds])
          .executeTakeFirst();
  const at = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return { credentialSuspendedAt: at(credential?.at), channelClosedAt: at(channel?.at) };
}

/** The organisations of these accounts. */
export async function organisationsOfAccounts(db: DbOrTx, accountIds: readonly string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('accounts')
    .select('organisation_id')
    .where('id', 'in', [...accountIds])
    .where('organisation_id', 'is not', null)
    .execute();
  return [...new Set(rows.map((r) => r.organisation_id!))];
}
