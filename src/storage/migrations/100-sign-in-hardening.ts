import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts: migrations run against an untyped Kysely */

/**
 * Sign-in hardening (issue 9):
 * - pending sign-ins are rebuilt: a sign-in whose password was wrong gets a *decoy* pending row that
 *   behaves like a real one (so the first answer says nothing about the password), possibly for an
 *   unknown login (no account); the one-time code is no longer e-mail only (`code_channel`). The
 *   table only holds sign-ins of the last ten minutes: dropping it costs at most a restarted sign-in.
 * - trusted devices count their own failed sign-ins (the device is forgotten at the tenth);
 * - sessions remember the trusted device they were opened on (binding) and when a factor was last
 *   proven by a step-up inside them (the grant that a change of factors consumes);
 * - sign-in codes issued by an adviser to a job seeker who has neither e-mail nor mobile.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema.dropTable('pending_sign_ins').execute();
  await db.schema
    .createTable('pending_sign_ins')
    .addColumn('id_hash', a.bytes, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('decoy', 'integer', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('code_hash', a.bytes)
    .addColumn('code_channel', 'text')
    .addColumn('source_ip', 'text')
    .execute();
  await db.schema.createIndex('pending_sign_ins_expiry').on('pending_sign_ins').column('expires_at').execute();
  await db.schema
    .alterTable('trusted_devices')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('sessions').addColumn('device_hash', a.bytes).execute();
  await db.schema.alterTable('sessions').addColumn('step_up_at', a.time).execute();
  await db.schema
    .createTable('assisted_sign_in_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('code_hash', a.bytes, (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .addColumn('used_at', a.time)
    .execute();
  await db.schema
    .createIndex('assisted_sign_in_codes_account')
    .on('assisted_sign_in_codes')
    .columns(['account_id', 'expires_at'])
    .execute();
}
