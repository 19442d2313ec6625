import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts: migrations run against an untyped Kysely */

/**
 * Incidents (personal-data breaches) and their scope, computed from the disclosure log. None of
 * these tables holds a job seeker's personal data in clear: person ids, field names, times, counts.
 *
 * The scope reads the log by reader and time. `disclosures_reader` (reader_id, at) becomes a
 * covering index that also carries what the scope aggregates (person, purpose, fields, session), so
 * that scoping a credential that read 340,000 people is one range scan of the index and never a
 * table lookup per row (a row of the log is ~300 bytes; one reader's rows are scattered among
 * everyone's, so each lookup would be a page of its own). Detection's reads by reader and time use
 * the same index.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await createIncidents(db, a);
  await createScopes(db, a);
  await createReports(db, a);
  await db.schema.dropIndex('disclosures_reader').execute();
  await a.createCoveringIndex(db, {
    name: 'disclosures_reader_scope',
    table: 'disclosures',
    keys: ['reader_id', 'at'],
    include: ['person_id', 'seq', 'purpose', 'fields', 'session_ref'],
    serialKey: 'seq',
  });
}

async function createIncidents(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('organisation_id', 'text')
    .addColumn('window_from', a.time, (c) => c.notNull())
    .addColumn('window_to', a.time)
    .addColumn('aware_at', a.time, (c) => c.notNull())
    .addColumn('letters_only', 'integer', (c) => c.notNull())
    .addColumn('opened_at', a.time, (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', a.time, (c) => c.notNull())
    .addColumn('closed_at', a.time)
    .execute();
  await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'opened_at']).execute();

  await db.schema
    .createTable('incident_credentials')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('session_ref', 'text', (c) => c.notNull()) // '' for every session of the account
    .addPrimaryKeyConstraint('incident_credentials_pk', ['incident_id', 'account_id', 'session_ref'])
    .execute();

  await a
    .addSerialKey(db.schema.createTable('incident_events'), 'seq')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('at', a.time, (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_events_incident')
    .on('incident_events')
    .columns(['incident_id', 'seq'])
    .execute();
}

async function createScopes(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('incident_scopes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('computed_at', a.time, (c) => c.notNull())
    .addColumn('computed_by', 'text', (c) => c.notNull())
    .addColumn('window_from', a.time, (c) => c.notNull())
    .addColumn('window_to', a.time, (c) => c.notNull())
    .addColumn('tree_size', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('head_created_at', a.time, (c) => c.notNull())
    .addColumn('rows', 'bigint', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('identifying_people', 'integer', (c) => c.notNull())
    .addColumn('totals', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_scopes_number', ['incident_id', 'number'])
    .execute();

  let people = db.schema
    .createTable('incident_people')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('purposes', 'text', (c) => c.notNull())
    .addColumn('first_at', a.time, (c) => c.notNull())
    .addColumn('last_at', a.time, (c) => c.notNull())
    .addColumn('first_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('disclosures', 'integer', (c) => c.notNull())
    .addColumn('identifying', 'integer', (c) => c.notNull());
  for (const c of ['c_identity', 'c_birth_date', 'c_nir', 'c_postal_address', 'c_email', 'c_phone'])
    people = people.addColumn(c, 'integer', (col) => col.notNull());
  await people.addPrimaryKeyConstraint('incident_people_pk', ['incident_id', 'person_id']).execute();
  await db.schema.createIndex('incident_people_person').on('incident_people').column('person_id').execute();
}

/** Reports to the CNIL (GDPR art. 33): the initial one, then complementary ones; each as filed. */
async function createReports(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('breach_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filed_at', a.time, (c) => c.notNull())
    .addColumn('filed_by', 'text', (c) => c.notNull())
    .addColumn('delay_reason', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addUniqueConstraint('breach_reports_number', ['incident_id', 'number'])
    .execute();
}
