/**
 * TOTP as a stored factor: enrolment hands out the secret once (otpauth URI) and keeps it sealed
 * under a vault service key; a first right code confirms it. A code is accepted once: the step it
 * belongs to is recorded, and any code of that step or an earlier one is a replay, refused — the
 * update is conditional, so two requests racing with the same code cannot both pass.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { openServiceSecret, sealServiceSecret } from '../../vault/service-keys.js';
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import { noPendingTotp, totpExists } from './mfa-errors.js';
import type { MfaDeps } from './mfa-deps.js';
import { TOTP_SECRET_BYTES, base32Encode, matchingStep, otpauthUri } from './totp.js';

export interface TotpEnrolment {
  readonly uri: string;
  readonly secret: string;
}

const contextOf = (accountId: string, factorId: string): string => `${accountId}/${factorId}`;

const confirmedRow = (deps: MfaDeps, accountId: string) =>
  deps.db
    .selectFrom('mfa_totp')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();

/** Starts a TOTP enrolment (replacing one not confirmed); the secret is shown this once. */
export async function startTotpEnrolment(deps: MfaDeps, accountId: string, label: string): Promise<TotpEnrolment> {
  if (await confirmedRow(deps, accountId)) throw totpExists();
  const id = randomUUID();
  const secret = randomBytes(TOTP_SECRET_BYTES);
  await deps.db.deleteFrom('mfa_totp').where('account_id', '=', accountId).where('confirmed_at', 'is', null).execute();
  const sealed = sealServiceSecret(deps.keys, 'totp-seed', contextOf(accountId, id), secret);
  await deps.db
    .insertInto('mfa_totp')
    .values({
      id,
      account_id: accountId,
      secret: sealed,
      confirmed_at: null,
      last_step: null,
      created_at: deps.clock.now(),
      last_used_at: null,
    })
    .execute();
  return { uri: otpauthUri(secret, deps.mfa.rpName, label), secret: base32Encode(secret) };
}

type TotpRow = { id: string; account_id: string; secret: Buffer; last_step: number | null };

/** Accepts `code` for this row if it matches a step later than the last accepted one (atomic). */
async function consumeStep(deps: MfaDeps, row: TotpRow, code: string): Promise<boolean> {
  const secret = openServiceSecret(deps.keys, 'totp-seed', contextOf(row.account_id, row.id), row.secret);
  const step = matchingStep(secret, code, deps.clock.now());
  secret.fill(0);
  if (step === null || (row.last_step !== null && step <= Number(row.last_step))) return false;
  const now = deps.clock.now();
  const updated = await deps.db
    .updateTable('mfa_totp')
    .set({ last_step: step, last_used_at: now })
    .where('id', '=', row.id)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Confirms the pending enrolment with a first code; false if the code is wrong. */
export async function confirmTotpEnrolment(
  deps: MfaDeps,
  accountId: string,
  code: string,
  source: RequestSource,
): Promise<boolean> {
  const row = await deps.db
    .selectFrom('mfa_totp')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw noPendingTotp();
  if (!(await consumeStep(deps, row, code))) return false;
  const now = deps.clock.now();
  await deps.db.updateTable('mfa_totp').set({ confirmed_at: now }).where('id', '=', row.id).execute();
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'mfa.enrolled',
    accountId,
    sourceIp: source.ip,
    details: { method: 'totp', factorId: row.id },
  });
  return true;
}

/** True if `code` is a fresh code of the account's confirmed TOTP. */
export async function verifyTotp(deps: MfaDeps, accountId: string, code: string): Promise<boolean> {
  const row = await confirmedRow(deps, accountId);
  return row !== undefined && consumeStep(deps, row, code);
}
