/**
 * Authentication of API requests: the session cookie is resolved once per request (one indexed
 * query, see access/sessions.ts) into a Reader, the identity every disclosure is recorded under;
 * the roles a route admits are checked before its body is even parsed.
 *
 * CSRF: the cookie is SameSite=Strict, and every state-changing request (POST, PUT, PATCH, DELETE)
 * must declare `content-type: application/json` (an HTML form cannot) and, when the browser says
 * where it comes from (`Sec-Fetch-Site`), come from the same origin: a sibling sub-domain is
 * "same-site" and would carry a SameSite=Strict cookie, so it is refused too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requiresSecondFactor } from '../access/mfa/factors.js';
import { enrolmentRequired } from '../access/mfa/mfa-errors.js';
import { resolveSession } from '../access/sessions.js';
import type { ResolvedSession } from '../access/sessions.js';
import type { Reader } from '../disclosure/reader.js';
import { AppError, forbidden, invalid } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import type { HttpDeps } from './http-deps.js';
import { bearerOf, machineSession } from './machine-auth.js';
import { sourceOf } from './request-source.js';
import { SESSION_COOKIE } from './session-cookie.js';

/**
 * Who may call a route: anyone, any signed-in account, or the listed roles. Staff must have proven
 * a second factor (session assurance 'mfa'): a staff session without one exists only to enrol a
 * factor and opens the 'enrolment' routes alone (AUTH.MFA_ENROLMENT_REQUIRED, 403, elsewhere).
 */
export type Auth = 'public' | 'signed_in' | 'enrolment' | readonly Role[];

export interface AuthState {
  readonly reader: Reader;
  readonly session: ResolvedSession;
  /** The cookie's token, for sign-out; never logged nor returned. */
  readonly token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route's auth hook; null on public routes. */
    auth: AuthState | null;
  }
}

export const readerOf = (session: ResolvedSession, request: FastifyRequest): Reader => ({
  accountId: session.accountId,
  role: session.role,
  organisationId: session.organisationId,
  organisationKind: session.organisationKind,
  personId: session.personId,
  sessionRef: session.sessionRef,
  sourceIp: request.ip,
  requestId: request.id,
  assurance: session.assurance,
  mfaAt: session.mfaAt,
});

export const authRequired = (): AppError =>
  new AppError('AUTH.REQUIRED', 'unauthenticated', 'Vous devez vous connecter pour accéder à cette page.');

const roleForbidden = (): AppError => forbidden('AUTH.ROLE_FORBIDDEN', 'Votre rôle ne permet pas cette action.');

/** The onRequest hook of a route that requires a session (and possibly some roles). */
export function authHook(deps: HttpDeps, auth: Exclude<Auth, 'public'>) {
  return async (request: FastifyRequest): Promise<void> => {
    const bearer = bearerOf(request); // machine clients (machine-auth.ts): scoped tokens, no cookie
    if (bearer !== null) {
      const session = await machineSession(deps, request, bearer, auth);
      request.auth = { reader: readerOf(session, request), session, token: '' };
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined || token === '') throw authRequired();
    const session = await resolveSession(deps.access, token, sourceOf(request));
    if (auth !== 'enrolment' && requiresSecondFactor(session.role) && session.assurance !== 'mfa')
      throw enrolmentRequired();
    if (auth !== 'signed_in' && auth !== 'enrolment' && !auth.includes(session.role)) throw roleForbidden();
    request.auth = { reader: readerOf(session, request), session, token };
  };
}

/** The auth state of a route declared with auth; a bug (500) if called on a public route. */
export function authOf(request: FastifyRequest): AuthState {
  if (request.auth === null) throw new AppError('INTERNAL.AUTH_MISSING', 'internal', 'Erreur interne.');
  return request.auth;
}

const STATE_CHANGING: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TRUSTED_FETCH_SITES: ReadonlySet<string> = new Set(['same-origin', 'none']);

function checkCrossSite(request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  if (!STATE_CHANGING.has(request.method) || request.is404) return done();
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && !TRUSTED_FETCH_SITES.has(site)) {
    return done(forbidden('REQUEST.CROSS_SITE', 'Requête refusée : elle ne provient pas de l’application Vigie.'));
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return done(
      invalid(
        'REQUEST.JSON_REQUIRED',
        'Les requêtes qui modifient des données doivent être envoyées en JSON (content-type: application/json).',
      ),
    );
  }
  done();
}

/** Decorates requests with `auth` and installs the CSRF checks. */
export function installAuth(app: FastifyInstance): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', checkCrossSite);
}
