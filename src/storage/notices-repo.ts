/**
 * The notices outbox: one notice per person and incident, claimed, marked and batched by
 * conditional updates, so that a crash at any point leaves every notice in exactly one state.
 */
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { NoticeChannel, NoticeFallback, NoticeStatus } from '../domain/notices.js';
import { NOTICE_CHANNELS, NOTICE_FALLBACKS, NOTICE_STATUSES } from '../domain/notices.js';
import type { DbOrTx } from './database.js';
import { parseEnum } from './incidents-repo.js';
import type { NoticeTable } from './schema.js';

export interface NoticeRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly personId: string;
  readonly channel: NoticeChannel;
  readonly status: NoticeStatus;
  readonly fields: readonly string[];
  readonly firstAt: number;
  readonly lastAt: number;
  readonly attempts: number;
  readonly fallback: NoticeFallback | null;
  readonly batchId: string | null;
  readonly createdAt: number;
  readonly sentAt: number | null;
}

const toNotice = (r: Selectable<NoticeTable>): NoticeRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  personId: r.person_id,
  channel: parseEnum(NOTICE_CHANNELS, r.channel, 'notices.channel'),
  status: parseEnum(NOTICE_STATUSES, r.status, 'notices.status'),
  fields: r.fields === '' ? [] : r.fields.split(','),
  firstAt: Number(r.first_at),
  lastAt: Number(r.last_at),
  attempts: Number(r.attempts),
  fallback: r.fallback === null ? null : parseEnum(NOTICE_FALLBACKS, r.fallback, 'notices.fallback'),
  batchId: r.batch_id,
  createdAt: Number(r.created_at),
  sentAt: r.sent_at === null ? null : Number(r.sent_at),
});

/** People of the incident's scope with an identifying exposure and no notice yet, by person id. */
export async function peopleWithoutNotice(
  db: DbOrTx,
  incidentId: string,
  after: string | null,
  limit: number,
): Promise<Array<{ personId: string; fields: string; firstAt: number; lastAt: number }>> {
  let q = db
    .selectFrom('incident_people as ip')
    .select(['ip.person_id', 'ip.fields', 'ip.first_at', 'ip.last_at'])
    .where('ip.incident_id', '=', incidentId)
    .where('ip.identifying', '=', 1)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notices as n')
            .select(sql.lit(1).as('one'))
            .whereRef('n.person_id', '=', 'ip.person_id')
            .where('n.incident_id', '=', incidentId),
        ),
      ),
    )
    .orderBy('ip.person_id')
    .limit(limit);
  if (after !== null) q = q.where('ip.person_id', '>', after);
  return (await q.execute()).map((r) => ({
    personId: r.person_id,
    fields: r.fields,
    firstAt: Number(r.first_at),
    lastAt: Number(r.last_at),
  }));
}

export interface NewNotice {
  readonly id: string;
  readonly incidentId: string;
  readonly personId: string;
  readonly channel: NoticeChannel;
  readonly codeHash: Buffer;
  readonly fields: string;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly fallback: NoticeFallback | null;
  readonly at: number;
}

export async function insertNotices(db: DbOrTx, notices: readonly NewNotice[]): Promise<void> {
  if (notices.length === 0) return;
  await db
    .insertInto('notices')
    .values(
      notices.map((n) => ({
        id: n.id,
        incident_id: n.incidentId,
        person_id: n.personId,
        channel: n.channel,
        status: 'pending' as const,
        code_hash: n.codeHash,
        fields: n.fields,
        first_at: n.firstAt,
        last_at: n.lastAt,
        attempts: 0,
        next_attempt_at: 0,
        fallback: n.fallback,
        batch_id: null,
        created_at: n.at,
        sent_at: null,
        updated_at: n.at,
      })),
    )
    .execute();
}

/**
 * Claims up to `limit` e-mails due for sending: pending ones, and first those left `sending` by a
 * run that died (`inDoubt`: the relay may have accepted them; they go again with the same Message-ID).
 */
export async function claimEmails(
  db: DbOrTx,
  incidentId: string,
  now: number,
  limit: number,
  statuses: readonly NoticeStatus[],
): Promise<NoticeRecord[]> {
  const ids = (
    await db
      .selectFrom('notices')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('channel', '=', 'email')
      .where('status', 'in', [...statuses])
      .where('next_attempt_at', '<=', now)
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  await db
    .updateTable('notices')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', 'in', ids)
    .where('status', 'in', [...statuses])
    .execute();
  const rows = await db
    .selectFrom('notices')
    .selectAll()
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute();
  return rows.map(toNotice);
}

/** Accepted by the relay. */
export async function markSent(db: DbOrTx, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notices')
    .set({ status: 'sent', sent_at: now, updated_at: now })
    .where('id', 'in', [...ids])
    .where('status', '=', 'sending')
    .execute();
}

/** No e-mail possible (no address, refused by the relay, letters asked for): a letter instead. */
export async function switchToLetters(
  db: DbOrTx,
  ids: readonly string[],
  fallback: NoticeFallback,
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notices')
    .set({ channel: 'letter', status: 'pending', fallback, next_attempt_at: 0, updated_at: now })
    .where('id', 'in', [...ids])
    .where('channel', '=', 'email')
    .where('status', 'in', ['pending', 'sending'])
    .execute();
}

/** A temporary failure (4xx, connection lost): back to pending, due again at `retryAt`. */
export async function retryLater(db: DbOrTx, ids: readonly string[], retryAt: number, now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notices')
    .set({ status: 'pending', next_attempt_at: retryAt, updated_at: now })
    .where('id', 'in', [...ids])
    .where('status', '=', 'sending')
    .execute();
}

export type NoticeCounts = Readonly<Record<NoticeChannel, Readonly<Partial<Record<NoticeStatus, number>>>>>;

export async function noticeCounts(db: DbOrTx, incidentId: string): Promise<NoticeCounts> {
  const rows = await db
    .selectFrom('notices')
    .select(['channel', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy(['channel', 'status'])
    .execute();
  const out: Record<NoticeChannel, Partial<Record<NoticeStatus, number>>> = { email: {}, letter: {} };
  for (const r of rows)
    out[parseEnum(NOTICE_CHANNELS, r.channel, 'notices.channel')][
      parseEnum(NOTICE_STATUSES, r.status, 'notices.status')
    ] = Number(r.n);
  return out;
}

export async function findNoticeByCode(db: DbOrTx, codeHash: Buffer): Promise<NoticeRecord | undefined> {
  const row = await db.selectFrom('notices').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  return row ? toNotice(row) : undefined;
}

export async function noticesOfPerson(db: DbOrTx, personId: string): Promise<NoticeRecord[]> {
  const rows = await db
    .selectFrom('notices')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toNotice);
}

export async function noticesByIds(db: DbOrTx, ids: readonly string[]): Promise<NoticeRecord[]> {
  if (ids.length === 0) return [];
  return (
    await db
      .selectFrom('notices')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute()
  ).map(toNotice);
}

/** Neither an e-mail nor a letter can reach them (file erased since, no address at all). */
export async function markUndeliverable(db: DbOrTx, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notices')
    .set({ status: 'undeliverable', updated_at: now })
    .where('id', 'in', [...ids])
    .where('status', 'in', ['pending', 'sending', 'batched'])
    .execute();
}

/** When the next e-mail waiting for a retry is due, or null when none waits. */
export async function nextEmailDue(db: DbOrTx, incidentId: string): Promise<number | null> {
  const row = await db
    .selectFrom('notices')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('incident_id', '=', incidentId)
    .where('channel', '=', 'email')
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
