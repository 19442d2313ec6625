import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts: migrations run against an untyped Kysely */

/**
 * Detection: learned baselines per account, decisions of the budget step, containments (credential
 * or partner channel) and their review, alerts, and canaries (synthetic job seekers planted where
 * bulk reading reaches and real work never does). None of these tables holds a job seeker's
 * personal data: ids, counts, reason codes.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await createBaselines(db, a);
  await createDecisions(db, a);
  await createContainments(db, a);
  await createAlerts(db, a);
  await createCanaries(db, a);
}

async function createBaselines(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  let table = db.schema
    .createTable('detection_baselines')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('peer_group', 'text', (c) => c.notNull())
    .addColumn('reachable', 'integer', (c) => c.notNull())
    .addColumn('portfolio', 'integer', (c) => c.notNull());
  for (const limit of ['minute_limit', 'hour_limit', 'day_limit', 'week_limit', 'session_limit', 'contact_day_limit']) {
    table = table.addColumn(limit, 'integer', (c) => c.notNull());
  }
  await table
    .addColumn('usual_hours', 'text')
    .addColumn('history_days', 'integer', (c) => c.notNull())
    .addColumn('strikes', 'integer', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('computed_at', a.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('detection_baselines_computed').on('detection_baselines').column('computed_at').execute();
}

async function createDecisions(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await a
    .addSerialKey(db.schema.createTable('detection_decisions'), 'seq')
    .addColumn('at', a.time, (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text')
    .addColumn('session_ref', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('detection_decisions_account')
    .on('detection_decisions')
    .columns(['account_id', 'at'])
    .execute();
  await db.schema.createIndex('detection_decisions_at').on('detection_decisions').column('at').execute();
}

async function createContainments(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('containments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', a.time, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('organisation_id', 'text')
    .addColumn('session_ref', 'text')
    .addColumn('previous_status', 'text')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', a.time)
    .addColumn('review_reason', 'text')
    .execute();
  await db.schema.createIndex('containments_account').on('containments').columns(['account_id', 'status']).execute();
  await db.schema
    .createIndex('containments_organisation')
    .on('containments')
    .columns(['organisation_id', 'status'])
    .execute();
}

async function createAlerts(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', a.time, (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('organisation_id', 'text')
    .addColumn('source_ip', 'text')
    .addColumn('session_ref', 'text')
    .addColumn('containment_id', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('delivery_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_at', a.time)
    .execute();
  await db.schema.createIndex('alerts_at').on('alerts').column('at').execute();
  await db.schema.createIndex('alerts_account').on('alerts').columns(['account_id', 'at']).execute();
}

async function createCanaries(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('canaries')
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('people.id'))
    .addColumn('placement', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('export_id', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('planted_at', a.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('canaries_organisation').on('canaries').column('organisation_id').execute();
  await db.schema.createIndex('canaries_export').on('canaries').column('export_id').execute();
}
