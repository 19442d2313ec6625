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
