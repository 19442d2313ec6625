/**
 * Machine clients on the API: `Authorization: Bearer <token>` instead of the session cookie. The
 * route must be opened by one of the token's scopes (access/machine-scopes.ts), the client's bucket
 * must hold a token (429 MACHINE.RATE_LIMITED, Retry-After), and the request then runs as the client's
 * service account: its Reader is authorised by the gate like any account of its role.
 */
import type { FastifyRequest } from 'fastify';
import type { AccessDeps } from '../access/access-deps.js';
import { MachineRateLimiter } from '../access/machine-rate.js';
import { scopesAllow } from '../access/machine-scopes.js';
import { resolveMachineToken } from '../access/machine-tokens.js';
import type { MachineIdentity } from '../access/machine-tokens.js';
import { recordSecurityEvent } from '../access/security-events.js';
import type { ResolvedSession } from '../access/sessions.js';
import { AppError, forbidden, isAppError } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import type { HttpDeps } from './http-deps.js';

const limiters = new WeakMap<AccessDeps, MachineRateLimiter>();

function limiterOf(deps: HttpDeps): MachineRateLimiter {
  let limiter = limiters.get(deps.access);
  if (!limiter) {
    limiter = new MachineRateLimiter();
    limiters.set(deps.access, limiter);
  }
  return limiter;
}

const scopeForbidden = (): AppError =>
  forbidden('AUTH.SCOPE_FORBIDDEN', 'Les droits de ce jeton ne couvrent pas cette action.');

/** The bearer token of the request, or null when it has none (then the session cookie applies). */
export function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new AppError('AUTH.TOKEN_INVALID', 'unauthenticated', 'Jeton d’accès invalide ou expiré.');
  return match[1];
}

async function limit(deps: HttpDeps, request: FastifyRequest, identity: MachineIdentity): Promise<void> {
  try {
    limiterOf(deps).take(identity.clientId, identity.ratePerMinute, identity.burst, deps.access.clock.now());
  } catch (e) {
    const now = deps.access.clock.now();
    if (isAppError(e) && limiterOf(deps).shouldRecord(identity.clientId, now)) {
      const details = { clientId: identity.clientId, route: request.routeOptions.url ?? null };
      await recordSecurityEvent(deps.access.db, {
        at: now,
        kind: 'machine.rate_limited',
        accountId: identity.accountId,
        sourceIp: request.ip,
        details,
      });
    }
    throw e;
  }
}

/** The session-like identity of a machine token on this route, as the Reader is built from it. */
export async function machineSession(
  deps: HttpDeps,
  request: FastifyRequest,
  token: string,
  auth: 'signed_in' | 'enrolment' | readonly Role[],
): Promise<ResolvedSession> {
  const identity = await resolveMachineToken(deps.access, token);
  const route = request.routeOptions.url ?? '';
  if (!scopesAllow(identity.scopes, request.method, route) || typeof auth === 'string' || !auth.includes(identity.role))
    throw scopeForbidden();
  await limit(deps, request, identity);
  return {
    accountId: identity.accountId,
    role: identity.role,
    organisationId: identity.organisationId,
    organisationKind: identity.organisationKind,
    personId: null,
    assurance: 'password',
    mfaAt: null,
    stepUpAt: null,
    sessionRef: identity.ref,
    createdAt: identity.createdAt,
    expiresAt: identity.expiresAt,
    accountStatus: identity.accountStatus,
    accountCreatedAt: identity.accountCreatedAt,
  };
}
