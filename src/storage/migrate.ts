import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.js';
import type { DialectAdapter } from './dialect.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * Applies the pending versioned migrations, all in one transaction, serialised between processes.
 *
 * Why not Kysely's Migrator: it checks for its bookkeeping tables by introspecting every table of
 * every schema of the cluster (`has_schema_privilege`, `pg_get_serial_sequence` on each), which fails
 * when another schema is dropped meanwhile, and grows with the cluster. Here the bookkeeping is read
 * from the store's own schema only. The table names and columns are Kysely's, so databases migrated
 * by earlier versions carry on.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (see 001-initial.ts) */
export async function applyMigrations(db: Kysely<any>, adapter: DialectAdapter): Promise<string[]> {
  let current = '';
  try {
    return await db.transaction().execute(async (trx) => {
      await lock(trx, adapter);
      await sql`CREATE TABLE IF NOT EXISTS kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(
        trx,
      );
      const done = new Set(
        (await trx.selectFrom('kysely_migration').select('name').execute()).map((r) => String(r.name)),
      );
      const known = new Set(MIGRATIONS.map(([name]) => name));
      const unknown = [...done].filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new AppError(
          'DB.MIGRATION_UNKNOWN',
          'conflict',
          'La base a été mise à jour par une version plus récente de Vigie.',
          { unknown },
        );
      }
      const applied: string[] = [];
      for (const [name, migration] of MIGRATIONS) {
        if (done.has(name)) continue;
        current = name;
        await migration.up(trx, adapter);
        await trx.insertInto('kysely_migration').values({ name, timestamp: new Date().toISOString() }).execute();
        applied.push(name);
      }
      return applied;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = current ? `La migration ${current} a échoué.` : "La mise à jour du schéma n'a pas pu démarrer.";
    throw new AppError('DB.MIGRATION_FAILED', 'internal', message, { cause: String(error) });
  }
}

/** One migrator at a time per database (SQLite file) or per schema (PostgreSQL), until commit. */
async function lock(trx: Kysely<any>, adapter: DialectAdapter): Promise<void> {
  if (adapter.name === 'postgres') {
    await sql`SELECT pg_advisory_xact_lock(hashtext('vigie.migrate:' || current_schema()))`.execute(trx);
    return;
  }
  // SQLite: a write takes the database's write lock for the rest of the transaction.
  await sql`CREATE TABLE IF NOT EXISTS vigie_migration_lock (id integer NOT NULL PRIMARY KEY, at varchar(255) NOT NULL)`.execute(
    trx,
  );
  await sql`INSERT INTO vigie_migration_lock (id, at) VALUES (1, ${new Date().toISOString()}) ON CONFLICT (id) DO UPDATE SET at = excluded.at`.execute(
    trx,
  );
}
