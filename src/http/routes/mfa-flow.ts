/**
 * The sign-in after the password: which second step an account must take, and how a sign-in ends.
 *   staff with a factor ........... pending second factor → session 'mfa'
 *   staff without a factor ........ session 'password' limited to enrolling one (`next: 'enrol'`)
 *   job seeker with a factor ...... pending second factor → session 'mfa'
 *   job seeker, known browser ..... session 'password'
 *   job seeker, new browser ....... code e-mailed to their address → session 'password'
 * A browser becomes a trusted device (vigie_device cookie) only when the whole sign-in succeeds.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Account } from '../../access/accounts.js';
import { getAccount, getOrganisation } from '../../access/accounts.js';
import { issueEmailCode, signInCodeMessage } from '../../access/mfa/email-code.js';
import { refreshMfa, replaceWithMfaSession } from '../../access/mfa/step-up.js';
import { methodsOf, requiresSecondFactor } from '../../access/mfa/factors.js';
import type { Mailer } from '../../access/mfa/mailer.js';
import { emailCodeUnavailable, pendingInvalid } from '../../access/mfa/mfa-errors.js';
import type { MfaDeps } from '../../access/mfa/mfa-deps.js';
import type { PendingGrant, PendingSignIn, PendingStep } from '../../access/mfa/pending.js';
import { finishPendingSignIn, startPendingSignIn } from '../../access/mfa/pending.js';
import { recordSecurityEvent } from '../../access/security-events.js';
import type { Assurance, SessionGrant } from '../../access/sessions.js';
import { createSession } from '../../access/sessions.js';
import type { SignedIn } from '../../access/throttle-signin.js';
import { trustDevice } from '../../access/throttle-devices.js';
import type { Reader } from '../../disclosure/reader.js';
import type { Role } from '../../domain/roles.js';
import type { Config } from '../../config/config.js';
import { authOf } from '../auth.js';
import { accountView, iso, isoOrNull } from '../common-schemas.js';
import type { HttpDeps } from '../http-deps.js';
import { sourceOf } from '../request-source.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.js';
import { DEVICE_COOKIE, setDeviceCookie } from '../throttle.js';
import type { LoginResult, Me, SessionView } from './mfa-schemas.js';

/** The pending sign-in's cookie: sent to the authentication routes only. */
export const PENDING_COOKIE = 'vigie_pending';

const pendingCookieOptions = (config: Config, expiresAt?: number) => ({
  httpOnly: true,
  secure: config.http.cookieSecure,
  sameSite: 'strict' as const,
  path: '/api/auth',
  ...(expiresAt !== undefined ? { expires: new Date(expiresAt) } : {}),
});

export const mfaDepsOf = (deps: HttpDeps): MfaDeps => ({ ...deps.access, mfa: deps.config.mfa });

type LoginAnswer = z.input<typeof LoginResult>;
type SessionFacts = { ref: string; assurance: Assurance; expiresAt: number; mfaAt: number | null };

export async function meOf(deps: HttpDeps, account: Account, session: SessionFacts): Promise<z.input<typeof Me>> {
  const organisation =
    account.organisationId === null ? null : await getOrganisation(deps.ctx.store.db, account.organisationId);
  const view = {
    ref: session.ref,
    assurance: session.assurance,
    expiresAt: iso(session.expiresAt),
    mfaAt: isoOrNull(session.mfaAt),
  };
  return { account: accountView(account), organisation, session: view };
}

/** Opens a session and sets its cookie. */
export async function openSession(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  account: Account,
  assurance: Assurance,
): Promise<SessionFacts> {
  const grant: SessionGrant = await createSession(deps.access, account, sourceOf(request), assurance);
  void reply.setCookie(SESSION_COOKIE, grant.token, sessionCookieOptions(deps.config, grant.expiresAt));
  return {
    ref: grant.ref,
    assurance,
    expiresAt: grant.expiresAt,
    mfaAt: assurance === 'mfa' ? deps.access.clock.now() : null,
  };
}

async function openPending(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  account: Account,
  step: PendingStep,
): Promise<PendingGrant> {
  const grant = await startPendingSignIn(mfaDepsOf(deps), account.id, step, sourceOf(request));
  void reply.setCookie(PENDING_COOKIE, grant.token, pendingCookieOptions(deps.config, grant.expiresAt));
  return grant;
}

/**
 * The job seeker's own e-mail address, read through the gate (self_service, recorded like any
 * disclosure), or null when the file has none (or is erased).
 */
export async function ownEmailAddress(
  deps: HttpDeps,
  request: FastifyRequest,
  who: { readonly id: string; readonly role: Role; readonly personId: string },
): Promise<string | null> {
  const reader: Reader = {
    accountId: who.id,
    role: who.role,
    organisationId: null,
    organisationKind: null,
    personId: who.personId,
    sessionRef: null,
    sourceIp: request.ip,
    requestId: request.id,
    assurance: 'password',
    mfaAt: null,
  };
  const [person] = await deps.ctx.gate.disclose({
    reader,
    purpose: 'self_service',
    people: [who.personId],
    fields: ['email'],
  });
  const email = person?.fields.email;
  return typeof email === 'string' && email !== '' ? email : null;
}

async function ownEmail(deps: HttpDeps, request: FastifyRequest, account: Account): Promise<string> {
  if (account.personId === null) throw emailCodeUnavailable();
  const email = await ownEmailAddress(deps, request, {
    id: account.id,
    role: account.role,
    personId: account.personId,
  });
  if (email === null) throw emailCodeUnavailable();
  return email;
}

async function sendEmailCode(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  account: Account,
  mailer: Mailer,
): Promise<LoginAnswer> {
  const to = await ownEmail(deps, request, account);
  const pending = await openPending(deps, request, reply, account, 'email_code');
  await mailer.send(signInCodeMessage(to, await issueEmailCode(mfaDepsOf(deps), pending)));
  await recordSecurityEvent(deps.access.db, {
    at: deps.access.clock.now(),
    kind: 'auth.email_code_sent',
    accountId: account.id,
    sourceIp: request.ip,
  });
  return { next: 'email_code' };
}

/** After the right password: the second step this account must take, or its session. */
export async function afterPassword(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  signedIn: SignedIn,
  knownDevice: boolean,
  mailer: Mailer,
): Promise<LoginAnswer> {
  const { account } = signedIn;
  const methods = await methodsOf(deps.access.db, account.id);
  if (methods.length > 0) {
    await openPending(deps, request, reply, account, 'mfa');
    return { next: 'mfa', methods };
  }
  if (requiresSecondFactor(account.role))
    return {
      next: 'enrol',
      ...(await meOf(deps, account, await openSession(deps, request, reply, account, 'password'))),
    };
  if (!knownDevice) return sendEmailCode(deps, request, reply, account, mailer);
  setDeviceCookie(deps, reply, signedIn.device);
  return { next: 'done', ...(await meOf(deps, account, await openSession(deps, request, reply, account, 'password'))) };
}

/** Trusts this browser for the account (the whole sign-in, or an enrolment, succeeded). */
export async function trustThisBrowser(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
): Promise<void> {
  const device = await trustDevice(deps.access.db, accountId, request.cookies[DEVICE_COOKIE], deps.access.clock.now());
  setDeviceCookie(deps, reply, device);
}

/** Ends a pending sign-in that proved its second step: session, trusted browser, cookies. */
export async function completeSignIn(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  pending: PendingSignIn,
  assurance: Assurance,
): Promise<LoginAnswer> {
  if (!(await finishPendingSignIn(mfaDepsOf(deps), pending))) throw pendingInvalid(); // raced: the other request won
  void reply.clearCookie(PENDING_COOKIE, pendingCookieOptions(deps.config));
  const account = await getAccount(deps.access.db, pending.accountId);
  const session = await openSession(deps, request, reply, account, assurance);
  await trustThisBrowser(deps, request, reply, account.id);
  if (pending.step === 'email_code')
    await recordSecurityEvent(deps.access.db, {
      at: deps.access.clock.now(),
      kind: 'auth.device_added',
      accountId: account.id,
      sourceIp: request.ip,
    });
  return { next: 'done', ...(await meOf(deps, account, session)) };
}

/**
 * A factor was just proven inside a session (enrolment, step-up): `mfa_at` moves to now; a
 * 'password' session is replaced by a new 'mfa' session (new token, browser trusted).
 */
export async function raiseSession(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<{ session: z.input<typeof SessionView> }> {
  const { session, token } = authOf(request);
  const now = deps.access.clock.now();
  if (session.assurance === 'mfa') {
    await refreshMfa(mfaDepsOf(deps), token);
    return {
      session: { ref: session.sessionRef, assurance: 'mfa', expiresAt: iso(session.expiresAt), mfaAt: iso(now) },
    };
  }
  const grant = await replaceWithMfaSession(mfaDepsOf(deps), token, session.accountId, sourceOf(request));
  void reply.setCookie(SESSION_COOKIE, grant.token, sessionCookieOptions(deps.config, grant.expiresAt));
  await trustThisBrowser(deps, request, reply, session.accountId);
  return { session: { ref: grant.ref, assurance: 'mfa', expiresAt: iso(grant.expiresAt), mfaAt: iso(now) } };
}
