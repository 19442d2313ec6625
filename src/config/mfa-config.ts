/**
 * The second-factor part of the configuration: WebAuthn relying party and step-up freshness.
 * Merged into `Config` by config.ts. E-mailed codes use the identity mail settings (VIGIE_SMTP_URL).
 *
 *   VIGIE_WEBAUTHN_RP_ID       the domain passkeys are bound to (an IP address is not allowed)   (localhost)
 *   VIGIE_WEBAUTHN_RP_NAME     the name authenticators show                                       (Vigie)
 *   VIGIE_WEBAUTHN_ORIGIN      origin(s) the browser signs, comma-separated; each must be the RP ID or a sub-domain of it
 *                                                                                                 (http://localhost:8080)
 *   VIGIE_STEP_UP_MINUTES      how long a proven second factor counts as fresh for step-up         (10)
 */
import { z } from 'zod';

export interface MfaConfig {
  readonly rpId: string;
  readonly rpName: string;
  readonly origins: readonly string[];
  readonly stepUpFreshnessMs: number;
}

export interface MfaOverrides {
  webauthnRpId?: string;
  webauthnRpName?: string;
  webauthnOrigin?: string;
  stepUpMinutes?: number | string;
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ORIGINS = /^https?:\/\/[^\s/,]+(,\s*https?:\/\/[^\s/,]+)*$/;

export const mfaFields = {
  webauthnRpId: z
    .string()
    .trim()
    .toLowerCase()
    .regex(DOMAIN, {
      error:
        'L’identifiant WebAuthn (VIGIE_WEBAUTHN_RP_ID) doit être un nom de domaine, par exemple vigie.francetravail.fr.',
    })
    .refine((v) => !/^[0-9.]+$/.test(v), {
      error: 'L’identifiant WebAuthn (VIGIE_WEBAUTHN_RP_ID) ne peut pas être une adresse IP.',
    })
    .default('localhost'),
  webauthnRpName: z
    .string()
    .trim()
    .min(1, { error: 'Le nom WebAuthn (VIGIE_WEBAUTHN_RP_NAME) ne peut pas être vide.' })
    .default('Vigie'),
  webauthnOrigin: z
    .string()
    .trim()
    .regex(ORIGINS, {
      error:
        'L’origine WebAuthn (VIGIE_WEBAUTHN_ORIGIN) doit être une ou plusieurs origines http(s)://hôte[:port] séparées par des virgules.',
    })
    .default('http://localhost:8080'),
  stepUpMinutes: z.coerce
    .number({ error: 'VIGIE_STEP_UP_MINUTES doit être un nombre entier.' })
    .int({ error: 'VIGIE_STEP_UP_MINUTES doit être un nombre entier.' })
    .min(1, { error: 'VIGIE_STEP_UP_MINUTES doit être compris entre 1 et 720.' })
    .max(720, { error: 'VIGIE_STEP_UP_MINUTES doit être compris entre 1 et 720.' })
    .default(10),
};

export const MFA_ENV: Readonly<Record<keyof typeof mfaFields, string>> = {
  webauthnRpId: 'VIGIE_WEBAUTHN_RP_ID',
  webauthnRpName: 'VIGIE_WEBAUTHN_RP_NAME',
  webauthnOrigin: 'VIGIE_WEBAUTHN_ORIGIN',
  stepUpMinutes: 'VIGIE_STEP_UP_MINUTES',
};

type MfaRaw = z.output<z.ZodObject<typeof mfaFields>>;

export function buildMfa(raw: MfaRaw): MfaConfig {
  return {
    rpId: raw.webauthnRpId,
    rpName: raw.webauthnRpName,
    origins: raw.webauthnOrigin.split(',').map((o) => o.trim().replace(/\/$/, '')),
    stepUpFreshnessMs: raw.stepUpMinutes * 60_000,
  };
}
