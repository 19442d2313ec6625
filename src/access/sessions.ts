/**
 * Sessions. The cookie carries a random 256-bit token; the database keeps only SHA-256(token), so a
 * copy of the sessions table cannot be replayed. A session ends after `idleTimeoutMs` without use,
 * after `absoluteLifetimeMs` whatever happens, on sign-out, on revocation, and as soon as its account
 * leaves the active/probation statuses. Nothing is cached: each request costs one indexed query
 * (session ⋈ account ⋈ organisation), so a revocation or suspension takes effect on the next request.
 * `last_seen_at` is written at most once a minute, so the idle timeout can fire up to a minute early.
 * Sessions are bound to the browser's trusted-device token and address (session-binding.ts).
 */
import { hash, randomBytes } from 'node:crypto';
import { AppError, notFound } from '../domain/errors.js';
import { ORGANISATION_KINDS } from '../domain/roles.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import type { DbOrTx } from '../storage/database.js';
import type { SessionLookupRow } from '../storage/access/sessions-repo.js';
import {
  deleteSessionsEndedBefore,
  insertSession,
  liveSessionsOf,
  lookupSession,
  moveSession,
  revokeSessionRow,
  revokeSessionsOf,
  sessionOwner,
  touchSession,
} from '../storage/access/sessions-repo.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Account } from './accounts.js';
import { severityFor } from './security-alerts.js';
import { recordSecurityEvent } from './security-events.js';
import type { DeviceVerdict } from './session-binding.js';
import { FOLLOWED, USER_AGENT_MAX, compareDevice } from './session-binding.js';
import { deviceHashOf } from './throttle-devices.js';

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
  /** When a step-up inside this session last granted a change of factors (consumed by it), null if none. */
  readonly stepUpAt: number | null;
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

export interface SessionOptions {
  /** The trusted-device token's hash this session is bound to (null: bound to its exact address). */
  readonly deviceHash?: Buffer | null;
  /** The transaction to write in (the sign-in's). */
  readonly db?: DbOrTx;
  /** The session opens on a step-up: it carries the grant of one change of factors. */
  readonly stepUp?: boolean;
}

/** Opens a session for an account that has just authenticated. */
export async function createSession(
  deps: AccessDeps,
  account: Account,
  source: RequestSource,
  assurance: Assurance = 'password',
  options: SessionOptions = {},
): Promise<SessionGrant> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const idHash = hashToken(token);
  const now = deps.clock.now();
  const expiresAt = now + lifetimesOf(deps, account.role).absoluteMs;
  await insertSession(options.db ?? deps.db, {
    id_hash: idHash,
    account_id: account.id,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    source_ip: source.ip,
    user_agent: source.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    assurance,
    mfa_at: assurance === 'mfa' ? now : null,
    step_up_at: options.stepUp === true ? now : null,
    revoked_at: null,
    device_hash: options.deviceHash ?? null,
  });
  return { token, ref: sessionRefOf(idHash), expiresAt };
}

type Row = SessionLookupRow;

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

interface Use {
  readonly row: Row;
  readonly idHash: Buffer;
  readonly source: RequestSource;
  readonly now: number;
}

const REPLAY_MESSAGES: Partial<Record<DeviceVerdict, string>> = {
  other_device: 'depuis un autre navigateur',
  device_token: 'sans le témoin d’appareil de la session',
  other_address: 'depuis une autre adresse',
  other_network: 'depuis un autre réseau',
};

/** A session followed to a new address (same device token): moved and recorded in one transaction. */
async function follow(deps: AccessDeps, u: Use, verdict: DeviceVerdict): Promise<void> {
  const details = { sessionRef: sessionRefOf(u.idHash), openedFrom: u.row.source_ip, reason: verdict };
  const kind = verdict === 'moved' ? 'session.network_changed' : 'session.address_changed';
  await deps.db.transaction().execute(async (tx) => {
    await moveSession(tx, u.idHash, u.source.ip);
    await recordSecurityEvent(tx, { at: u.now, kind, accountId: u.row.account_id, sourceIp: u.source.ip, details });
  });
}

/** A replay: the session revoked, the attempt recorded and alerted on, in one transaction. */
async function refuseReplay(deps: AccessDeps, u: Use, verdict: DeviceVerdict): Promise<never> {
  const sessionRef = sessionRefOf(u.idHash);
  const details = { sessionRef, openedFrom: u.row.source_ip, reason: verdict };
  await deps.db.transaction().execute(async (tx) => {
    if (!(await revokeSessionRow(tx, u.idHash, u.now))) return; // a concurrent replay was recorded already
    const accountId = u.row.account_id;
    await recordSecurityEvent(tx, { at: u.now, kind: 'session.replay', accountId, sourceIp: u.source.ip, details });
    await deps.alerts(tx, {
      at: u.now,
      severity: severityFor(u.row.role, 'high', 'medium'),
      rule: 'session_replay',
      action: 'session_revoked',
      accountId,
      organisationId: u.row.organisation_id,
      sourceIp: u.source.ip,
      sessionRef,
      message: `Session rejouée ${REPLAY_MESSAGES[verdict] ?? ''} : elle est révoquée, son titulaire doit se reconnecter.`,
      details,
    });
  });
  throw deviceMismatch();
}

/** Refuses (and revokes) a session used from another device or network; follows the moves the binding allows. */
async function checkDevice(deps: AccessDeps, u: Use): Promise<void> {
  const opened = { ip: u.row.source_ip, userAgent: u.row.user_agent, deviceHash: u.row.device_hash };
  const verdict = compareDevice(opened, u.source, deviceHashOf(u.source.deviceToken), u.row.role as Role);
  if (verdict === 'same') return;
  if (FOLLOWED.has(verdict)) return follow(deps, u, verdict);
  return refuseReplay(deps, u, verdict);
}

const organisationKind = (kind: string | null): OrganisationKind | null =>
  kind !== null && (ORGANISATION_KINDS as readonly string[]).includes(kind) ? (kind as OrganisationKind) : null;

const resolvedOf = (row: Row, idHash: Buffer): ResolvedSession => ({
  accountId: row.account_id,
  role: row.role as Role,
  organisationId: row.organisation_id,
  organisationKind: organisationKind(row.kind),
  personId: row.person_id,
  assurance: row.assurance === 'mfa' ? 'mfa' : 'password',
  mfaAt: row.mfa_at,
  stepUpAt: row.step_up_at,
  sessionRef: sessionRefOf(idHash),
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  accountStatus: row.status === 'probation' ? 'probation' : 'active',
  accountCreatedAt: row.account_created_at,
});

/**
 * The session behind a cookie token used from `source`, or AppError AUTH.SESSION_INVALID (401);
 * AUTH.SESSION_DEVICE_MISMATCH (401, session revoked, alerted) from another device or network (see
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
  const row = await lookupSession(deps.db, idHash);
  if (!row || !isLive(deps, row, now)) throw invalidSession();
  await checkDevice(deps, { row, idHash, source, now });
  if (row.channel_suspended_at !== null && row.channel_suspended_at !== undefined) throw channelSuspended();
  if (now - row.last_seen_at >= LAST_SEEN_GRANULARITY_MS) await touchSession(deps.db, idHash, now);
  return resolvedOf(row, idHash);
}

/** Signs out: revokes the session of this token (no error if it is already gone). */
export async function endSession(deps: AccessDeps, token: string, source: RequestSource): Promise<void> {
  if (!TOKEN_PATTERN.test(token)) return;
  const now = deps.clock.now();
  const idHash = hashToken(token);
  const row = await sessionOwner(deps.db, idHash);
  if (!row || row.revoked_at !== null) return;
  const details = { sessionRef: sessionRefOf(idHash) };
  await deps.db.transaction().execute(async (tx) => {
    if (!(await revokeSessionRow(tx, idHash, now))) return;
    await recordSecurityEvent(tx, {
      at: now,
      kind: 'auth.sign_out',
      accountId: row.account_id,
      sourceIp: source.ip,
      details,
    });
  });
}

async function liveSessionRows(deps: AccessDeps, accountId: string, now: number) {
  const rows = await liveSessionsOf(deps.db, accountId, now);
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
  await deps.db.transaction().execute(async (tx) => {
    if (!(await revokeSessionRow(tx, target.id_hash, now))) return;
    await recordSecurityEvent(tx, {
      at: now,
      kind: 'auth.session_revoked',
      accountId,
      sourceIp: source.ip,
      details: { sessionRef: ref },
    });
  });
}

/** Revokes every session of an account (containment, password change); returns how many. */
export const revokeAllSessions = (db: DbOrTx, accountId: string, now: number): Promise<number> =>
  revokeSessionsOf(db, accountId, now);

/** Deletes sessions that ended more than `keepMs` ago (housekeeping). */
export const purgeEndedSessions = (db: DbOrTx, now: number, keepMs = 30 * 24 * 3_600_000): Promise<number> =>
  deleteSessionsEndedBefore(db, now - keepMs);
