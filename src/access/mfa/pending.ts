/**
 * A sign-in between its two steps. After the password, a sign-in that must prove a second factor
 * (or a job seeker on a new device, a one-time code) gets a short-lived random token in its own
 * cookie, not a session: the token opens only the second-step routes, for PENDING_TTL_MS, for at
 * most PENDING_MAX_FAILURES wrong answers; the database keeps its SHA-256 only.
 *
 * A *decoy* is the same thing for a job seeker's wrong password (or unknown identifier, or locked
 * account): the first answer is then identical to a right password's, and the decoy behaves like a
 * real pending sign-in at the second step (same answers, same count of wrong answers), except that
 * no answer ever succeeds. Whether the password was right is learned only by proving the second step.
 */
import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../storage/database.js';
import type { CodeChannelColumn, PendingStepColumn } from '../../storage/schema.js';
import { countPendingFailure, deletePending, insertPending, pendingByHash } from '../../storage/access/pending-repo.js';
import { hashToken } from '../sessions.js';
import type { RequestSource } from '../access-deps.js';
import { pendingInvalid } from './mfa-errors.js';
import type { MfaDeps } from './mfa-deps.js';

export const PENDING_TTL_MS = 10 * 60_000;
export const PENDING_MAX_FAILURES = 5;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type PendingStep = PendingStepColumn;

export interface PendingSignIn {
  readonly idHash: Buffer;
  /** Null for the decoy of an unknown login. */
  readonly accountId: string | null;
  readonly step: PendingStep;
  readonly decoy: boolean;
  readonly codeHash: Buffer | null;
  /** Where the one-time code went ('email', 'sms'), null before it went. */
  readonly codeChannel: CodeChannelColumn | null;
}

/** A real pending sign-in (not a decoy): its account is known. */
export type RealPending = PendingSignIn & { readonly accountId: string; readonly decoy: false };

export const isReal = (p: PendingSignIn): p is RealPending => !p.decoy && p.accountId !== null;

export interface PendingGrant {
  readonly token: string;
  readonly idHash: Buffer;
  readonly expiresAt: number;
}

/** Opens the second step of a sign-in (a decoy when `decoy`); the token goes in the pending cookie only. */
export async function startPendingSignIn(
  deps: Pick<MfaDeps, 'db' | 'clock'>,
  start: { readonly accountId: string | null; readonly step: PendingStep; readonly decoy: boolean },
  source: RequestSource,
  db: DbOrTx = deps.db,
): Promise<PendingGrant> {
  const token = randomBytes(32).toString('base64url');
  const idHash = hashToken(token);
  const now = deps.clock.now();
  const expiresAt = now + PENDING_TTL_MS;
  await insertPending(db, { idHash, ...start, now, expiresAt, sourceIp: source.ip });
  return { token, idHash, expiresAt };
}

/** The pending sign-in of a token at this step; AUTH.PENDING_INVALID (401) if absent, expired or exhausted. */
export async function resolvePendingSignIn(
  deps: Pick<MfaDeps, 'db' | 'clock'>,
  token: string | undefined,
  step: PendingStep,
): Promise<PendingSignIn> {
  if (token === undefined || !TOKEN_PATTERN.test(token)) throw pendingInvalid();
  const idHash = hashToken(token);
  const row = await pendingByHash(deps.db, idHash);
  if (!row || row.step !== step || row.expires_at <= deps.clock.now() || row.failures >= PENDING_MAX_FAILURES)
    throw pendingInvalid();
  return {
    idHash,
    accountId: row.account_id,
    step,
    decoy: row.decoy === 1,
    codeHash: row.code_hash,
    codeChannel: row.code_channel,
  };
}

/** Counts a wrong answer; the last one allowed ends the pending sign-in (back to the password). */
export async function failPendingSignIn(db: DbOrTx, pending: PendingSignIn): Promise<void> {
  await countPendingFailure(db, pending.idHash, PENDING_MAX_FAILURES);
}

/** Ends the pending sign-in (it succeeded): its token cannot be used again; false if a racing request won. */
export const finishPendingSignIn = (db: DbOrTx, pending: PendingSignIn): Promise<boolean> =>
  deletePending(db, pending.idHash);
