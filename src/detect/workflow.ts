/**
 * The usual workflow of an account today: the people its everyday work concerns, as opposed to the
 * people it may reach but has no reason of the day to open. Disclosures of people outside the
 * workflow count against a small budget of their own (limits.ts, BEYOND_WORKFLOW), per hour, day
 * and week, so that a credential pacing slowly inside its overall budget still cannot walk through
 * everyone it can reach.
 *
 *   adviser    the portfolio (people.adviser_id): an agency lookup with a reason is outside it (2021)
 *   trainer    trainees whose session starts within a week either side (entry, first days), whose
 *              attendance is due (in training, first eight days of the month), or who left in the
 *              last fortnight (exit declaration). Opening others is a file with no workflow reason
 *              (Kairos 2025: the stolen credential paged through every trainee)
 *   others     no separate budget: a partner's co-managed files, a recruiter's accepted contacts and
 *              a job seeker's own file are the whole of their reach
 *
 * Loaded through the gate's query runner once per account (adviser) or organisation (trainer) and
 * Paris day, then kept in memory.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import { addDays } from '../domain/dates.js';
import { queryTemplate } from '../storage/atomic.js';
import type { QueryRunner } from '../storage/atomic.js';
import type { Database } from '../storage/schema.js';

/** Days either side of a session's start during which its trainees are in the workflow. */
export const SESSION_START_DAYS = 7;
/** Days of the month during which monthly attendance is declared for trainees in training. */
export const ATTENDANCE_DAYS = 8;
/** Days after an exit during which the exit is declared. */
export const EXIT_DAYS = 14;

/** Roles with a workflow narrower than their reach. */
export const WORKFLOW_ROLES: ReadonlySet<string> = new Set(['adviser', 'trainer']);

interface TraineeRow {
  person_id: string;
  status: string;
  starts_on: string;
  exited_on: string | null;
}

export interface WorkflowQueries {
  portfolio(args: readonly [string]): CompiledQuery<{ id: string }>;
  trainees(args: readonly [string, string]): CompiledQuery<TraineeRow>;
}

export function workflowQueries(db: Kysely<Database>): WorkflowQueries {
  const s = (v: string | undefined) => v as string;
  return {
    portfolio: queryTemplate(1, ([adviser]) =>
      db.selectFrom('people').select('id').where('adviser_id', '=', s(adviser)).where('erased_at', 'is', null),
    ),
    trainees: queryTemplate(2, ([org, today]) =>
      db
        .selectFrom('enrolments as e')
        .innerJoin('training_sessions as t', 't.id', 'e.session_id')
        .select(['e.person_id', 'e.status', 't.starts_on', 'e.exited_on'])
        .where('e.organisation_id', '=', s(org))
        .where('e.status', '<>', 'cancelled')
        .where((w) => w.or([w('e.visible_until', 'is', null), w('e.visible_until', '>=', s(today))])),
    ),
  };
}

/** Whether a trainee is in today's workflow (pure: tests drive it). */
export function traineeInWorkflow(r: TraineeRow, today: string): boolean {
  if (r.starts_on >= addDays(today, -SESSION_START_DAYS) && r.starts_on <= addDays(today, SESSION_START_DAYS))
    return true;
  if (r.status === 'in_training' && Number(today.slice(8, 10)) <= ATTENDANCE_DAYS) return true;
  return r.exited_on !== null && r.exited_on >= addDays(today, -EXIT_DAYS) && r.exited_on <= today;
}

interface Entry {
  readonly day: number;
  readonly people: ReadonlySet<string>;
}

const MAX_ENTRIES = 50_000;

/** Today's workflow sets, cached by account (adviser) or organisation (trainer) and Paris day. */
export class Workflows {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly queries: WorkflowQueries) {}

  /** The people of `people` outside the reader's workflow today (empty for roles without one). */
  async beyond(
    q: QueryRunner,
    who: { accountId: string; role: string; organisationId: string | null },
    day: number,
    today: string,
    people: readonly string[],
  ): Promise<readonly string[]> {
    if (!WORKFLOW_ROLES.has(who.role) || people.length === 0) return [];
    const key = who.role === 'trainer' ? `o/${who.organisationId ?? ''}` : `a/${who.accountId}`;
    let entry = this.cache.get(key);
    if (!entry || entry.day !== day) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      entry = { day, people: await this.load(q, who, today) };
      this.cache.set(key, entry);
    }
    const set = entry.people;
    return people.filter((p) => !set.has(p));
  }

  private async load(
    q: QueryRunner,
    who: { accountId: string; role: string; organisationId: string | null },
    today: string,
  ): Promise<ReadonlySet<string>> {
    if (who.role === 'adviser')
      return new Set((await q.rows(this.queries.portfolio([who.accountId]))).map((r) => r.id));
    const rows = await q.rows(this.queries.trainees([who.organisationId ?? '', today]));
    return new Set(rows.filter((r) => traineeInWorkflow(r, today)).map((r) => r.person_id));
  }
}
