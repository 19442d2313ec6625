/**
 * Recovery codes: ten single-use codes of 12 characters (≈ 59 bits each), shown once, stored as a
 * keyed hash (HMAC under a vault service key, bound to the account), so a copy of the table can be
 * neither read nor brute-forced offline. Generating a new set revokes the unused ones.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { serviceHash } from '../../vault/service-keys.js';
import type { DbOrTx } from '../../storage/database.js';
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import type { MfaDeps } from './mfa-deps.js';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I/L
const GROUPS = 3;
const GROUP_LENGTH = 4;

function newCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** Upper case, without the dashes and spaces a person may type. */
const normalise = (typed: string): string => typed.toUpperCase().replace(/[\s-]/g, '');

const hashOf = (deps: MfaDeps, accountId: string, code: string): Buffer =>
  serviceHash(deps.keys, 'recovery-code', accountId, normalise(code));

/**
 * A new set of codes (the unused ones of the previous set stop working), written with its security
 * event in `db` (the caller's transaction); returned once, never stored in clear.
 */
export async function generateRecoveryCodes(
  deps: MfaDeps,
  accountId: string,
  source: RequestSource,
  db: DbOrTx,
): Promise<string[]> {
  const now = deps.clock.now();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  const rows = codes.map((code) => ({
    id: randomUUID(),
    account_id: accountId,
    code_hash: hashOf(deps, accountId, code),
    created_at: now,
    used_at: null,
  }));
  await db.deleteFrom('mfa_recovery_codes').where('account_id', '=', accountId).where('used_at', 'is', null).execute();
  await db.insertInto('mfa_recovery_codes').values(rows).execute();
  await recordSecurityEvent(db, {
    at: now,
    kind: 'mfa.recovery_codes_generated',
    accountId,
    sourceIp: source.ip,
    details: { count: codes.length },
  });
  return codes;
}

/** Uses one code: true once per code (the update is conditional, so a race cannot use it twice). */
export async function useRecoveryCode(deps: MfaDeps, accountId: string, typed: string): Promise<boolean> {
  const code = normalise(typed);
  if (code.length !== GROUPS * GROUP_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return false;
  const result = await deps.db
    .updateTable('mfa_recovery_codes')
    .set({ used_at: deps.clock.now() })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', hashOf(deps, accountId, code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
