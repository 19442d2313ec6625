/** Reports to the CNIL as filed, in order. */
import type { Selectable } from 'kysely';
import type { BreachReportKind } from '../domain/incidents.js';
import { BREACH_REPORT_KINDS } from '../domain/incidents.js';
import type { DbOrTx } from './database.js';
import { parseEnum } from './incidents-repo.js';
import type { BreachReportTable } from './schema.js';

export interface BreachReportRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly number: number;
  readonly kind: BreachReportKind;
  readonly filedAt: number;
  readonly filedBy: string;
  readonly delayReason: string | null;
  /** The report's content as filed (JSON text). */
  readonly content: string;
}

const toReport = (r: Selectable<BreachReportTable>): BreachReportRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  number: Number(r.number),
  kind: parseEnum(BREACH_REPORT_KINDS, r.kind, 'breach_reports.kind'),
  filedAt: Number(r.filed_at),
  filedBy: r.filed_by,
  delayReason: r.delay_reason,
  content: r.content,
});

export async function insertBreachReport(db: DbOrTx, r: BreachReportRecord): Promise<void> {
  await db
    .insertInto('breach_reports')
    .values({
      id: r.id,
      incident_id: r.incidentId,
      number: r.number,
      kind: r.kind,
      filed_at: r.filedAt,
      filed_by: r.filedBy,
      delay_reason: r.delayReason,
      content: r.content,
    })
    .execute();
}

export async function breachReportsOf(db: DbOrTx, incidentId: string): Promise<BreachReportRecord[]> {
  const rows = await db
    .selectFrom('breach_reports')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('number')
    .execute();
  return rows.map(toReport);
}

/** When the first report was filed (it stops the 72-hour clock), or null. */
export async function firstReportAt(db: DbOrTx, incidentId: string): Promise<number | null> {
  const row = await db
    .selectFrom('breach_reports')
    .select('filed_at')
    .where('incident_id', '=', incidentId)
    .where('number', '=', 1)
    .executeTakeFirst();
  return row ? Number(row.filed_at) : null;
}
