import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts: migrations run against an untyped Kysely */

/**
 * Second factors: WebAuthn credentials (passkeys), TOTP secrets (sealed under a vault service key),
 * recovery codes (keyed hashes), the WebAuthn challenges under way, the sign-ins waiting for their
 * second step (hash of a short-lived token), and when each session last proved a second factor.
 * No table holds a job seeker's personal data; secrets are hashed or sealed.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await createWebauthnCredentials(db, a);
  await createTotp(db, a);
  await createRecoveryCodes(db, a);
  await createChallenges(db, a);
  await createPendingSignIns(db, a);
  await db.schema.alterTable('sessions').addColumn('mfa_at', a.time).execute();
}

async function createWebauthnCredentials(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('mfa_webauthn_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', a.bytes, (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('device_type', 'text', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('last_used_at', a.time)
    .execute();
  await db.schema.createIndex('mfa_webauthn_account').on('mfa_webauthn_credentials').column('account_id').execute();
}

async function createTotp(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('mfa_totp')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('secret', a.bytes, (c) => c.notNull())
    .addColumn('confirmed_at', a.time)
    .addColumn('last_step', 'bigint')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('last_used_at', a.time)
    .execute();
  await db.schema.createIndex('mfa_totp_account').on('mfa_totp').column('account_id').execute();
}

async function createRecoveryCodes(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('mfa_recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('code_hash', a.bytes, (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('used_at', a.time)
    .execute();
  await db.schema
    .createIndex('mfa_recovery_account')
    .on('mfa_recovery_codes')
    .columns(['account_id', 'code_hash'])
    .execute();
}

async function createChallenges(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('challenge', 'text', (c) => c.primaryKey())
    .addColumn('owner_hash', a.bytes, (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webauthn_challenges_owner')
    .on('webauthn_challenges')
    .columns(['owner_hash', 'purpose'])
    .execute();
  await db.schema.createIndex('webauthn_challenges_expiry').on('webauthn_challenges').column('expires_at').execute();
}

async function createPendingSignIns(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('pending_sign_ins')
    .addColumn('id_hash', a.bytes, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('email_code_hash', a.bytes)
    .addColumn('source_ip', 'text')
    .execute();
  await db.schema.createIndex('pending_sign_ins_expiry').on('pending_sign_ins').column('expires_at').execute();
}
