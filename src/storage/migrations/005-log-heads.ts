import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts: migrations run against an untyped Kysely */

/**
 * Tree heads of the disclosure log (RFC 6962): after the first `tree_size` rows in `seq` order (the
 * last of them `last_seq`), the Merkle root, the frontier to extend it, and a MAC under a vault
 * service key, so that someone who can write the database but lacks the key file can neither
 * rewrite history nor forge a head to match.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('log_heads')
    .addColumn('tree_size', 'bigint', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('root_hash', a.bytes, (c) => c.notNull())
    .addColumn('frontier', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('mac', a.bytes, (c) => c.notNull())
    .execute();
}
