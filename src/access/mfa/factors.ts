/**
 * An account's second factors as a whole: which methods it can sign in with, the list its owner
 * sees, and removal. Staff must keep at least one passkey or TOTP: removing the last is refused.
 * Recovery codes are a fallback, not a factor of their own: they go when the last factor goes.
 */
import type { Role } from '../../domain/roles.js';
import type { DbOrTx } from '../../storage/database.js';
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import { factorNotFound, lastFactor } from './mfa-errors.js';
import type { FactorMethod, MfaDeps } from './mfa-deps.js';

export interface FactorSummary {
  readonly id: string;
  readonly method: 'webauthn' | 'totp';
  readonly label: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export interface Factors {
  readonly factors: readonly FactorSummary[];
  readonly recoveryCodesLeft: number;
}

const webauthnRows = (db: DbOrTx, accountId: string) =>
  db
    .selectFrom('mfa_webauthn_credentials')
    .select(['id', 'label', 'created_at', 'last_used_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();

const totpRows = (db: DbOrTx, accountId: string) =>
  db
    .selectFrom('mfa_totp')
    .select(['id', 'created_at', 'last_used_at'])
    .where('account_id', '=', accountId)
    .where('confirmed_at', 'is not', null)
    .execute();

export const countRecoveryCodesLeft = async (db: DbOrTx, accountId: string): Promise<number> => {
  const row = await db
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

/** The account's passkeys and TOTP, oldest first, and how many recovery codes are left. */
export async function listFactors(db: DbOrTx, accountId: string): Promise<Factors> {
  const [keys, totp, recoveryCodesLeft] = await Promise.all([
    webauthnRows(db, accountId),
    totpRows(db, accountId),
    countRecoveryCodesLeft(db, accountId),
  ]);
  const factors: FactorSummary[] = [
    ...keys.map((k) => ({
      id: k.id,
      method: 'webauthn' as const,
      label: k.label,
      createdAt: k.created_at,
      lastUsedAt: k.last_used_at,
    })),
    ...totp.map((t) => ({
      id: t.id,
      method: 'totp' as const,
      label: 'Application d’authentification',
      createdAt: t.created_at,
      lastUsedAt: t.last_used_at,
    })),
  ];
  return { factors: factors.sort((a, b) => a.createdAt - b.createdAt), recoveryCodesLeft };
}

/** The methods a second step may use for this account (empty: it has no factor). */
export async function methodsOf(db: DbOrTx, accountId: string): Promise<FactorMethod[]> {
  const { factors, recoveryCodesLeft } = await listFactors(db, accountId);
  const methods: FactorMethod[] = [];
  if (factors.some((f) => f.method === 'webauthn')) methods.push('webauthn');
  if (factors.some((f) => f.method === 'totp')) methods.push('totp');
  if (methods.length > 0 && recoveryCodesLeft > 0) methods.push('recovery');
  return methods;
}

/** Everyone but job seekers must sign in with a second factor. */
export const requiresSecondFactor = (role: Role): boolean => role !== 'job_seeker';

/** Removes one of the account's factors with its security event, in `db` (the caller's transaction); MFA.LAST_FACTOR for the last factor of a staff account. */
export async function removeFactor(
  deps: MfaDeps,
  account: { id: string; role: Role },
  factorId: string,
  source: RequestSource,
  db: DbOrTx,
): Promise<void> {
  const { factors } = await listFactors(db, account.id);
  const factor = factors.find((f) => f.id === factorId);
  if (!factor) throw factorNotFound();
  const last = factors.length === 1;
  if (last && requiresSecondFactor(account.role)) throw lastFactor();
  const table = factor.method === 'webauthn' ? 'mfa_webauthn_credentials' : 'mfa_totp';
  await db.deleteFrom(table).where('id', '=', factorId).where('account_id', '=', account.id).execute();
  if (last) await db.deleteFrom('mfa_recovery_codes').where('account_id', '=', account.id).execute();
  await recordSecurityEvent(db, {
    at: deps.clock.now(),
    kind: 'mfa.removed',
    accountId: account.id,
    sourceIp: source.ip,
    details: { method: factor.method, factorId, last },
  });
}
