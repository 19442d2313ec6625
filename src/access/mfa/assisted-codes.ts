/**
 * Sign-in codes an adviser gives a job seeker who cannot receive one (a file with neither e-mail nor
 * mobile, a phone lost, a message that never came): eight digits, valid 24 hours, single use, bound to
 * the job seeker's account. The code replaces only the *device* step: the password is still needed,
 * so an adviser cannot sign in as the job seeker. Issued by a France Travail adviser of the person's
 * agency, after checking who they speak to in person (never on an incoming call: the 2024 breach
 * began with a help desk persuaded by phone); the issue is recorded with the code in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { forbidden, notFound } from '../../domain/errors.js';
import type { Role } from '../../domain/roles.js';
import type { DbOrTx } from '../../storage/database.js';
import { insertAssistedCode, jobSeekerAccountInAgency, useAssistedCode } from '../../storage/access/pending-repo.js';
import { serviceHash } from '../../vault/service-keys.js';
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import { drawDigits } from './device-code.js';
import type { MfaDeps } from './mfa-deps.js';
import { normaliseCode } from './totp.js';

export const ASSISTED_CODE_TTL_MS = 24 * 3_600_000;
const ASSISTED_CODE = /^\d{8}$/;

const hashOf = (deps: Pick<MfaDeps, 'keys'>, accountId: string, code: string): Buffer =>
  serviceHash(deps.keys, 'email-code', `assisted/${accountId}`, code);

export interface Issuer {
  readonly accountId: string;
  readonly role: Role;
  readonly organisationId: string | null;
}

/** Issues a code for the job seeker of `personId`; PERSON.NOT_FOUND unless the person is of the adviser's agency. */
export async function issueAssistedCode(
  deps: MfaDeps,
  issuer: Issuer,
  personId: string,
  source: RequestSource,
): Promise<{ code: string; expiresAt: number }> {
  if (issuer.role !== 'adviser' || issuer.organisationId === null)
    throw forbidden('AUTH.ROLE_FORBIDDEN', 'Votre rôle ne permet pas cette action.');
  const account = await jobSeekerAccountInAgency(deps.db, personId, issuer.organisationId);
  if (!account) throw notFound('PERSON.NOT_FOUND', 'Personne introuvable.');
  const code = drawDigits(8);
  const now = deps.clock.now();
  const expiresAt = now + ASSISTED_CODE_TTL_MS;
  await deps.db.transaction().execute(async (tx) => {
    const codeHash = hashOf(deps, account.id, code);
    await insertAssistedCode(tx, {
      id: randomUUID(),
      accountId: account.id,
      codeHash,
      issuedBy: issuer.accountId,
      now,
      expiresAt,
    });
    await recordSecurityEvent(tx, {
      at: now,
      kind: 'auth.assisted_code_issued',
      accountId: issuer.accountId,
      sourceIp: source.ip,
      details: { jobSeekerAccountId: account.id, expiresAt },
    });
  });
  return { code, expiresAt };
}

/** True if `typed` looks like an adviser's code (eight digits). */
export const isAssistedCode = (typed: string): boolean => ASSISTED_CODE.test(normaliseCode(typed));

/** Uses the account's live adviser code `typed` in `db`: true once. */
export const useAssisted = (deps: Pick<MfaDeps, 'keys' | 'clock'>, db: DbOrTx, accountId: string, typed: string) =>
  useAssistedCode(db, accountId, hashOf(deps, accountId, normaliseCode(typed)), deps.clock.now());
