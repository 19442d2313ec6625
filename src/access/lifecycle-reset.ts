/**
 * Password (and second factor) resets. Never on the strength of a phone call (Feb 2024: a help-desk
 * reset obtained by phone, posing as a Cap emploi adviser, opened 36.8 million files). Two ways:
 *
 * 1. Self-service: a link e-mailed to the account's professional address (random 256-bit token,
 *    SHA-256 at rest, 30 minutes, single use), completed with one of the account's existing second
 *    factors (TOTP or recovery code). An account without a factor cannot reset this way.
 * 2. Two-person (the factor is lost): an account manager of the organisation and a France Travail
 *    agent, two distinct people, neither the account holder, approve (lifecycle-reset-requests.ts);
 *    the link then goes to the account's address as well (the caller on the phone never holds it),
 *    and completing it removes the old factors: the holder enrols new ones at next sign-in.
 *
 * 3. Job seekers (self-service, no phone either): the link goes to the e-mail address of their own
 *    file, read through the gate by the caller (`jobSeekerAddress`). With a second factor they prove
 *    it as staff do; without one the e-mailed link is the proof, as the e-mailed code is at each
 *    sign-in from a new device: their mailbox is already their second factor.
 *
 * Either way staff accounts go back to probation; every account's sessions and trusted devices end
 * (a job seeker's next sign-in from any device asks for an e-mailed code again).
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError, forbidden } from '../domain/errors.js';
import type { DbOrTx } from '../storage/database.js';
import type { RequestSource } from './access-deps.js';
import { findAccountRowByLogin, getOrganisation } from './accounts.js';
import type { AccountRow } from './accounts.js';
import { putOnProbation } from './lifecycle.js';
import type { Mailer } from './mfa/mailer.js';
import type { MfaDeps } from './mfa/mfa-deps.js';
import { methodsOf } from './mfa/factors.js';
import type { FactorProof } from './mfa/proof.js';
import { proveFactor } from './mfa/proof.js';
import { hashPassword } from './passwords.js';
import { recordSecurityEvent } from './security-events.js';
import { revokeAllSessions } from './sessions.js';
import { forgetDevices } from './throttle-devices.js';

export const RESET_LINK_TTL_MS = 30 * 60_000;
const LINKS_PER_HOUR = 3;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type ResetMethod = 'email_and_factor' | 'email_only' | 'two_person';

export interface ResetDeps extends MfaDeps {
  readonly mailer: Mailer;
  /** Origin of the web application, for the link. */
  readonly publicUrl: string;
}

const hashOf = (token: string): Buffer =>
  createHash('sha256').update('vigie/reset/v1\0').update(token, 'utf8').digest();

export const resetLinkInvalid = (): AppError =>
  new AppError(
    'RESET.LINK_INVALID',
    'invalid',
    'Ce lien de réinitialisation n’est pas valide, a expiré ou a déjà servi : demandez-en un nouveau.',
  );

/** A holder resets a live account; only two people may bring back a disabled one (dormant, or a departure). */
const SELF_RESETTABLE: ReadonlySet<string> = new Set(['active', 'probation']);
const RESETTABLE: ReadonlySet<string> = new Set(['active', 'probation', 'disabled']);

function resetMessage(deps: ResetDeps, to: string, token: string, jobSeeker: boolean) {
  // The token travels in the fragment: browsers never send it to a server, a proxy log or a Referer.
  const link = `${deps.publicUrl}/reinitialisation#jeton=${token}`;
  const text = [
    'Bonjour,',
    '',
    'Une réinitialisation du mot de passe de votre compte Vigie a été demandée.',
    `Pour choisir un nouveau mot de passe, ouvrez ce lien dans les 30 minutes : ${link}`,
    '',
    jobSeeker
      ? 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe ne change pas.'
      : 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message et prévenez votre gestionnaire de comptes.',
    'Vigie ne vous demandera jamais votre mot de passe ni ce lien par téléphone, SMS ou courriel.',
  ].join('\n');
  return { to, subject: 'Vigie : réinitialisation de votre mot de passe', text };
}

/** A mail on its way: await it, or watch it for failures (never report them to a requester). */
export interface Delivery {
  readonly delivery: Promise<void>;
}

const NOTHING_SENT: Delivery = { delivery: Promise.resolve() };

/** Issues a reset link for the account and sends it to its professional address. */
export async function issueResetLink(
  deps: ResetDeps,
  account: Pick<AccountRow, 'id' | 'email' | 'role'>,
  method: ResetMethod,
  requestId: string | null,
  to: string | null = account.email,
): Promise<Delivery> {
  if (to === null) throw forbidden('RESET.NO_EMAIL', 'Ce compte n’a pas d’adresse électronique professionnelle.');
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.db
    .insertInto('reset_tokens')
    .values({
      id_hash: hashOf(token),
      account_id: account.id,
      method,
      request_id: requestId,
      created_at: now,
      expires_at: now + RESET_LINK_TTL_MS,
      used_at: null,
    })
    .execute();
  return { delivery: deps.mailer.send(resetMessage(deps, to, token, account.role === 'job_seeker')) };
}

async function linksInLastHour(db: DbOrTx, accountId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('reset_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('created_at', '>', now - 3_600_000)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The e-mail address of a job seeker's own file, read through the gate by the caller (self_service,
 * recorded as any disclosure), or null if the file has none.
 */
export type JobSeekerAddress = (jobSeeker: {
  readonly id: string;
  readonly personId: string;
}) => Promise<string | null>;

/**
 * Self-service request: the same answer whatever the login (the caller learns nothing); a link is
 * sent only to an account that can complete it (live, under 3 links an hour; staff with a second
 * factor, to their professional address; job seekers to the address of their file).
 */
export async function requestResetLink(
  deps: ResetDeps,
  login: string,
  source: RequestSource,
  jobSeekerAddress?: JobSeekerAddress,
): Promise<Delivery> {
  const row = await findAccountRowByLogin(deps, login);
  const now = deps.clock.now();
  if (!row || !SELF_RESETTABLE.has(row.status)) return NOTHING_SENT;
  const personId = row.role === 'job_seeker' ? row.person_id : null;
  const jobSeeker = personId !== null;
  const to = jobSeeker ? ((await jobSeekerAddress?.({ id: row.id, personId })) ?? null) : row.email;
  if (to === null) return NOTHING_SENT;
  const hasFactor = (await methodsOf(deps.db, row.id)).length > 0;
  const method: ResetMethod = jobSeeker && !hasFactor ? 'email_only' : 'email_and_factor';
  const refused =
    !hasFactor && !jobSeeker
      ? 'no_factor'
      : (await linksInLastHour(deps.db, row.id, now)) >= LINKS_PER_HOUR
        ? 'too_many'
        : null;
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'account.reset_requested',
    accountId: row.id,
    sourceIp: source.ip,
    details: { method, refused },
  });
  if (refused !== null) return NOTHING_SENT;
  const sent = await issueResetLink(deps, row, method, null, to);
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'account.reset_link_sent',
    accountId: row.id,
    sourceIp: source.ip,
    details: { method },
  });
  return sent;
}

export interface ResetCompletion {
  readonly token: string;
  readonly password: string;
  /** Required for a self-service link: one of the account's existing factors. */
  readonly factor: Extract<FactorProof, { method: 'totp' | 'recovery' }> | null;
}

/** Removes every second factor of an account (two-person reset), recorded. */
async function removeAllFactors(tx: DbOrTx, accountId: string, now: number, source: RequestSource): Promise<void> {
  await tx.deleteFrom('mfa_webauthn_credentials').where('account_id', '=', accountId).execute();
  await tx.deleteFrom('mfa_totp').where('account_id', '=', accountId).execute();
  await tx.deleteFrom('mfa_recovery_codes').where('account_id', '=', accountId).execute();
  await recordSecurityEvent(tx, {
    at: now,
    kind: 'account.mfa_reset',
    accountId,
    sourceIp: source.ip,
    details: { method: 'two_person' },
  });
}

async function liveToken(deps: ResetDeps, token: string) {
  if (!TOKEN_PATTERN.test(token)) throw resetLinkInvalid();
  const row = await deps.db
    .selectFrom('reset_tokens')
    .selectAll()
    .where('id_hash', '=', hashOf(token))
    .executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= deps.clock.now()) throw resetLinkInvalid();
  const account = await deps.db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', row.account_id)
    .executeTakeFirstOrThrow();
  if (!(row.method === 'two_person' ? RESETTABLE : SELF_RESETTABLE).has(account.status)) throw resetLinkInvalid();
  return { row, account };
}

/**
 * Completes a reset: the link must be live and unused; a self-service link also needs an existing
 * factor (MFA.INVALID otherwise). Sets the new password (policy checked), puts the account on
 * probation, ends its sessions and trusted devices; a two-person reset also removes its factors.
 */
export async function completeReset(deps: ResetDeps, input: ResetCompletion, source: RequestSource): Promise<void> {
  const { row, account } = await liveToken(deps, input.token);
  const method = row.method as ResetMethod;
  if (method === 'email_and_factor') {
    if (input.factor === null)
      throw forbidden(
        'RESET.FACTOR_REQUIRED',
        'Prouvez un de vos seconds facteurs (application d’authentification ou code de secours) pour réinitialiser votre mot de passe.',
      );
    await proveFactor(deps, { accountId: account.id, owner: row.id_hash, purpose: 'sign_in', source }, input.factor);
  }
  const organisation =
    account.organisation_id === null ? null : await getOrganisation(deps.db, account.organisation_id);
  const password_hash = await hashPassword(input.password, {
    login: account.email,
    organisationName: organisation?.name ?? null,
  });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('reset_tokens')
      .set({ used_at: now })
      .where('id_hash', '=', row.id_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw resetLinkInvalid();
    await tx
      .updateTable('accounts')
      .set({ password_hash, failed_logins: 0, locked_until: null })
      .where('id', '=', account.id)
      .execute();
    const requester =
      row.request_id === null
        ? null
        : await tx
            .selectFrom('reset_requests')
            .select('requested_by')
            .where('id', '=', row.request_id)
            .executeTakeFirst();
    // Probation is a staff notion (a second person approves); a job seeker's reset ends sessions and devices.
    if (account.role !== 'job_seeker')
      await putOnProbation(tx, account.id, 'reset', requester?.requested_by ?? account.id, now);
    if (method === 'two_person') await removeAllFactors(tx, account.id, now, source);
    const sessions = await revokeAllSessions(tx, account.id, now);
    await forgetDevices(tx, account.id);
    await recordSecurityEvent(tx, {
      at: now,
      kind: 'account.password_reset',
      accountId: account.id,
      sourceIp: source.ip,
      details: { method, requestId: row.request_id, sessionsRevoked: sessions },
    });
  });
}
