import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts: migrations run against an untyped Kysely */

/**
 * Notices to the people an incident exposed, as an outbox: one row per person and incident
 * (unique), whose state moves pending → sending → sent for an e-mail, pending → batched → printed for
 * a letter. No address, name or message body is stored: each send reads the address through the
 * gate again (recorded), and the text is rebuilt from the facts kept here (fields, times). The
 * verification code is not stored either: only its keyed hash, to look it up.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code_hash', a.bytes, (c) => c.notNull().unique())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('first_at', a.time, (c) => c.notNull())
    .addColumn('last_at', a.time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', a.time, (c) => c.notNull())
    .addColumn('fallback', 'text') // why an e-mail became a letter: 'no_email' | 'refused' | 'letters_only'
    .addColumn('batch_id', 'text')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('sent_at', a.time)
    .addColumn('updated_at', a.time, (c) => c.notNull())
    .addUniqueConstraint('notices_person', ['incident_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('notices_queue')
    .on('notices')
    .columns(['incident_id', 'channel', 'status', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('notices_person_id').on('notices').column('person_id').execute();
  await db.schema.createIndex('notices_batch').on('notices').column('batch_id').execute();

  await db.schema
    .createTable('notice_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // 'writing' | 'complete'
    .addColumn('letters', 'integer', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text')
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('completed_at', a.time)
    .addUniqueConstraint('notice_batches_number', ['incident_id', 'number'])
    .execute();

  await db.schema
    .createTable('notice_campaigns')
    .addColumn('incident_id', 'text', (c) => c.primaryKey())
    .addColumn('runner', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', a.time, (c) => c.notNull())
    .addColumn('started_at', a.time, (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('finished_at', a.time)
    .addColumn('in_doubt', 'integer', (c) => c.notNull())
    .execute();

  // "Suis-je concerné ?": requests waiting for the worker, known only by the blind index of the address.
  await a
    .addSerialKey(db.schema.createTable('breach_lookups'), 'seq')
    .addColumn('email_index', a.bytes, (c) => c.notNull())
    .addColumn('requested_at', a.time, (c) => c.notNull())
    .addColumn('processed_at', a.time)
    .execute();
  await db.schema.createIndex('breach_lookups_pending').on('breach_lookups').columns(['processed_at', 'seq']).execute();

  // The answer to a lookup whose address belongs to someone concerned: sent to the address of their file.
  await db.schema
    .createTable('lookup_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // 'pending' | 'sending' | 'sent' | 'dropped'
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', a.time, (c) => c.notNull())
    .addColumn('sent_at', a.time)
    .execute();
  await db.schema
    .createIndex('lookup_replies_person')
    .on('lookup_replies')
    .columns(['person_id', 'created_at'])
    .execute();
  await db.schema.createIndex('lookup_replies_status').on('lookup_replies').column('status').execute();
}
