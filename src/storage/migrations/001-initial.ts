import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against an untyped Kysely on purpose: they must not change when the schema type evolves */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('siret', 'text')
    .addColumn('departement', 'text')
    .addColumn('parent_agency_id', 'text')
    .addColumn('channel_suspended_at', a.time)
    .addColumn('created_at', a.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('person_id', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('login_index', a.bytes, (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('email', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('last_login_at', a.time)
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', a.time)
    .execute();
  await db.schema.createIndex('accounts_organisation').on('accounts').column('organisation_id').execute();
  await db.schema.createIndex('accounts_person').on('accounts').column('person_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', a.bytes, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('last_seen_at', a.time, (c) => c.notNull())
    .addColumn('expires_at', a.time, (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('assurance', 'text', (c) => c.notNull())
    .addColumn('revoked_at', a.time)
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

  await createPeople(db, a);
  await createTraining(db, a);
  await createLogs(db, a);
}

async function createPeople(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  let people = db.schema
    .createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', a.bytes);
  for (const bi of ['bi_identifier', 'bi_email', 'bi_phone', 'bi_nir']) people = people.addColumn(bi, a.bytes);
  for (const s of ['s_identity', 's_birth', 's_nir', 's_address', 's_contact']) people = people.addColumn(s, a.bytes);
  await people
    .addColumn('departement', 'text', (c) => c.notNull())
    .addColumn('education_level', 'text', (c) => c.notNull())
    .addColumn('driving_licences', 'text', (c) => c.notNull())
    .addColumn('vehicle', 'integer', (c) => c.notNull())
    .addColumn('rome_codes', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('registered_on', 'text', (c) => c.notNull())
    .addColumn('struck_off_on', 'text')
    .addColumn('agency_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('adviser_id', 'text')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('updated_at', a.time, (c) => c.notNull())
    .addColumn('erased_at', a.time)
    .execute();
  await db.schema.createIndex('people_bi_identifier').on('people').column('bi_identifier').unique().execute();
  for (const col of ['bi_email', 'bi_phone', 'bi_nir', 'agency_id', 'adviser_id']) {
    await db.schema.createIndex(`people_${col}`).on('people').column(col).execute();
  }

  await db.schema
    .createTable('person_rome')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('rome_code', 'text', (c) => c.notNull())
    .addColumn('departement', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_rome_pk', ['person_id', 'rome_code'])
    .execute();
  await db.schema.createIndex('person_rome_search').on('person_rome').columns(['rome_code', 'departement']).execute();

  await db.schema
    .createTable('co_managements')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('until', 'text')
    .addPrimaryKeyConstraint('co_managements_pk', ['person_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('co_managements_organisation').on('co_managements').column('organisation_id').execute();
}

async function createTraining(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('training_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('rome_codes', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('place_commune_insee', 'text', (c) => c.notNull())
    .addColumn('place_label', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_sessions_organisation')
    .on('training_sessions')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('training_sessions.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('prescribed_by', 'text', (c) => c.notNull())
    .addColumn('prescribed_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('entered_on', 'text')
    .addColumn('exited_on', 'text')
    .addColumn('exit_reason', 'text')
    .addColumn('visible_until', 'text')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('enrolments_person_org')
    .on('enrolments')
    .columns(['person_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('enrolments_session').on('enrolments').column('session_id').execute();

  await db.schema
    .createTable('followup_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrolment_id', 'text', (c) => c.notNull().references('enrolments.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('fact_date', 'text', (c) => c.notNull())
    .addColumn('month', 'text')
    .addColumn('hours_attended', 'real')
    .addColumn('hours_absent_justified', 'real')
    .addColumn('hours_absent_unjustified', 'real')
    .addColumn('reason', 'text')
    .addColumn('declared_at', a.time, (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('followup_events_enrolment').on('followup_events').column('enrolment_id').execute();

  await db.schema
    .createTable('contact_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recruiter_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('rome_code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('answered_at', a.time)
    .execute();
  await db.schema.createIndex('contact_requests_recruiter').on('contact_requests').column('recruiter_id').execute();
  await db.schema.createIndex('contact_requests_person').on('contact_requests').column('person_id').execute();
}

async function createLogs(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await a
    .addSerialKey(db.schema.createTable('disclosures'), 'seq')
    .addColumn('at', a.time, (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('reader_id', 'text', (c) => c.notNull())
    .addColumn('session_ref', 'text')
    .addColumn('organisation_id', 'text')
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('source_ip', 'text')
    .addColumn('leaf_hash', a.bytes, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disclosures_person').on('disclosures').columns(['person_id', 'at']).execute();
  await db.schema.createIndex('disclosures_reader').on('disclosures').columns(['reader_id', 'at']).execute();

  await a
    .addSerialKey(db.schema.createTable('security_events'), 'seq')
    .addColumn('at', a.time, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('source_ip', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_events_account').on('security_events').columns(['account_id', 'at']).execute();
  await db.schema.createIndex('security_events_at').on('security_events').column('at').execute();
}
