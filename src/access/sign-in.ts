/**
 * Sign-in with a password, as a use case: plain input in, a result out that the route turns into
 * cookies and an answer.
 *   staff with a factor ................ pending second factor (`mfa`) → session 'mfa'
 *   staff without a factor ............. session 'password' limited to enrolling one (`enrol`)
 *   job seeker with a factor ........... pending second factor (`mfa`) → session 'mfa'
 *   job seeker, trusted device ......... session 'password' (`done`)
 *   job seeker, new device ............. pending one-time code (`device_code`), sent by e-mail or
 *                                        SMS after the answer, or given by their adviser → 'password'
 * No password oracle for job seekers (issue 9, item 2): from an unknown device, a wrong password, an
 * unknown identifier or a locked account get the same answer as the right password (a *decoy*
 * pending sign-in, see mfa/pending.ts), after the same work (password-check.ts, then the same
 * factor lookup and the same pending insert); the code is sent only for a right password, after
 * the answer. Staff, and trusted devices, get AUTH.INVALID_CREDENTIALS (401) for every failure.
 * A browser becomes a trusted device only when the whole sign-in succeeds.
 */
import { parseIdentifier } from '../domain/identifier.js';
import { AppError } from '../domain/errors.js';
import { NO_ACCOUNT } from '../storage/access/sign-in-repo.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Account } from './accounts.js';
import type { ContactReader, DeliveryDeps } from './mfa/device-code-delivery.js';
import { deliverDeviceCode } from './mfa/device-code-delivery.js';
import { methodsOf, requiresSecondFactor } from './mfa/factors.js';
import type { FactorMethod } from './mfa/mfa-deps.js';
import type { PendingGrant } from './mfa/pending.js';
import { startPendingSignIn } from './mfa/pending.js';
import { invalidCredentials } from './password-check.js';
import { recordSecurityEvent } from './security-events.js';
import type { Assurance, SessionGrant } from './sessions.js';
import { createSession } from './sessions.js';
import type { SignInThrottle } from './throttle.js';
import type { DeviceGrant } from './throttle-devices.js';
import { trustDevice } from './throttle-devices.js';
import { throttledCheck } from './throttle-signin.js';

export interface SignInDeps extends DeliveryDeps {
  readonly throttle: SignInThrottle;
  /** Runs work after the answer has gone (the one-time code's sending); errors are the runner's to log. */
  readonly background: (task: () => Promise<void>) => void;
}

export interface SignInInput {
  readonly login: string;
  readonly password: string;
  /** Where from, with the browser's trusted-device token if it sent one. */
  readonly source: RequestSource;
  /** Reads the job seeker's own contact details through the gate (for the one-time code). */
  readonly contact: ContactReader;
}

/** A session opened by a sign-in, with what the answer shows of it. */
export interface OpenedSession extends SessionGrant {
  readonly assurance: Assurance;
  readonly mfaAt: number | null;
}

export type SignInResult =
  | {
      readonly next: 'done' | 'enrol';
      readonly account: Account;
      readonly session: OpenedSession;
      /** The renewed trusted-device token (null for an enrolment session: the sign-in is not whole yet). */
      readonly device: DeviceGrant | null;
    }
  | { readonly next: 'mfa'; readonly methods: FactorMethod[]; readonly pending: PendingGrant }
  | { readonly next: 'device_code'; readonly pending: PendingGrant };

const looksLikeIdentifier = (login: string): boolean => !(parseIdentifier(login) instanceof AppError);

/**
 * Opens a session bound to a renewed trusted-device token (or, without `trust`, to the exact address),
 * recorded with `event` if given, in one transaction.
 */
export async function openSession(
  deps: AccessDeps,
  account: Account,
  source: RequestSource,
  opening: {
    readonly assurance: Assurance;
    readonly trust: boolean;
    readonly event?: 'auth.device_added';
    readonly via?: string;
  },
): Promise<{ session: OpenedSession; device: DeviceGrant | null }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const device = opening.trust ? await trustDevice(tx, account.id, source.deviceToken, now) : null;
    const grant = await createSession(deps, account, source, opening.assurance, {
      deviceHash: device?.idHash ?? null,
      db: tx,
    });
    if (opening.event)
      await recordSecurityEvent(tx, {
        at: now,
        kind: opening.event,
        accountId: account.id,
        sourceIp: source.ip,
        ...(opening.via ? { details: { via: opening.via } } : {}),
      });
    const mfaAt = opening.assurance === 'mfa' ? now : null;
    return { session: { ...grant, assurance: opening.assurance, mfaAt }, device };
  });
}

/** The second step for this account (or a decoy of it): the same two lookups and one insert either way. */
async function secondStep(
  deps: SignInDeps,
  account: Account | null,
  decoy: boolean,
  source: RequestSource,
): Promise<Extract<SignInResult, { pending: PendingGrant }>> {
  const methods = await methodsOf(deps.db, account?.id ?? NO_ACCOUNT);
  const step = methods.length > 0 ? 'mfa' : 'device_code';
  const pending = await startPendingSignIn(deps, { accountId: account?.id ?? null, step, decoy }, source);
  return step === 'mfa' ? { next: 'mfa', methods, pending } : { next: 'device_code', pending };
}

/** After a right password (or a federated identity): the second step this account must take, or its session. */
export async function afterVerified(
  deps: SignInDeps,
  account: Account,
  trustedDevice: boolean,
  input: Pick<SignInInput, 'source' | 'contact'>,
): Promise<SignInResult> {
  if (requiresSecondFactor(account.role)) {
    const methods = await methodsOf(deps.db, account.id);
    if (methods.length > 0)
      return {
        next: 'mfa',
        methods,
        pending: await startPendingSignIn(deps, { accountId: account.id, step: 'mfa', decoy: false }, input.source),
      };
    return {
      next: 'enrol',
      account,
      ...(await openSession(deps, account, input.source, { assurance: 'password', trust: false })),
    };
  }
  if (trustedDevice) {
    const methods = await methodsOf(deps.db, account.id);
    if (methods.length > 0)
      return {
        next: 'mfa',
        methods,
        pending: await startPendingSignIn(deps, { accountId: account.id, step: 'mfa', decoy: false }, input.source),
      };
    return {
      next: 'done',
      account,
      ...(await openSession(deps, account, input.source, { assurance: 'password', trust: true })),
    };
  }
  const step = await secondStep(deps, account, false, input.source);
  const personId = account.personId;
  if (step.next === 'device_code' && personId !== null)
    deps.background(() =>
      deliverDeviceCode(deps, input.contact, step.pending, { accountId: account.id, personId, source: input.source }),
    );
  return step;
}

/**
 * Signs in with a password. Throws AUTH.TOO_MANY_ATTEMPTS (429) for a throttled source and
 * AUTH.INVALID_CREDENTIALS (401) for a staff login's or a trusted device's failure.
 */
export async function signIn(deps: SignInDeps, input: SignInInput): Promise<SignInResult> {
  const check = await throttledCheck(deps, deps.throttle, input);
  if (check.verified && check.account !== null) return afterVerified(deps, check.account, check.device !== null, input);
  const jobSeeker = check.account ? check.account.role === 'job_seeker' : looksLikeIdentifier(input.login);
  if (check.device !== null || !jobSeeker) throw invalidCredentials();
  return secondStep(deps, check.account, true, input.source);
}
