/**
 * One-time codes for a job seeker who signs in from a browser their account does not know
 * (infostealer logs of Oct 2025: the password alone no longer opens the account from elsewhere):
 * six digits sent by e-mail or by text message to the mobile of their file, valid for their pending
 * sign-in only (10 minutes, 5 wrong answers), kept as a keyed hash bound to that pending sign-in.
 * A job seeker with neither e-mail nor mobile gets an eight-digit code from their adviser instead
 * (assisted-codes.ts), bound to their account. Neither message carries a name or an identifier.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { serviceHash } from '../../vault/service-keys.js';
import type { MailMessage } from './mailer.js';
import type { MfaDeps } from './mfa-deps.js';
import type { PendingSignIn } from './pending.js';
import { PENDING_TTL_MS } from './pending.js';
import type { TextMessage } from './texter.js';
import { normaliseCode } from './totp.js';

// The vault purpose is still named after the first channel (e-mail); contexts keep the two kinds apart.
const hashOf = (deps: Pick<MfaDeps, 'keys'>, pendingHash: Buffer, code: string): Buffer =>
  serviceHash(deps.keys, 'email-code', pendingHash.toString('hex'), code);

export const drawDigits = (digits: number): string => String(randomInt(10 ** digits)).padStart(digits, '0');

/** A code for a pending sign-in and the hash to store; the code itself is sent once and kept nowhere. */
export function newDeviceCode(deps: Pick<MfaDeps, 'keys'>, pendingHash: Buffer): { code: string; hash: Buffer } {
  const code = drawDigits(6);
  return { code, hash: hashOf(deps, pendingHash, code) };
}

/** True if `typed` is the code sent for this pending sign-in. */
export function deviceCodeMatches(deps: Pick<MfaDeps, 'keys'>, pending: PendingSignIn, typed: string): boolean {
  const code = normaliseCode(typed);
  if (pending.codeHash === null || !/^\d{6}$/.test(code)) return false;
  return timingSafeEqual(hashOf(deps, pending.idHash, code), pending.codeHash);
}

const MINUTES = PENDING_TTL_MS / 60_000;

/** The e-mail: the code and what to do if the sign-in was not theirs. */
export const signInCodeMessage = (to: string, code: string): MailMessage => ({
  to,
  subject: 'Votre code de connexion Vigie',
  text: [
    'Bonjour,',
    '',
    'Une connexion à votre espace Vigie est en cours depuis un appareil que nous ne connaissons pas encore.',
    `Votre code de connexion : ${code}`,
    `Il est valable ${MINUTES} minutes et ne peut servir qu’une fois.`,
    '',
    'Si vous n’êtes pas à l’origine de cette connexion, ne communiquez ce code à personne et changez votre mot de passe :',
    'quelqu’un connaît peut-être votre mot de passe. France Travail ne vous demandera jamais ce code par téléphone.',
  ].join('\n'),
});

/** The text message: short (one SMS of 160 characters or so), same warning. */
export const signInCodeText = (to: string, code: string): TextMessage => ({
  to,
  text: `Vigie : votre code de connexion est ${code} (${MINUTES} min). Ne le donnez à personne, France Travail ne vous le demandera jamais.`,
});
