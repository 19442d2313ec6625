/**
 * What the budget step keeps in memory per account: who it is (status, age, organisation), its
 * learned baseline, an active containment, and the behaviour counters of its signals. Loaded once
 * through the gate's query runner when the account is first seen (with this week's exposures from
 * the disclosure log, to rebuild the counters), refreshed in the background afterwards.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import { sql } from 'kysely';
import { queryTemplate } from '../storage/atomic.js';
import type { QueryRunner } from '../storage/atomic.js';
import type { Database } from '../storage/schema.js';
import type { Baseline, BaselineRow } from './baselines.js';
import { baselineOf } from './baselines.js';
import type { PastExposure } from './counters.js';
import { IDENTIFYING_SQL } from './history.js';
import type { SessionFacts } from './session-facts.js';

export interface Containment {
  readonly id: string;
  readonly kind: 'credential' | 'channel';
  readonly accountId: string | null;
  readonly organisationId: string | null;
  readonly at: number;
}

export interface AccountState {
  readonly id: string;
  role: string;
  organisationId: string | null;
  organisationKind: string | null;
  /** 'unknown' when the account is not in the database (jobs, tests). */
  status: string;
  createdAt: number;
  baseline: Baseline | null;
  containment: Containment | null;
  /** Budget answers (slow down, mask) today: persisting after them is itself a signal. */
  pressureDay: number;
  pressure: number;
  /** Of which answers to people outside the usual workflow (workflow.ts). */
  beyondPressure: number;
  /** What is known of each session (credential) it used, by reference. */
  readonly sessions: Map<string, SessionFacts>;
}

interface AccountRow {
  status: string;
  created_at: number;
  role: string;
  organisation_id: string | null;
  kind: string | null;
}

interface ContainmentRow {
  id: string;
  kind: string;
  account_id: string | null;
  organisation_id: string | null;
  at: number;
}

export interface AccountQueries {
  account(args: readonly [string]): CompiledQuery<AccountRow>;
  baseline(args: readonly [string]): CompiledQuery<BaselineRow>;
  containments(args: readonly [string, string]): CompiledQuery<ContainmentRow>;
  containmentStatus(args: readonly [string]): CompiledQuery<{ status: string }>;
  exposures(
    args: readonly [string, number],
  ): CompiledQuery<{ person_id: string; at: number; session_ref: string | null }>;
}

const ACTIVE = ['active', 'confirmed'];

export function accountQueries(db: Kysely<Database>): AccountQueries {
  const s = (v: string | undefined) => v as string;
  return {
    account: queryTemplate(1, ([id]) =>
      db
        .selectFrom('accounts as a')
        .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
        .select(['a.status', 'a.created_at', 'a.role', 'a.organisation_id', 'o.kind'])
        .where('a.id', '=', s(id)),
    ),
    baseline: queryTemplate(1, ([id]) =>
      db.selectFrom('detection_baselines').selectAll().where('account_id', '=', s(id)),
    ),
    containments: queryTemplate(2, ([account, org]) =>
      db
        .selectFrom('containments')
        .select(['id', 'kind', 'account_id', 'organisation_id', 'at'])
        .where('status', 'in', ACTIVE)
        .where((w) =>
          w.or([
            w('account_id', '=', s(account)).and('kind', '=', 'credential'),
            w('organisation_id', '=', s(org)).and('kind', '=', 'channel'),
          ]),
        ),
    ),
    containmentStatus: queryTemplate(1, ([id]) =>
      db.selectFrom('containments').select('status').where('id', '=', s(id)),
    ),
    exposures: queryTemplate(2, ([reader, since]) =>
      db
        .selectFrom('disclosures')
        .select(['person_id', 'at', 'session_ref'])
        .where('reader_id', '=', s(reader))
        .where('at', '>=', since as unknown as number)
        .where(sql<boolean>`${IDENTIFYING_SQL}`),
    ),
  };
}

export const containmentOf = (r: ContainmentRow): Containment => ({
  id: r.id,
  kind: r.kind === 'channel' ? 'channel' : 'credential',
  accountId: r.account_id,
  organisationId: r.organisation_id,
  at: r.at,
});

export interface LoadedAccount {
  readonly state: AccountState;
  readonly channel: Containment | null;
  readonly past: readonly PastExposure[];
}

/** Reads an account's state, active containments and this week's exposures, inside the gate's transaction. */
export async function loadAccount(
  q: QueryRunner,
  queries: AccountQueries,
  reader: { accountId: string; role: string; organisationId: string | null },
  weekStart: number,
): Promise<LoadedAccount> {
  const [row] = await q.rows(queries.account([reader.accountId]));
  const [baseline] = await q.rows(queries.baseline([reader.accountId]));
  const containments = (await q.rows(queries.containments([reader.accountId, reader.organisationId ?? '']))).map(
    containmentOf,
  );
  const past = (await q.rows(queries.exposures([reader.accountId, weekStart]))).map((r) => ({
    personId: r.person_id,
    at: r.at,
    sessionRef: r.session_ref,
  }));
  const state: AccountState = {
    id: reader.accountId,
    role: row?.role ?? reader.role,
    organisationId: row ? row.organisation_id : reader.organisationId,
    organisationKind: row?.kind ?? null,
    status: row?.status ?? 'unknown',
    createdAt: row?.created_at ?? 0,
    baseline: baseline ? baselineOf(baseline) : null,
    containment: containments.find((c) => c.kind === 'credential') ?? null,
    pressureDay: -1,
    pressure: 0,
    beyondPressure: 0,
    sessions: new Map(),
  };
  return { state, channel: containments.find((c) => c.kind === 'channel') ?? null, past };
}
