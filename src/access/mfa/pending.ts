/**
 * A sign-in between its two steps. After the right password, an account that must prove a second
 * factor (or a job seeker on a new device, an e-mailed code) gets a short-lived random token in its
 * own cookie, not a session: the token opens only the second-step routes, for PENDING_TTL_MS, for at
 * most PENDING_MAX_FAILURES wrong answers; the database keeps its SHA-256 only.
 */
import { randomBytes } from 'node:crypto';
import { hashToken } from '../sessions.js';
import type { RequestSource } from '../access-deps.js';
import { pendingInvalid } from './mfa-errors.js';
import type { MfaDeps } from './mfa-deps.js';

export const PENDING_TTL_MS = 10 * 60_000;
export const PENDING_MAX_FAILURES = 5;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type PendingStep = 'mfa' | 'email_code';

export interface PendingSignIn {
  readonly idHash: Buffer;
  readonly accountId: string;
  readonly step: PendingStep;
  readonly emailCodeHash: Buffer | null;
}

export interface PendingGrant {
  readonly token: string;
  readonly idHash: Buffer;
  readonly expiresAt: number;
}

/** Opens the second step of a sign-in; the token goes in the pending cookie and nowhere else. */
export async function startPendingSignIn(
  deps: MfaDeps,
  accountId: string,
  step: PendingStep,
  source: RequestSource,
): Promise<PendingGrant> {
  const token = randomBytes(32).toString('base64url');
  const idHash = hashToken(token);
  const now = deps.clock.now();
  await deps.db.deleteFrom('pending_sign_ins').where('expires_at', '<=', now).execute();
  const expiresAt = now + PENDING_TTL_MS;
  await deps.db
    .insertInto('pending_sign_ins')
    .values({
      id_hash: idHash,
      account_id: accountId,
      step,
      created_at: now,
      expires_at: expiresAt,
      failures: 0,
      email_code_hash: null,
      source_ip: source.ip,
    })
    .execute();
  return { token, idHash, expiresAt };
}

/** The pending sign-in of a token at this step; AUTH.PENDING_INVALID (401) if absent, expired or exhausted. */
export async function resolvePendingSignIn(
  deps: MfaDeps,
  token: string | undefined,
  step: PendingStep,
): Promise<PendingSignIn> {
  if (token === undefined || !TOKEN_PATTERN.test(token)) throw pendingInvalid();
  const idHash = hashToken(token);
  const row = await deps.db.selectFrom('pending_sign_ins').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row || row.step !== step || row.expires_at <= deps.clock.now() || row.failures >= PENDING_MAX_FAILURES)
    throw pendingInvalid();
  return { idHash, accountId: row.account_id, step, emailCodeHash: row.email_code_hash };
}

/** Counts a wrong answer; the last one allowed ends the pending sign-in (back to the password). */
export async function failPendingSignIn(deps: MfaDeps, pending: PendingSignIn): Promise<void> {
  await deps.db
    .updateTable('pending_sign_ins')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id_hash', '=', pending.idHash)
    .execute();
  await deps.db
    .deleteFrom('pending_sign_ins')
    .where('id_hash', '=', pending.idHash)
    .where('failures', '>=', PENDING_MAX_FAILURES)
    .execute();
}

/** Ends the pending sign-in (it succeeded): its token cannot be used again. */
export async function finishPendingSignIn(deps: MfaDeps, pending: PendingSignIn): Promise<boolean> {
  const result = await deps.db.deleteFrom('pending_sign_ins').where('id_hash', '=', pending.idHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function setPendingEmailCode(deps: MfaDeps, pending: PendingGrant, codeHash: Buffer): Promise<void> {
  await deps.db
    .updateTable('pending_sign_ins')
    .set({ email_code_hash: codeHash })
    .where('id_hash', '=', pending.idHash)
    .execute();
}
