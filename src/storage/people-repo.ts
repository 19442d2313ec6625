import type { Insertable } from 'kysely';
import type { DbOrTx } from './database.js';
import type { PersonRomeTable, PersonTable } from './schema.js';

export type PersonInsert = Insertable<PersonTable>;

/** SQLite accepts at most 32,766 bound values per statement; PostgreSQL 65,535. */
const PEOPLE_PER_STATEMENT = 500;

/** Inserts people rows (already sealed by the vault) and their ROME search rows. */
export async function insertPeople(db: DbOrTx, people: readonly PersonInsert[]): Promise<void> {
  for (let i = 0; i < people.length; i += PEOPLE_PER_STATEMENT) {
    const chunk = people.slice(i, i + PEOPLE_PER_STATEMENT);
    await db.insertInto('people').values(chunk).execute();
    const rome: PersonRomeTable[] = chunk.flatMap((p) =>
      [...new Set(p.rome_codes.split(',').filter(Boolean))].map((code) => ({
        person_id: p.id,
        rome_code: code,
        departement: p.departement,
      })),
    );
    if (rome.length > 0) await db.insertInto('person_rome').values(rome).execute();
  }
}

/**
 * Erasure (effacement): destroys the person's data key, so that every sealed blob, here and in
 * backups, becomes unreadable; blind indexes go too. The row stays as a tombstone so that the
 * disclosure log still resolves who was exposed.
 */
export async function erasePerson(db: DbOrTx, personId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({
      wrapped_key: null,
      s_identity: null,
      s_birth: null,
      s_nir: null,
      s_address: null,
      s_contact: null,
      bi_identifier: null,
      bi_email: null,
      bi_phone: null,
      bi_nir: null,
      erased_at: now,
      updated_at: now,
    })
    .where('id', '=', personId)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Internal ids of people whose blind index of `column` equals `index` (exact lookups). */
export async function findPeopleByIndex(
  db: DbOrTx,
  column: 'bi_identifier' | 'bi_email' | 'bi_phone' | 'bi_nir',
  index: Buffer,
): Promise<string[]> {
  const rows = await db
    .selectFrom('people')
    .select('id')
    .where(column, '=', index)
    .where('erased_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}
