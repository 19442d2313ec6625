/**
 * What the sign-in routes share: the use cases' deps (access/sign-in.ts, sign-in-complete.ts), and
 * turning their results into cookies and answers. A browser becomes a trusted device (vigie_device
 * cookie) only when the whole sign-in succeeds; sessions are bound to that token.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Account } from '../../access/accounts.js';
import { getOrganisation } from '../../access/accounts.js';
import type { ContactReader, OwnContact } from '../../access/mfa/device-code-delivery.js';
import type { Mailer } from '../../access/mfa/mailer.js';
import type { MfaDeps } from '../../access/mfa/mfa-deps.js';
import type { Raised } from '../../access/mfa/step-up.js';
import type { TextSender } from '../../access/mfa/texter.js';
import type { SignedIn } from '../../access/sign-in-complete.js';
import type { OpenedSession, SignInDeps, SignInResult } from '../../access/sign-in.js';
import type { DeviceGrant } from '../../access/throttle-devices.js';
import type { Reader } from '../../disclosure/reader.js';
import type { Config } from '../../config/config.js';
import { authOf } from '../auth.js';
import type { Background } from '../background.js';
import { accountView, iso, isoOrNull } from '../common-schemas.js';
import type { HttpDeps } from '../http-deps.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.js';
import { setDeviceCookie, signInThrottleOf } from '../throttle.js';
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

/** The senders and background runner of the sign-in routes (one per app, closed with it). */
export interface SignInServices {
  readonly mailer: Mailer;
  readonly texter: TextSender;
  readonly background: Background;
}

export const signInDepsOf = (deps: HttpDeps, services: SignInServices): SignInDeps => ({
  ...mfaDepsOf(deps),
  mailer: services.mailer,
  texter: services.texter,
  throttle: signInThrottleOf(deps),
  background: (task) => services.background.run(task),
});

type LoginAnswer = z.input<typeof LoginResult>;
type SessionFacts = { ref: string; assurance: 'password' | 'mfa'; expiresAt: number; mfaAt: number | null };

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

/**
 * A job seeker's own contact details (e-mail, phone), read through the gate (self_service,
 * recorded like any disclosure); empty when the file has none (or is erased).
 */
export async function ownContact(
  deps: HttpDeps,
  request: FastifyRequest,
  who: { readonly accountId: string; readonly personId: string },
  fields: readonly ('email' | 'phone')[] = ['email', 'phone'],
): Promise<OwnContact> {
  const reader: Reader = {
    accountId: who.accountId,
    role: 'job_seeker',
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
    fields: [...fields],
  });
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return { email: text(person?.fields.email), phone: text(person?.fields.phone) };
}

export const contactReaderOf =
  (deps: HttpDeps, request: FastifyRequest): ContactReader =>
  (who) =>
    ownContact(deps, request, who);

function setSession(deps: HttpDeps, reply: FastifyReply, session: OpenedSession, device: DeviceGrant | null): void {
  void reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(deps.config, session.expiresAt));
  if (device !== null) setDeviceCookie(deps, reply, device);
}

/** The answer to POST /api/auth/login (and the OIDC callback): cookies set, next step said. */
export async function answerSignIn(deps: HttpDeps, reply: FastifyReply, result: SignInResult): Promise<LoginAnswer> {
  if (result.next === 'mfa' || result.next === 'device_code') {
    void reply.setCookie(
      PENDING_COOKIE,
      result.pending.token,
      pendingCookieOptions(deps.config, result.pending.expiresAt),
    );
    return result.next === 'mfa' ? { next: 'mfa', methods: result.methods } : { next: 'device_code' };
  }
  setSession(deps, reply, result.session, result.device);
  return { next: result.next, ...(await meOf(deps, result.account, result.session)) };
}

/** The answer to a second step that succeeded: pending cookie cleared, session and device cookies set. */
export async function answerSignedIn(deps: HttpDeps, reply: FastifyReply, signedIn: SignedIn): Promise<LoginAnswer> {
  void reply.clearCookie(PENDING_COOKIE, pendingCookieOptions(deps.config));
  setSession(deps, reply, signedIn.session, signedIn.device);
  return { next: 'done', ...(await meOf(deps, signedIn.account, signedIn.session)) };
}

/** The session view after a factor proven inside a session; a replaced session's cookies set. */
export function answerRaised(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  raised: Raised,
): { session: z.input<typeof SessionView> } {
  if (raised.replaced === null) {
    const { session } = authOf(request);
    return {
      session: {
        ref: session.sessionRef,
        assurance: 'mfa',
        expiresAt: iso(session.expiresAt),
        mfaAt: iso(raised.mfaAt),
      },
    };
  }
  const { session, device } = raised.replaced;
  void reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(deps.config, session.expiresAt));
  setDeviceCookie(deps, reply, device);
  return {
    session: { ref: session.ref, assurance: 'mfa', expiresAt: iso(session.expiresAt), mfaAt: iso(raised.mfaAt) },
  };
}
