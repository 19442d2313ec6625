/**
 * The second step of a sign-in, as use cases: a factor (passkey, TOTP, recovery code) for a pending
 * `mfa` sign-in, a one-time code (sent, or given by an adviser) for a pending `device_code` sign-in.
 * A decoy answers exactly as a real pending sign-in answers a wrong proof. Success ends the pending
 * sign-in, opens the session bound to a renewed trusted-device token, and records it, in one
 * transaction (a racing request with the same pending token gets AUTH.PENDING_INVALID).
 */
import { NO_ACCOUNT } from '../storage/access/sign-in-repo.js';
import type { DbOrTx } from '../storage/database.js';
import type { RequestSource } from './access-deps.js';
import type { Account } from './accounts.js';
import { getAccount } from './accounts.js';
import { isAssistedCode, useAssisted } from './mfa/assisted-codes.js';
import { checkFactorAttempts, recordFactorFailure } from './mfa/attempts.js';
import { deviceCodeMatches } from './mfa/device-code.js';
import { factorRejected, pendingInvalid } from './mfa/mfa-errors.js';
import type { MfaDeps } from './mfa/mfa-deps.js';
import type { PendingSignIn, RealPending } from './mfa/pending.js';
import { failPendingSignIn, finishPendingSignIn, isReal, resolvePendingSignIn } from './mfa/pending.js';
import type { FactorProof } from './mfa/proof.js';
import { proveFactor } from './mfa/proof.js';
import type { Assurance } from './sessions.js';
import { createSession } from './sessions.js';
import type { OpenedSession } from './sign-in.js';
import type { DeviceGrant } from './throttle-devices.js';
import { trustDevice } from './throttle-devices.js';
import { recordSecurityEvent } from './security-events.js';

export interface SignedIn {
  readonly account: Account;
  readonly session: OpenedSession;
  readonly device: DeviceGrant;
}

/** A wrong answer to a pending sign-in (or any answer to a decoy): counted on it and on the account. */
async function reject(
  deps: MfaDeps,
  pending: PendingSignIn,
  method: FactorProof['method'] | 'device_code',
  source: RequestSource,
) {
  await failPendingSignIn(deps.db, pending);
  await recordFactorFailure(deps, pending.accountId ?? NO_ACCOUNT, method, source);
  return factorRejected();
}

interface Finish {
  readonly assurance: Assurance;
  /** A last write of the success (an adviser's code used): false rolls the whole success back. */
  readonly consume?: (tx: DbOrTx) => Promise<boolean>;
  readonly via?: string;
}

class NotConsumed extends Error {}

async function finish(deps: MfaDeps, pending: RealPending, source: RequestSource, f: Finish): Promise<SignedIn> {
  const account = await getAccount(deps.db, pending.accountId);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    if (!(await finishPendingSignIn(tx, pending))) throw pendingInvalid(); // raced: the other request won
    if (f.consume && !(await f.consume(tx))) throw new NotConsumed();
    const device = await trustDevice(tx, account.id, source.deviceToken, now);
    const grant = await createSession(deps, account, source, f.assurance, { deviceHash: device.idHash, db: tx });
    if (f.via !== undefined)
      await recordSecurityEvent(tx, {
        at: now,
        kind: 'auth.device_added',
        accountId: account.id,
        sourceIp: source.ip,
        details: { via: f.via },
      });
    const mfaAt = f.assurance === 'mfa' ? now : null;
    return { account, session: { ...grant, assurance: f.assurance, mfaAt }, device };
  });
}

/** Proves a factor for a pending `mfa` sign-in: MFA.INVALID, MFA.LOCKED, AUTH.PENDING_INVALID, or the session. */
export async function completeWithFactor(
  deps: MfaDeps,
  pendingToken: string | undefined,
  proof: FactorProof,
  source: RequestSource,
): Promise<SignedIn> {
  const pending = await resolvePendingSignIn(deps, pendingToken, 'mfa');
  await checkFactorAttempts(deps, pending.accountId ?? NO_ACCOUNT);
  if (!isReal(pending)) throw await reject(deps, pending, proof.method, source);
  try {
    await proveFactor(deps, { accountId: pending.accountId, owner: pending.idHash, purpose: 'sign_in', source }, proof);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'MFA.INVALID') await failPendingSignIn(deps.db, pending);
    throw e;
  }
  return finish(deps, pending, source, { assurance: 'mfa' });
}

/** Checks the one-time code of a pending `device_code` sign-in (sent, or an adviser's): the session, or MFA.INVALID. */
export async function completeWithDeviceCode(
  deps: MfaDeps,
  pendingToken: string | undefined,
  code: string,
  source: RequestSource,
): Promise<SignedIn> {
  const pending = await resolvePendingSignIn(deps, pendingToken, 'device_code');
  await checkFactorAttempts(deps, pending.accountId ?? NO_ACCOUNT);
  if (isReal(pending)) {
    if (deviceCodeMatches(deps, pending, code))
      return finish(deps, pending, source, { assurance: 'password', via: pending.codeChannel ?? 'code' });
    if (isAssistedCode(code)) {
      const consume = (tx: DbOrTx) => useAssisted(deps, tx, pending.accountId, code);
      try {
        return await finish(deps, pending, source, { assurance: 'password', via: 'adviser', consume });
      } catch (e) {
        if (!(e instanceof NotConsumed)) throw e;
      }
    }
  }
  throw await reject(deps, pending, 'device_code', source);
}
