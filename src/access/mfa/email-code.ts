/**
 * One-time codes e-mailed to a job seeker who signs in from a browser their account does not know
 * (infostealer logs of Oct 2025: the password alone no longer opens the account from elsewhere).
 * Six digits, valid for the pending sign-in only (10 minutes, 5 wrong answers), kept as a keyed
 * hash bound to that pending sign-in. The address itself is read through the disclosure gate by the
 * caller: this module never sees more than the code.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { serviceHash } from '../../vault/service-keys.js';
import type { MailMessage } from './mailer.js';
import type { MfaDeps } from './mfa-deps.js';
import type { PendingGrant, PendingSignIn } from './pending.js';
import { PENDING_TTL_MS, setPendingEmailCode } from './pending.js';
import { normaliseCode } from './totp.js';

const hashOf = (deps: MfaDeps, pendingHash: Buffer, code: string): Buffer =>
  serviceHash(deps.keys, 'email-code', pendingHash.toString('hex'), code);

/** Draws a code for a pending sign-in and stores its hash; the code is returned to be sent, once. */
export async function issueEmailCode(deps: MfaDeps, pending: PendingGrant): Promise<string> {
  const code = String(randomInt(1_000_000)).padStart(6, '0');
  await setPendingEmailCode(deps, pending, hashOf(deps, pending.idHash, code));
  return code;
}

/** True if `typed` is the code of this pending sign-in. */
export function emailCodeMatches(deps: MfaDeps, pending: PendingSignIn, typed: string): boolean {
  const code = normaliseCode(typed);
  if (pending.emailCodeHash === null || !/^\d{6}$/.test(code)) return false;
  return timingSafeEqual(hashOf(deps, pending.idHash, code), pending.emailCodeHash);
}

/** The message: the code and what to do if the sign-in was not theirs; no name, no identifier. */
export const signInCodeMessage = (to: string, code: string): MailMessage => ({
  to,
  subject: 'Votre code de connexion Vigie',
  text: [
    'Bonjour,',
    '',
    'Une connexion à votre espace Vigie est en cours depuis un appareil que nous ne connaissons pas encore.',
    `Votre code de connexion : ${code}`,
    `Il est valable ${PENDING_TTL_MS / 60_000} minutes et ne peut servir qu’une fois.`,
    '',
    'Si vous n’êtes pas à l’origine de cette connexion, ne communiquez ce code à personne et changez votre mot de passe :',
    'quelqu’un connaît peut-être votre mot de passe. France Travail ne vous demandera jamais ce code par téléphone.',
  ].join('\n'),
});
