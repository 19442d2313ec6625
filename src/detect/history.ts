/**
 * What the disclosure log says of each account's past exposure, aggregated in SQL (the log is
 * indexed by (reader, time)): distinct people with identifying fields per Paris day, per hour and per
 * week, people whose contact details were disclosed per day, and the hours of the week it works.
 * Day and week numbers use UTC+1 in SQL (one expression for both dialects); an hour's error at
 * daylight-saving time does not matter to a 95th percentile.
 */
import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { IDENTIFYING_FIELDS } from '../domain/fields.js';
import type { DbOrTx } from '../storage/database.js';
import type { Series } from './learn-limits.js';
import { DAY_MS, HOUR_MS, HOURS_PER_WEEK, parisTime } from './paris-time.js';

export const LEARNING_DAYS = 56;
export const HOURS_LEARNING_DAYS = 28;
/** Active days below which the hours of the week are not trusted (office hours apply instead). */
export const MIN_DAYS_FOR_HOURS = 10;

export interface AccountHistory {
  day: number[];
  hour: number[];
  week: number[];
  contact: number[];
  /** Distinct people per day read for a purpose outside an adviser's portfolio (agency lookup, prescription). */
  beyond: number[];
  hoursOfWeek: Set<number>;
}

const fieldsMatch = (names: readonly string[]): RawBuilder<boolean> =>
  sql<boolean>`(${sql.join(
    names.map((f) => sql`(',' || fields || ',') LIKE ${sql.lit(`%,${f},%`)}`),
    sql` OR `,
  )})`;

export const IDENTIFYING_SQL = fieldsMatch([...IDENTIFYING_FIELDS]);
const CONTACT_SQL = fieldsMatch(['email', 'phone']);
/** An adviser's disclosures outside the portfolio, by purpose (the policy of these purposes is the agency). */
const BEYOND_PORTFOLIO_SQL = sql<boolean>`(${IDENTIFYING_SQL} AND purpose IN ('agency_lookup', 'prescription'))`;
const PARIS = sql.lit(HOUR_MS);
const DAY_EXPR = sql<number>`((at + ${PARIS}) / ${sql.lit(DAY_MS)})`;
const WEEK_EXPR = sql<number>`(((at + ${PARIS}) / ${sql.lit(DAY_MS)} + 3) / 7)`;
const HOUR_EXPR = sql<number>`(at / ${sql.lit(HOUR_MS)})`;

async function distinctPer(
  db: DbOrTx,
  bucket: RawBuilder<number>,
  filter: RawBuilder<boolean>,
  since: number,
  until: number,
) {
  return db
    .selectFrom('disclosures')
    .select(['reader_id', bucket.as('bucket'), sql<number>`count(distinct person_id)`.as('n')])
    .where('at', '>=', since)
    .where('at', '<', until)
    .where('purpose', '<>', 'self_service') // job seekers reading themselves: no baseline needed
    .where(filter)
    .groupBy(['reader_id', sql`2`])
    .execute();
}

function entry(map: Map<string, AccountHistory>, id: string): AccountHistory {
  let h = map.get(id);
  if (!h) {
    h = { day: [], hour: [], week: [], contact: [], beyond: [], hoursOfWeek: new Set() };
    map.set(id, h);
  }
  return h;
}

/** Every account's history over the learning window ending at `now`. */
export async function readHistories(db: DbOrTx, now: number): Promise<Map<string, AccountHistory>> {
  const out = new Map<string, AccountHistory>();
  const since = now - LEARNING_DAYS * DAY_MS;
  const todayStart = parisTime(now).dayStart;
  for (const r of await distinctPer(db, DAY_EXPR, IDENTIFYING_SQL, since, todayStart))
    entry(out, r.reader_id).day.push(Number(r.n));
  for (const r of await distinctPer(db, WEEK_EXPR, IDENTIFYING_SQL, since, parisTime(now).weekStart))
    entry(out, r.reader_id).week.push(Number(r.n));
  for (const r of await distinctPer(db, DAY_EXPR, CONTACT_SQL, since, todayStart))
    entry(out, r.reader_id).contact.push(Number(r.n));
  for (const r of await distinctPer(db, DAY_EXPR, BEYOND_PORTFOLIO_SQL, since, todayStart))
    entry(out, r.reader_id).beyond.push(Number(r.n));
  const hours = await distinctPer(db, HOUR_EXPR, IDENTIFYING_SQL, now - HOURS_LEARNING_DAYS * DAY_MS, now);
  const hourOfWeek = new Map<number, number>();
  for (const r of hours) {
    const h = entry(out, r.reader_id);
    h.hour.push(Number(r.n));
    const b = Number(r.bucket);
    let how = hourOfWeek.get(b);
    if (how === undefined) hourOfWeek.set(b, (how = parisTime(b * HOUR_MS).hourOfWeek));
    h.hoursOfWeek.add(how);
  }
  return out;
}

export const seriesOf = (h: AccountHistory | undefined): Series =>
  h
    ? { day: h.day, hour: h.hour, week: h.week, contact: h.contact, beyond: h.beyond }
    : { day: [], hour: [], week: [], contact: [], beyond: [] };

/**
 * The usual hours of the week as 168 '0'/'1', each active hour widened by one hour either side;
 * null when the account has too little history to say.
 */
export function usualHoursOf(h: AccountHistory | undefined): string | null {
  if (!h || h.day.length < MIN_DAYS_FOR_HOURS) return null;
  const mask = new Array<string>(HOURS_PER_WEEK).fill('0');
  for (const how of h.hoursOfWeek) {
    for (const d of [-1, 0, 1]) mask[(how + d + HOURS_PER_WEEK) % HOURS_PER_WEEK] = '1';
  }
  return mask.join('');
}

/** Days of the last week on which each account was masked for exceeding its budget. */
export async function readStrikes(db: DbOrTx, now: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('detection_decisions')
    .select(['account_id', sql<number>`count(distinct ${DAY_EXPR})`.as('n')])
    .where('at', '>=', now - 7 * DAY_MS)
    .where('action', '=', 'mask')
    .groupBy('account_id')
    .execute();
  return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
}
