/**
 * Bearer tokens of machine clients (OAuth 2.0 client credentials): random 256-bit tokens, stored as
 * SHA-256, valid 10 minutes, carrying a subset of the client's scopes. A failed client
 * authentication counts against the source address like a failed sign-in (the same throttle), and is
 * recorded. Resolving a token re-reads the client and its service account on every request, so
 * disabling either takes effect at once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, isAppError } from '../domain/errors.js';
import { ORGANISATION_KINDS } from '../domain/roles.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import { hashSecret } from './machine-clients.js';
import { recordSecurityEvent } from './security-events.js';
import type { SignInThrottle } from './throttle.js';

export const MACHINE_TOKEN_TTL_MS = 10 * 60_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIVE: ReadonlySet<string> = new Set(['active', 'probation']);

const tokenHash = (token: string): Buffer =>
  createHash('sha256').update('vigie/machine-token/v1\0').update(token, 'utf8').digest();
/** A non-secret reference of a token, recorded with disclosures instead of a session reference. */
export const machineRefOf = (idHash: Buffer): string =>
  `mc-${createHash('sha256').update(idHash).digest('hex').slice(0, 12)}`;

export const clientInvalid = (): AppError =>
  new AppError('AUTH.CLIENT_INVALID', 'unauthenticated', 'Identifiants du client invalides.');
export const tokenInvalid = (): AppError =>
  new AppError('AUTH.TOKEN_INVALID', 'unauthenticated', 'Jeton d’accès invalide ou expiré.');
const scopeRefused = (): AppError =>
  new AppError('AUTH.SCOPE_INVALID', 'invalid', 'Droits demandés non accordés à ce client.');

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated; default: every scope of the client. */
  readonly scope: string | undefined;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
  readonly scopes: readonly string[];
}

async function authenticateClient(deps: AccessDeps, credentials: ClientCredentials) {
  if (!UUID.test(credentials.clientId)) throw clientInvalid();
  const row = await deps.db
    .selectFrom('machine_clients as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select(['c.id', 'c.account_id', 'c.secret_hash', 'c.scopes', 'c.disabled_at', 'a.status'])
    .where('c.id', '=', credentials.clientId)
    .executeTakeFirst();
  const presented = hashSecret(credentials.clientSecret);
  if (!row || !timingSafeEqual(row.secret_hash, presented) || row.disabled_at !== null || !LIVE.has(row.status))
    throw clientInvalid();
  return row;
}

function grantedScopes(allowed: readonly string[], requested: string | undefined): string[] {
  if (requested === undefined || requested.trim() === '') return [...allowed];
  const asked = requested.trim().split(/\s+/);
  if (!asked.every((s) => allowed.includes(s))) throw scopeRefused();
  return [...new Set(asked)];
}

/** Client credentials grant: throttled per source like sign-ins; failures recorded. */
export async function issueMachineToken(
  deps: AccessDeps,
  throttle: SignInThrottle,
  credentials: ClientCredentials,
  source: RequestSource,
): Promise<IssuedToken> {
  const now = deps.clock.now();
  throttle.admit(source, now);
  try {
    const client = await authenticateClient(deps, credentials);
    const scopes = grantedScopes(client.scopes.split(' '), credentials.scope);
    const token = randomBytes(32).toString('base64url');
    await deps.db
      .insertInto('machine_tokens')
      .values({
        id_hash: tokenHash(token),
        client_id: client.id,
        scopes: scopes.join(' '),
        created_at: now,
        expires_at: now + MACHINE_TOKEN_TTL_MS,
        revoked_at: null,
      })
      .execute();
    await deps.db.updateTable('accounts').set({ last_login_at: now }).where('id', '=', client.account_id).execute();
    await recordSecurityEvent(deps.db, {
      at: now,
      kind: 'machine.token_issued',
      accountId: client.account_id,
      sourceIp: source.ip,
      details: { clientId: client.id, scopes: scopes.join(' ') },
    });
    return { token, expiresInSeconds: MACHINE_TOKEN_TTL_MS / 1000, scopes };
  } catch (e) {
    if (isAppError(e) && e.code === 'AUTH.CLIENT_INVALID') {
      throttle.recordFailure(source, now);
      await recordSecurityEvent(deps.db, {
        at: now,
        kind: 'machine.auth_failed',
        accountId: null,
        sourceIp: source.ip,
        details: { clientId: UUID.test(credentials.clientId) ? credentials.clientId : null },
      });
    }
    throw e;
  }
}

/** What a live machine token establishes: the service account acting, its scopes and limits. */
export interface MachineIdentity {
  readonly clientId: string;
  readonly accountId: string;
  readonly role: Role;
  readonly organisationId: string;
  readonly organisationKind: OrganisationKind | null;
  readonly accountStatus: 'active' | 'probation';
  readonly accountCreatedAt: number;
  readonly scopes: readonly string[];
  readonly ref: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly ratePerMinute: number;
  readonly burst: number;
}

const kindOf = (kind: string | null): OrganisationKind | null =>
  kind !== null && (ORGANISATION_KINDS as readonly string[]).includes(kind) ? (kind as OrganisationKind) : null;

/** The identity behind a bearer token, or AUTH.TOKEN_INVALID (401): expired, revoked, client disabled, account not live, channel suspended. */
export async function resolveMachineToken(deps: AccessDeps, token: string): Promise<MachineIdentity> {
  if (!TOKEN_PATTERN.test(token)) throw tokenInvalid();
  const idHash = tokenHash(token);
  const row = await deps.db
    .selectFrom('machine_tokens as t')
    .innerJoin('machine_clients as c', 'c.id', 't.client_id')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select([
      't.scopes',
      't.created_at',
      't.expires_at',
      't.revoked_at',
      'c.id as client_id',
      'c.disabled_at',
      'c.rate_per_minute',
      'c.burst',
      'c.organisation_id',
      'a.id as account_id',
      'a.role',
      'a.status',
      'a.created_at as account_created_at',
      'o.kind',
      'o.channel_suspended_at',
    ])
    .where('t.id_hash', '=', idHash)
    .executeTakeFirst();
  const now = deps.clock.now();
  if (
    !row ||
    row.revoked_at !== null ||
    row.expires_at <= now ||
    row.disabled_at !== null ||
    !LIVE.has(row.status) ||
    row.channel_suspended_at !== null
  )
    throw tokenInvalid();
  return {
    clientId: row.client_id,
    accountId: row.account_id,
    role: row.role as Role,
    organisationId: row.organisation_id,
    organisationKind: kindOf(row.kind),
    accountStatus: row.status === 'probation' ? 'probation' : 'active',
    accountCreatedAt: row.account_created_at,
    scopes: row.scopes.split(' '),
    ref: machineRefOf(idHash),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ratePerMinute: row.rate_per_minute,
    burst: row.burst,
  };
}
