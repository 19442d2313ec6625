/**
 * Checking a login and password. Whatever the outcome, the check does the same work: one indexed
 * lookup of the login (a dummy index for a value that cannot be a login), one argon2id verification
 * (against a dummy hash of the same parameters for an unknown login), then one transaction with one
 * update of the account's counters (matching no row for an unknown login) and one security event.
 * A known login and an unknown one are thus told apart neither by the answer nor by its timing
 * (issue 9, item 4; `vigie bench signin-timing` measures it).
 *
 * Failures are counted where they come from (issue 9, item 3): a trusted device (OWASP device
 * cookie) counts its own, and is forgotten at the tenth in a row; unknown devices count together on
 * the account, and their tenth in a row locks *unknown devices* out for 15 minutes (CNIL: at most
 * 10). The holder's trusted device is never locked by someone else's guesses.
 */
import { AppError } from '../domain/errors.js';
import type { DbOrTx } from '../storage/database.js';
import type { AccountRow, TrustedDeviceRow } from '../storage/access/sign-in-repo.js';
import {
  NO_ACCOUNT,
  accountByLoginIndex,
  countTrustedDeviceFailure,
  recordPasswordOutcome,
  resetTrustedDeviceFailures,
} from '../storage/access/sign-in-repo.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Account, AccountStatus } from './accounts.js';
import { loginIndex, toAccount } from './accounts.js';
import { dummyHash, needsRehash, rehashPassword, verifyPassword } from './passwords.js';
import { recordSecurityEvent } from './security-events.js';
import type { SecurityEventDetails, SecurityEventKind } from './security-events.js';

/** CNIL doctrine: lock after at most 10 consecutive failures. */
export const MAX_FAILED_SIGN_INS = 10;
export const LOCK_DURATION_MS = 15 * 60_000;
const SIGN_IN_STATUSES: ReadonlySet<string> = new Set<AccountStatus>(['active', 'probation']);
/** A blind index no login has (they are 16 bytes): the lookup of a malformed login costs the same query. */
const NO_INDEX = Buffer.alloc(16);

/** The one answer to every failed sign-in: unknown login, wrong password, locked or disabled account. */
export const invalidCredentials = (): AppError =>
  new AppError('AUTH.INVALID_CREDENTIALS', 'unauthenticated', 'Identifiant ou mot de passe incorrect.');

export interface PasswordCheck {
  /** The account of the login, whether or not the password was right (null: unknown login). */
  readonly account: Account | null;
  /** The password was right and the account may sign in now (through this device). */
  readonly verified: boolean;
}

type Failure = 'unknown_login' | 'locked' | 'wrong_password' | `status_${string}`;

function failureOf(row: AccountRow | undefined, matches: boolean, locked: boolean): Failure | null {
  if (!row) return 'unknown_login';
  if (locked) return 'locked';
  if (!matches) return 'wrong_password';
  return SIGN_IN_STATUSES.has(row.status) ? null : `status_${row.status}`;
}

interface Attempt {
  readonly row: AccountRow | undefined;
  readonly device: TrustedDeviceRow | null;
  readonly password: string;
  readonly source: RequestSource;
  readonly now: number;
}

const event = (a: Attempt, kind: SecurityEventKind, details?: SecurityEventDetails) => ({
  at: a.now,
  kind,
  accountId: a.row?.id ?? null,
  sourceIp: a.source.ip,
  ...(details ? { details } : {}),
});

const outcome = (a: Attempt, failed: boolean, passwordHash: string | null) => ({
  failed,
  unknownDevice: a.device === null,
  limit: MAX_FAILED_SIGN_INS,
  lockUntil: a.now + LOCK_DURATION_MS,
  now: a.now,
  passwordHash,
});

async function recordSuccess(deps: AccessDeps, a: Attempt & { row: AccountRow }): Promise<void> {
  const rehashed = needsRehash(a.row.password_hash) ? await rehashPassword(a.password) : null;
  await deps.db.transaction().execute(async (tx) => {
    await recordPasswordOutcome(tx, a.row.id, outcome(a, false, rehashed));
    if (a.device !== null) await resetTrustedDeviceFailures(tx, a.device.idHash);
    await recordSecurityEvent(tx, event(a, 'auth.sign_in', { reason: 'signed_in', trustedDevice: a.device !== null }));
  });
}

/** A trusted device's failure: its own count; the tenth forgets it. */
async function recordDeviceFailure(tx: DbOrTx, a: Attempt & { device: TrustedDeviceRow }, reason: Failure) {
  const failures = await countTrustedDeviceFailure(tx, a.device.idHash, MAX_FAILED_SIGN_INS);
  const forgotten = failures >= MAX_FAILED_SIGN_INS;
  await recordSecurityEvent(
    tx,
    event(a, forgotten ? 'auth.device_forgotten' : 'auth.sign_in_failed', { reason, trustedDevice: true, failures }),
  );
}

/** An unknown device's failure: the account's count for unknown devices (the same statement for an unknown login). */
async function recordUnknownDeviceFailure(tx: DbOrTx, a: Attempt, reason: Failure) {
  const o = outcome(a, true, null);
  const counted = await recordPasswordOutcome(tx, a.row?.id ?? NO_ACCOUNT, o);
  const kind: SecurityEventKind =
    reason === 'locked' ? 'auth.sign_in_while_locked' : counted.locked ? 'auth.locked_out' : 'auth.sign_in_failed';
  const details: SecurityEventDetails = counted.locked
    ? { reason, failures: counted.failures, lockedUntil: o.lockUntil }
    : reason === 'locked'
      ? { reason, lockedUntil: a.row?.locked_until ?? null }
      : { reason, failures: a.row ? counted.failures : 0 };
  await recordSecurityEvent(tx, event(a, kind, details));
}

/**
 * Checks a password; `device` is the browser's trusted device for this login, if it has one.
 * Never throws for a wrong password: the caller decides the answer (see sign-in.ts).
 */
export async function checkPassword(
  deps: AccessDeps,
  login: string,
  password: string,
  source: RequestSource,
  device: TrustedDeviceRow | null,
): Promise<PasswordCheck> {
  const dummy = await dummyHash(); // awaited for every login alike
  const row = await accountByLoginIndex(deps.db, loginIndex(deps, login) ?? NO_INDEX);
  const now = deps.clock.now();
  const locked = device === null && row?.locked_until != null && row.locked_until > now;
  const matches = await verifyPassword(row?.password_hash ?? dummy, password);
  const failure = failureOf(row, matches, locked);
  const attempt: Attempt = { row, device, password, source, now };
  if (failure === null && row) {
    await recordSuccess(deps, { ...attempt, row });
    return { account: toAccount({ ...row, last_login_at: now }), verified: true };
  }
  await deps.db
    .transaction()
    .execute((tx) =>
      device !== null && row
        ? recordDeviceFailure(tx, { ...attempt, device }, failure ?? 'wrong_password')
        : recordUnknownDeviceFailure(tx, attempt, failure ?? 'wrong_password'),
    );
  return { account: row ? toAccount(row) : null, verified: false };
}

/**
 * Checks a login and password from an unknown device and returns the account, or throws the one
 * AUTH.INVALID_CREDENTIALS (401) whatever was wrong (CLI, tests; the HTTP sign-in is sign-in.ts).
 */
export async function authenticate(
  deps: AccessDeps,
  login: string,
  password: string,
  source: RequestSource,
): Promise<Account> {
  const check = await checkPassword(deps, login, password, source, null);
  if (!check.verified || check.account === null) throw invalidCredentials();
  return check.account;
}
