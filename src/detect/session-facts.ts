/**
 * What detection knows of the credential in use: where and with what user agent the session was
 * opened, and whether this account had used that network or device in the 30 days before
 * (sessions and sign-in events). Loaded once per session through the gate's query runner.
 */
import { createHash } from 'node:crypto';
import type { CompiledQuery, Kysely } from 'kysely';
import { queryTemplate } from '../storage/atomic.js';
import type { QueryRunner } from '../storage/atomic.js';
import type { Database } from '../storage/schema.js';
import { DAY_MS } from './paris-time.js';

export const DEVICE_MEMORY_DAYS = 30;
/** A sign-in this close before a session's creation is that session's own. */
const OWN_SIGN_IN_MS = 10_000;

export interface SessionFacts {
  /** False when no session matches the reference (CLI, jobs, tests): the session signals stay silent. */
  readonly known: boolean;
  readonly createdAt: number;
  readonly createdIp: string | null;
  /** The account used other networks or devices in the window before this session. */
  readonly hasHistory: boolean;
  readonly ipNew: boolean;
  readonly userAgentNew: boolean;
}

export const UNKNOWN_SESSION: SessionFacts = {
  known: false,
  createdAt: 0,
  createdIp: null,
  hasHistory: true,
  ipNew: false,
  userAgentNew: false,
};

/**
 * The non-secret reference of a session, as access/sessions.ts derives it from the token's hash
 * (a test keeps the two identical; detect may not import access).
 */
export const sessionRefOf = (idHash: Buffer): string =>
  createHash('sha256').update('vigie/session-ref/v1\0').update(idHash).digest('hex').slice(0, 12);

interface SessionRow {
  id_hash: Buffer;
  created_at: number;
  source_ip: string | null;
  user_agent: string | null;
  mfa_at: number | null;
}

export interface SessionQueries {
  sessions(args: readonly [string, number]): CompiledQuery<SessionRow>;
  signIns(args: readonly [string, number]): CompiledQuery<{ source_ip: string | null; at: number }>;
}

export function sessionQueries(db: Kysely<Database>): SessionQueries {
  return {
    sessions: queryTemplate(2, ([account, since]) =>
      db
        .selectFrom('sessions')
        .select(['id_hash', 'created_at', 'source_ip', 'user_agent', 'mfa_at'])
        .where('account_id', '=', account as string)
        .where('created_at', '>=', since as unknown as number),
    ),
    signIns: queryTemplate(2, ([account, since]) =>
      db
        .selectFrom('security_events')
        .select(['source_ip', 'at'])
        .where('account_id', '=', account as string)
        .where('kind', '=', 'auth.sign_in')
        .where('at', '>=', since as unknown as number),
    ),
  };
}

/**
 * For staff, a network or device becomes known only through a session that proved a second factor
 * (at sign-in or by a step-up): a thief's password-only session, refused at the step-up it could not
 * pass, must not make its own network "known" for the thief's next session. Sign-in events say
 * nothing of a second factor, so they count for job seekers only (their factor is optional).
 */
export async function loadSessionFacts(
  q: QueryRunner,
  queries: SessionQueries,
  accountId: string,
  sessionRef: string | null,
  now: number,
  staff = false,
): Promise<SessionFacts> {
  if (sessionRef === null) return UNKNOWN_SESSION;
  const since = now - DEVICE_MEMORY_DAYS * DAY_MS;
  const rows = await q.rows(queries.sessions([accountId, since]));
  const current = rows.find((r) => sessionRefOf(Buffer.from(r.id_hash)) === sessionRef);
  if (!current) return UNKNOWN_SESSION;
  const before = rows.filter((r) => r.created_at < current.created_at && (!staff || r.mfa_at !== null));
  const signIns = staff
    ? []
    : (await q.rows(queries.signIns([accountId, since]))).filter((e) => e.at < current.created_at - OWN_SIGN_IN_MS);
  const ips = new Set(
    [...before.map((r) => r.source_ip), ...signIns.map((e) => e.source_ip)].filter((ip): ip is string => ip !== null),
  );
  const agents = new Set(before.map((r) => r.user_agent).filter((ua): ua is string => ua !== null));
  return {
    known: true,
    createdAt: current.created_at,
    createdIp: current.source_ip,
    hasHistory: before.length > 0 || signIns.length > 0,
    ipNew: current.source_ip !== null && !ips.has(current.source_ip),
    userAgentNew: current.user_agent !== null && before.length > 0 && !agents.has(current.user_agent),
  };
}
