import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts: migrations run against an untyped Kysely */

/**
 * Identity lifecycle: why an account is on probation, password resets (e-mailed links and
 * two-person approvals), federated identities (OpenID Connect), the OIDC sign-ins under way,
 * machine clients and their bearer tokens, and trusted devices (sign-in priority under attack).
 * Secrets are stored as SHA-256 hashes only; no table holds a job seeker's personal data.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await createProbations(db, a);
  await createResets(db, a);
  await createFederation(db, a);
  await createMachines(db, a);
  await createTrustedDevices(db, a);
  await db.schema.createIndex('security_events_kind').on('security_events').columns(['kind', 'at']).execute();
  await db.schema.createIndex('accounts_last_login').on('accounts').column('last_login_at').execute();
}

async function createProbations(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('account_probations')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('started_at', a.time, (c) => c.notNull())
    .addColumn('started_by', 'text')
    .execute();
}

async function createResets(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('reset_tokens')
    .addColumn('id_hash', a.bytes, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .addColumn('used_at', a.time)
    .execute();
  await db.schema
    .createIndex('reset_tokens_account')
    .on('reset_tokens')
    .columns(['account_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('reset_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .addColumn('manager_approved_by', 'text')
    .addColumn('agent_approved_by', 'text')
    .addColumn('link_sent_at', a.time)
    .execute();
  await db.schema.createIndex('reset_requests_account').on('reset_requests').column('account_id').execute();
}

async function createFederation(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('federated_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('last_used_at', a.time)
    .addPrimaryKeyConstraint('federated_identities_pk', ['issuer', 'subject'])
    .execute();
  await db.schema.createIndex('federated_identities_account').on('federated_identities').column('account_id').execute();

  await db.schema
    .createTable('oidc_logins')
    .addColumn('state_hash', a.bytes, (c) => c.primaryKey())
    .addColumn('binding_hash', a.bytes, (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .execute();
}

async function createMachines(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('machine_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('secret_hash', a.bytes, (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('rate_per_minute', 'integer', (c) => c.notNull())
    .addColumn('burst', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('disabled_at', a.time)
    .execute();
  await db.schema.createIndex('machine_clients_organisation').on('machine_clients').column('organisation_id').execute();

  await db.schema
    .createTable('machine_tokens')
    .addColumn('id_hash', a.bytes, (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('machine_clients.id'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .addColumn('revoked_at', a.time)
    .execute();
  await db.schema.createIndex('machine_tokens_client').on('machine_tokens').column('client_id').execute();
}

async function createTrustedDevices(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('trusted_devices')
    .addColumn('id_hash', a.bytes, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trusted_devices_account').on('trusted_devices').column('account_id').execute();
}
