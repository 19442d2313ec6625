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
 * Either way the account goes back to probation, its sessions and trusted devices end.
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

export type ResetMethod = 'email_and_factor' | 'two_person';

export interface ResetDeps extends MfaDeps {
  readonly mailer: Mailer;
  /** Origin of the web application, for the link. */
  readonly publicUrl: string;
}

const hashOf = (token: string): Buffer => createHash('sha256').update('vigie/reset/v1\0').update(token, 'utf8').digest();

export const resetLinkInvalid = (): AppError =>
  new AppError('RESET.LINK_INVALID', 'invalid', 'Ce lien de réinitialisation n’est pas valide, a expiré ou a déjà servi : demandez-en un nouveau.');

/** A holder resets a live account; only two people may bring back a disabled one (dormant, or a departure). */
const SELF_RESETTABLE: ReadonlySet<string> = new Set(['active', 'probation']);
const RESETTABLE: ReadonlySet<string> = new Set(['active', 'probation', 'disabled']);

function resetMessage(deps: ResetDeps, to: string, token: string) {
  // The token travels in the fragment: browsers never send it to a server, a proxy log or a Referer.
  const link = `${deps.publicUrl}/reinitialisation#jeton=${token}`;
  const text = [
    'Bonjour,',
    '',
    'Une réinitialisation du mot de passe de votre compte Vigie a été demandée.',
    `Pour choisir un nouveau mot de passe, ouvrez ce lien dans les 30 minutes : ${link}`,
    '',
    'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message et prévenez votre gestionnaire de comptes.',
    'Vigie ne vous demandera jamais votre mot de passe ni ce lien par téléphone.',
  ].join('\n');
  return { to, subject: 'Vigie : réinitialisation de votre mot de passe', text };
}

/** A mail on its way: await it, or watch it for failures (never report them to a requester). */
export interface Delivery {
  readonly delivery: Promise<void>;
}

const NOTHING_SENT: Delivery = { delivery: Promise.resolve() };

/** Issues a reset link for the account and sends it to its professional address. */
export async function issueResetLink(deps: ResetDeps, account: Pick<AccountRow, 'id' | 'email'>, method: ResetMethod, requestId: string | null): Promise<Delivery> {
  if (account.email === null) throw forbidden('RESET.NO_EMAIL', 'Ce compte n’a pas d’adresse électronique professionnelle.');
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.db.insertInto('reset_tokens').values({ id_hash: hashOf(token), account_id: account.id, method, request_id: requestId, created_at: now, expires_at: now + RESET_LINK_TTL_MS, used_at: null }).execute();
  return { delivery: deps.mailer.send(resetMessage(deps, account.email, token)) };
}

async function linksInLastHour(db: DbOrTx, accountId: string, now: number): Promise<number> {
  const row = await db.selectFrom('reset_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).where('created_at', '>', now - 3_600_000).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Self-service request: the same answer whatever the login (the caller learns nothing); a link is
 * sent only to a staff account that can complete it (live, with a second factor, under 3 links an
 * hour).
 */
export async function requestResetLink(deps: ResetDeps, login: string, source: RequestSource): Promise<Delivery> {
  const row = await findAccountRowByLogin(deps, login);
  const now = deps.clock.now();
  if (!row || row.email === null || !SELF_RESETTABLE.has(row.status)) return NOTHING_SENT;
  const refused = (await methodsOf(deps.db, row.id)).length === 0 ? 'no_factor' : (await linksInLastHour(deps.db, row.id, now)) >= LINKS_PER_HOUR ? 'too_many' : null;
  const details = { method: 'email_and_factor', refused };
  await recordSecurityEvent(deps.db, { at: now, kind: 'account.reset_requested', accountId: row.id, sourceIp: source.ip, details });
  if (refused !== null) return NOTHING_SENT;
  const sent = await issueResetLink(deps, row, 'email_and_factor', null);
  await recordSecurityEvent(deps.db, { at: now, kind: 'account.reset_link_sent', accountId: row.id, sourceIp: source.ip, details: { method: 'email_and_factor' } });
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
  await recordSecurityEvent(tx, { at: now, kind: 'account.mfa_reset', accountId, sourceIp: source.ip, details: { method: 'two_person' } });
}

async function liveToken(deps: ResetDeps, token: string) {
  if (!TOKEN_PATTERN.test(token)) throw resetLinkInvalid();
  const row = await deps.db.selectFrom('reset_tokens').selectAll().where('id_hash', '=', hashOf(token)).executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= deps.clock.now()) throw resetLinkInvalid();
  const account = await deps.db.selectFrom('accounts').selectAll().where('id', '=', row.account_id).executeTakeFirstOrThrow();
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
    if (input.factor === null) throw forbidden('RESET.FACTOR_REQUIRED', 'Prouvez un de vos seconds facteurs (application d’authentification ou code de secours) pour réinitialiser votre mot de passe.');
    await proveFactor(deps, { accountId: account.id, owner: row.id_hash, purpose: 'sign_in', source }, input.factor);
  }
  const organisation = account.organisation_id === null ? null : await getOrganisation(deps.db, account.organisation_id);
  const password_hash = await hashPassword(input.password, { login: account.email, organisationName: organisation?.name ?? null });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const used = await tx.updateTable('reset_tokens').set({ used_at: now }).where('id_hash', '=', row.id_hash).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw resetLinkInvalid();
    await tx.updateTable('accounts').set({ password_hash, failed_logins: 0, locked_until: null }).where('id', '=', account.id).execute();
    const requester = row.request_id === null ? null : await tx.selectFrom('reset_requests').select('requested_by').where('id', '=', row.request_id).executeTakeFirst();
    await putOnProbation(tx, account.id, 'reset', requester?.requested_by ?? account.id, now);
    if (method === 'two_person') await removeAllFactors(tx, account.id, now, source);
    const sessions = await revokeAllSessions(tx, account.id, now);
    await forgetDevices(tx, account.id);
    await recordSecurityEvent(tx, { at: now, kind: 'account.password_reset', accountId: account.id, sourceIp: source.ip, details: { method, requestId: row.request_id, sessionsRevoked: sessions } });
  });
}
