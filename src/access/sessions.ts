/**
 * Sessions. The cookie carries a random 256-bit token; the database keeps only SHA-256(token), so a
 * copy of the sessions table cannot be replayed. A session ends after `idleTimeoutMs` without use,
 * after `absoluteLifetimeMs` whatever happens, on sign-out, on revocation, and as soon as its account
 * leaves the active/probation statuses. Nothing is cached: each request costs one indexed query
 * (session ⋈ account ⋈ organisation), so a revocation or suspension takes effect on the next request.
 * `last_seen_at` is written at most once a minute, so the idle timeout can fire up to a minute early.
 */
import { hash, randomBytes } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import { AppError, notFound } from '../domain/errors.js';
import { ORGANISATION_KINDS } from '../domain/roles.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import { queryTemplate } from '../storage/atomic.js';
import type { DbOrTx } from '../storage/database.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Account } from './accounts.js';
import { recordSecurityEvent } from './security-events.js';
import { USER_AGENT_MAX, compareDevice } from './session-binding.js';

export type Assurance = 'password' | 'mfa';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const LAST_SEEN_GRANULARITY_MS = 60_000;
const LIVE_STATUSES: ReadonlySet<string> = new Set(['active', 'probation']);

/** What a new session hands to the client: the token goes in the cookie and nowhere else. */
export interface SessionGrant {
  readonly token: string;
  readonly ref: string;
  readonly expiresAt: number;
}

/** What a request's session establishes: everything a Reader needs but the request itself. */
export interface ResolvedSession {
  readonly accountId: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly organisationKind: OrganisationKind | null;
  readonly personId: string | null;
  readonly assurance: Assurance;
  /** When this session last proved a second factor (step-up freshness), null if never. */
  readonly mfaAt: number | null;
  readonly sessionRef: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** 'probation' for accounts created by a partner's account manager and not yet approved (detection watches them). */
  readonly accountStatus: 'active' | 'probation';
  readonly accountCreatedAt: number;
}

export interface SessionSummary {
  readonly ref: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly assurance: Assurance;
}

/** SHA-256 of the token: the session's primary key. */
export const hashToken = (token: string): Buffer => hash('sha256', token, 'buffer');

const SESSION_REF_LABEL = Buffer.from('vigie/session-ref/v1\0', 'utf8');

/** A short, non-secret reference of a session, derived from its hash (never from the token alone). */
export const sessionRefOf = (idHash: Buffer): string =>
  hash('sha256', Buffer.concat([SESSION_REF_LABEL, idHash]), 'hex').slice(0, 12);

export const sessionRefOfToken = (token: string): string => sessionRefOf(hashToken(token));

export const invalidSession = (): AppError =>
  new AppError(
    'AUTH.SESSION_INVALID',
    'unauthenticated',
    'Votre session a expiré ou n’est plus valide : reconnectez-vous.',
  );

const channelSuspended = (): AppError =>
  new AppError(
    'AUTH.CHANNEL_SUSPENDED',
    'forbidden',
    'L’accès de votre organisation est suspendu par mesure de sécurité. Contactez votre agence France Travail.',
  );

/** Opens a session for an account that has just authenticated. */
export async function createSession(
  deps: AccessDeps,
  account: Account,
  source: RequestSource,
  assurance: Assurance = 'password',
): Promise<SessionGrant> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const idHash = hashToken(token);
  const now = deps.clock.now();
  const expiresAt = now + lifetimesOf(deps, account.role).absoluteMs;
  await deps.db
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      account_id: account.id,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      source_ip: source.ip,
      user_agent: source.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      assurance,
      mfa_at: assurance === 'mfa' ? now : null,
      revoked_at: null,
    })
    .execute();
  return { token, ref: sessionRefOf(idHash), expiresAt };
}

const lookupQuery = (db: DbOrTx, idHash: Buffer) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      's.account_id',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      's.assurance',
      's.mfa_at',
      's.source_ip',
      's.user_agent',
    ])
    .select([
      'a.role',
      'a.organisation_id',
      'a.person_id',
      'a.status',
      'a.created_at as account_created_at',
      'o.kind',
      'o.channel_suspended_at',
    ])
    .where('s.id_hash', '=', idHash);

type LookupRow = Awaited<ReturnType<ReturnType<typeof lookupQuery>['executeTakeFirstOrThrow']>>;
type LookupTemplate = (args: readonly [Buffer]) => CompiledQuery<LookupRow>;

/** The per-request query, compiled once per database (the hot path skips Kysely's builder and compiler). */
const templates = new WeakMap<DbOrTx, LookupTemplate>();

async function lookup(db: DbOrTx, idHash: Buffer): Promise<LookupRow | undefined> {
  let template = templates.get(db);
  if (!template) {
    template = queryTemplate<readonly [Buffer], LookupRow>(1, ([p]) => lookupQuery(db, p as unknown as Buffer));
    templates.set(db, template);
  }
  return (await db.executeQuery(template([idHash]))).rows[0];
}

type Row = LookupRow;

/**
 * Staff: 30 minutes idle, 12 hours at most (a working day). Job seekers: 15 minutes idle, 4 hours at
 * most: their visits are short (a document, a message), their sessions are the ones infostealers
 * replayed (Oct 2025), and a shorter life bounds what a copied cookie is worth.
 */
export function lifetimesOf(
  deps: Pick<AccessDeps, 'session'>,
  role: string,
): { readonly idleMs: number; readonly absoluteMs: number } {
  const s = deps.session;
  return role === 'job_seeker'
    ? { idleMs: s.jobSeekerIdleTimeoutMs, absoluteMs: s.jobSeekerAbsoluteLifetimeMs }
    : { idleMs: s.idleTimeoutMs, absoluteMs: s.absoluteLifetimeMs };
}

const isLive = (deps: AccessDeps, row: Row, now: number): boolean =>
  row.revoked_at === null &&
  now < row.expires_at &&
  now - row.last_seen_at < lifetimesOf(deps, row.role).idleMs &&
  LIVE_STATUSES.has(row.status);

export const deviceMismatch = (): AppError =>
  new AppError(
    'AUTH.SESSION_DEVICE_MISMATCH',
    'unauthenticated',
    'Cette session a été ouverte sur un autre appareil ou un autre réseau : reconnectez-vous.',
  );

/** Refuses and revokes a session used from another device or network; lets a job seeker's phone change network. */
async function checkDevice(
  deps: AccessDeps,
  row: Row,
  idHash: Buffer,
  source: RequestSource,
  now: number,
): Promise<void> {
  const verdict = compareDevice({ ip: row.source_ip, userAgent: row.user_agent }, source, row.role as Role);
  if (verdict === 'same') return;
  const details = { sessionRef: sessionRefOf(idHash), openedFrom: row.source_ip, reason: verdict };
  if (verdict === 'moved') {
    await deps.db.updateTable('sessions').set({ source_ip: source.ip }).where('id_hash', '=', idHash).execute();
    await recordSecurityEvent(deps.db, {
      at: now,
      kind: 'session.network_changed',
      accountId: row.account_id,
      sourceIp: source.ip,
      details,
    });
    return;
  }
  await deps.db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .execute();
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'session.replay',
    accountId: row.account_id,
    sourceIp: source.ip,
    details,
  });
  throw deviceMismatch();
}

const organisationKind = (kind: string | null): OrganisationKind | null =>
  kind !== null && (ORGANISATION_KINDS as readonly string[]).includes(kind) ? (kind as OrganisationKind) : null;

/**
 * The session behind a cookie token used from `source`, or AppError AUTH.SESSION_INVALID (401);
 * AUTH.SESSION_DEVICE_MISMATCH (401, session revoked) from another device or network (see
 * session-binding.ts); AUTH.CHANNEL_SUSPENDED (403) when detection has suspended the account's organisation.
 */
export async function resolveSession(
  deps: AccessDeps,
  token: string,
  source: RequestSource,
  now: number = deps.clock.now(),
): Promise<ResolvedSession> {
  if (!TOKEN_PATTERN.test(token)) throw invalidSession();
  const idHash = hashToken(token);
  const row = await lookup(deps.db, idHash);
  if (!row || !isLive(deps, row, now)) throw invalidSession();
  await checkDevice(deps, row, idHash, source, now);
  if (row.channel_suspended_at !== null && row.channel_suspended_at !== undefined) throw channelSuspended();
  if (now - row.last_seen_at >= LAST_SEEN_GRANULARITY_MS) {
    await deps.db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }
  return {
    accountId: row.account_id,
    role: row.role as Role,
    organisationId: row.organisation_id,
    organisationKind: organisationKind(row.kind),
    personId: row.person_id,
    assurance: row.assurance === 'mfa' ? 'mfa' : 'password',
    mfaAt: row.mfa_at,
    sessionRef: sessionRefOf(idHash),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    accountStatus: row.status === 'probation' ? 'probation' : 'active',
    accountCreatedAt: row.account_created_at,
  };
}

/** Signs out: revokes the session of this token (no error if it is already gone). */
export async function endSession(deps: AccessDeps, token: string, source: RequestSource): Promise<void> {
  if (!TOKEN_PATTERN.test(token)) return;
  const now = deps.clock.now();
  const idHash = hashToken(token);
  const row = await deps.db
    .selectFrom('sessions')
    .select(['account_id', 'revoked_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return;
  await deps.db.updateTable('sessions').set({ revoked_at: now }).where('id_hash', '=', idHash).execute();
  const details = { sessionRef: sessionRefOf(idHash) };
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'auth.sign_out',
    accountId: row.account_id,
    sourceIp: source.ip,
    details,
  });
}

async function liveSessionRows(deps: AccessDeps, accountId: string, now: number) {
  const rows = await deps.db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select([
      's.id_hash',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.source_ip',
      's.user_agent',
      's.assurance',
      'a.role',
    ])
    .where('s.account_id', '=', accountId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .orderBy('s.created_at', 'desc')
    .execute();
  return rows.filter((r) => now - r.last_seen_at < lifetimesOf(deps, r.role).idleMs);
}

/** The live sessions of an account, newest first. */
export async function listSessions(deps: AccessDeps, accountId: string): Promise<SessionSummary[]> {
  const rows = await liveSessionRows(deps, accountId, deps.clock.now());
  return rows.map((r) => ({
    ref: sessionRefOf(r.id_hash),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    sourceIp: r.source_ip,
    userAgent: r.user_agent,
    assurance: r.assurance === 'mfa' ? 'mfa' : 'password',
  }));
}

/** Revokes one of the account's own sessions by reference; SESSION.NOT_FOUND (404) otherwise. */
export async function revokeSession(
  deps: AccessDeps,
  accountId: string,
  ref: string,
  source: RequestSource,
): Promise<void> {
  const now = deps.clock.now();
  const target = (await liveSessionRows(deps, accountId, now)).find((r) => sessionRefOf(r.id_hash) === ref);
  if (!target) throw notFound('SESSION.NOT_FOUND', 'Session introuvable.');
  await deps.db.updateTable('sessions').set({ revoked_at: now }).where('id_hash', '=', target.id_hash).execute();
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'auth.session_revoked',
    accountId,
    sourceIp: source.ip,
    details: { sessionRef: ref },
  });
}

/** Revokes every session of an account (containment, password change); returns how many. */
export async function revokeAllSessions(db: DbOrTx, accountId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sessions that ended more than `keepMs` ago (housekeeping). */
export async function purgeEndedSessions(db: DbOrTx, now: number, keepMs = 30 * 24 * 3_600_000): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('expires_at', '<', now - keepMs)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
