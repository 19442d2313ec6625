/**
 * The identity part of the configuration: sign-in throttling, mail, OpenID Connect federation,
 * the SIEM file, job seekers' sessions. Merged into `Config` by config.ts.
 *
 *   VIGIE_PUBLIC_URL                       origin users reach Vigie at (links in e-mails, OIDC redirect) (http://127.0.0.1:8080)
 *   VIGIE_SESSION_JOB_SEEKER_IDLE_MINUTES, VIGIE_SESSION_JOB_SEEKER_MAX_HOURS                          (15 / 4)
 *   VIGIE_ARGON2_CONCURRENCY               password verifications at once                               (2)
 *   VIGIE_SIGNIN_QUEUE                     sign-ins waiting for a verification slot                     (64)
 *   VIGIE_SIGNIN_ADDRESS_LIMIT             failed sign-ins per source address per 15 minutes            (20)
 *   VIGIE_SIGNIN_NETWORK_LIMIT             failed sign-ins per /24 (IPv4) or /64 (IPv6) per 15 minutes  (100)
 *   VIGIE_SMTP_URL                         smtp://host:port of the relay for reset links (none: links are not sent)
 *   VIGIE_MAIL_FROM                        sender address                                               (no-reply@vigie.invalid)
 *   VIGIE_SMS_URL                          http(s) gateway for text messages: POST {"to","text"} (none: no sign-in code by SMS)
 *   VIGIE_SMS_TOKEN                        bearer token sent to that gateway, if it needs one
 *   VIGIE_OIDC_ISSUER, VIGIE_OIDC_CLIENT_ID, VIGIE_OIDC_CLIENT_SECRET   OpenID provider (ProConnect-like); all three or none
 *   VIGIE_SIEM_FILE                        JSON-lines file of security events      (<dataDir>/security-events.jsonl)
 */
import { join } from 'node:path';
import { z } from 'zod';

export interface IdentityConfig {
  readonly publicUrl: string;
  readonly signIn: {
    readonly argon2Concurrency: number;
    readonly queueLimit: number;
    readonly addressFailureLimit: number;
    readonly networkFailureLimit: number;
    readonly windowMs: number;
  };
  readonly mail: { readonly smtpUrl: string | null; readonly from: string };
  readonly sms: { readonly url: string | null; readonly token: string | null };
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string } | null;
  readonly siemFile: string;
}

export interface IdentityOverrides {
  publicUrl?: string;
  jobSeekerIdleMinutes?: number | string;
  jobSeekerMaxHours?: number | string;
  argon2Concurrency?: number | string;
  signInQueue?: number | string;
  signInAddressLimit?: number | string;
  signInNetworkLimit?: number | string;
  smtpUrl?: string;
  mailFrom?: string;
  smsUrl?: string;
  smsToken?: string;
  oidcIssuer?: string;
  oidcClientId?: string;
  oidcClientSecret?: string;
  siemFile?: string;
}

const count = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} doit être un nombre entier.` })
    .int({ error: `${name} doit être un nombre entier.` })
    .min(min, { error: `${name} doit être compris entre ${min} et ${max}.` })
    .max(max, { error: `${name} doit être compris entre ${min} et ${max}.` });

const url = (name: string, pattern: RegExp) =>
  z
    .string()
    .trim()
    .regex(pattern, { error: `${name} n’est pas une adresse valide.` });
const HTTP_URL = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;

export const identityFields = {
  publicUrl: url('L’adresse publique (VIGIE_PUBLIC_URL)', HTTP_URL).default('http://127.0.0.1:8080'),
  jobSeekerIdleMinutes: count(
    'La durée d’inactivité des sessions de demandeurs d’emploi (VIGIE_SESSION_JOB_SEEKER_IDLE_MINUTES)',
    1,
    24 * 60,
  ).default(15),
  jobSeekerMaxHours: count(
    'La durée de vie des sessions de demandeurs d’emploi (VIGIE_SESSION_JOB_SEEKER_MAX_HOURS)',
    1,
    7 * 24,
  ).default(4),
  argon2Concurrency: count('Le nombre de vérifications simultanées (VIGIE_ARGON2_CONCURRENCY)', 1, 64).default(2),
  signInQueue: count('La file d’attente des connexions (VIGIE_SIGNIN_QUEUE)', 1, 10_000).default(64),
  signInAddressLimit: count('Le seuil d’échecs par adresse (VIGIE_SIGNIN_ADDRESS_LIMIT)', 1, 100_000).default(20),
  signInNetworkLimit: count('Le seuil d’échecs par réseau (VIGIE_SIGNIN_NETWORK_LIMIT)', 1, 1_000_000).default(100),
  smtpUrl: url('Le relais de messagerie (VIGIE_SMTP_URL)', /^smtps?:\/\/[^\s]+$/).optional(),
  mailFrom: z
    .email({ error: 'L’expéditeur (VIGIE_MAIL_FROM) n’est pas une adresse valide.' })
    .default('no-reply@vigie.invalid'),
  smsUrl: url('La passerelle SMS (VIGIE_SMS_URL)', HTTP_URL).optional(),
  smsToken: z.string().min(1).optional(),
  oidcIssuer: url('Le fournisseur d’identité (VIGIE_OIDC_ISSUER)', HTTP_URL).optional(),
  oidcClientId: z.string().trim().min(1).optional(),
  oidcClientSecret: z.string().min(1).optional(),
  siemFile: z.string().trim().min(1).optional(),
};

export const IDENTITY_ENV: Readonly<Record<keyof typeof identityFields, string>> = {
  publicUrl: 'VIGIE_PUBLIC_URL',
  jobSeekerIdleMinutes: 'VIGIE_SESSION_JOB_SEEKER_IDLE_MINUTES',
  jobSeekerMaxHours: 'VIGIE_SESSION_JOB_SEEKER_MAX_HOURS',
  argon2Concurrency: 'VIGIE_ARGON2_CONCURRENCY',
  signInQueue: 'VIGIE_SIGNIN_QUEUE',
  signInAddressLimit: 'VIGIE_SIGNIN_ADDRESS_LIMIT',
  signInNetworkLimit: 'VIGIE_SIGNIN_NETWORK_LIMIT',
  smtpUrl: 'VIGIE_SMTP_URL',
  mailFrom: 'VIGIE_MAIL_FROM',
  smsUrl: 'VIGIE_SMS_URL',
  smsToken: 'VIGIE_SMS_TOKEN',
  oidcIssuer: 'VIGIE_OIDC_ISSUER',
  oidcClientId: 'VIGIE_OIDC_CLIENT_ID',
  oidcClientSecret: 'VIGIE_OIDC_CLIENT_SECRET',
  siemFile: 'VIGIE_SIEM_FILE',
};

type IdentityRaw = z.output<z.ZodObject<typeof identityFields>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Job seekers' sessions (see access/sessions.ts for why 15 minutes idle, 4 hours at most). */
export const jobSeekerSession = (raw: IdentityRaw) => ({
  jobSeekerIdleTimeoutMs: raw.jobSeekerIdleMinutes * MINUTE,
  jobSeekerAbsoluteLifetimeMs: raw.jobSeekerMaxHours * HOUR,
});

function oidcOf(raw: IdentityRaw): IdentityConfig['oidc'] {
  if (raw.oidcIssuer === undefined || raw.oidcClientId === undefined || raw.oidcClientSecret === undefined) return null;
  return { issuer: raw.oidcIssuer.replace(/\/$/, ''), clientId: raw.oidcClientId, clientSecret: raw.oidcClientSecret };
}

export function buildIdentity(raw: IdentityRaw, dataDir: string): IdentityConfig {
  return {
    publicUrl: raw.publicUrl.replace(/\/$/, ''),
    signIn: {
      argon2Concurrency: raw.argon2Concurrency,
      queueLimit: raw.signInQueue,
      addressFailureLimit: raw.signInAddressLimit,
      networkFailureLimit: raw.signInNetworkLimit,
      windowMs: 15 * MINUTE,
    },
    mail: { smtpUrl: raw.smtpUrl ?? null, from: raw.mailFrom },
    sms: { url: raw.smsUrl ?? null, token: raw.smsToken ?? null },
    oidc: oidcOf(raw),
    siemFile: raw.siemFile ?? join(dataDir, 'security-events.jsonl'),
  };
}
