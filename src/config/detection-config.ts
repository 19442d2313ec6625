/**
 * The detection part of the configuration (merged into `Config` by config.ts):
 *
 *   VIGIE_REDIS_URL                  shared exposure counters (redis://host:6379); unset: in process   (unset)
 *   VIGIE_REDIS_PREFIX               key prefix in Redis                                               (vigie:)
 *   VIGIE_ALERT_WEBHOOK_URL          alerts POSTed as JSON, retried                                    (unset)
 *   VIGIE_ALERT_WEBHOOK_SECRET       HMAC-SHA256 key signing each webhook body (x-vigie-signature)     (unset)
 *   VIGIE_ALERT_FILE                 alerts as ECS JSON lines, for the SIEM             (<dataDir>/detection-alerts.jsonl)
 *   VIGIE_DETECTION_REFRESH_SECONDS  how often baselines, canaries and containments are reloaded      (60)
 */
import { join } from 'node:path';
import { z } from 'zod';

export interface DetectionConfig {
  readonly redis: { readonly url: string; readonly prefix: string } | null;
  readonly webhook: { readonly url: string; readonly secret?: string } | null;
  readonly alertFile: string;
  readonly refreshMs: number;
}

export interface DetectionOverrides {
  redisUrl?: string;
  redisPrefix?: string;
  alertWebhookUrl?: string;
  alertWebhookSecret?: string;
  alertFile?: string;
  detectionRefreshSeconds?: number | string;
}

export const detectionFields = {
  redisUrl: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/[^\s]+$/, {
      error: 'L’adresse Redis (VIGIE_REDIS_URL) doit commencer par redis:// ou rediss://.',
    })
    .optional(),
  redisPrefix: z
    .string()
    .trim()
    .min(1, { error: 'Le préfixe Redis (VIGIE_REDIS_PREFIX) ne peut pas être vide.' })
    .max(64)
    .default('vigie:'),
  alertWebhookUrl: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s]+$/, {
      error: 'Le webhook d’alertes (VIGIE_ALERT_WEBHOOK_URL) doit être une adresse http(s)://.',
    })
    .optional(),
  alertWebhookSecret: z
    .string()
    .min(16, { error: 'Le secret du webhook (VIGIE_ALERT_WEBHOOK_SECRET) doit compter au moins 16 caractères.' })
    .optional(),
  alertFile: z.string().trim().min(1).optional(),
  detectionRefreshSeconds: z.coerce
    .number({ error: 'VIGIE_DETECTION_REFRESH_SECONDS doit être un nombre entier.' })
    .int({ error: 'VIGIE_DETECTION_REFRESH_SECONDS doit être un nombre entier.' })
    .min(1, { error: 'VIGIE_DETECTION_REFRESH_SECONDS doit être compris entre 1 et 3600.' })
    .max(3600, { error: 'VIGIE_DETECTION_REFRESH_SECONDS doit être compris entre 1 et 3600.' })
    .default(60),
};

export const DETECTION_ENV: Readonly<Record<keyof typeof detectionFields, string>> = {
  redisUrl: 'VIGIE_REDIS_URL',
  redisPrefix: 'VIGIE_REDIS_PREFIX',
  alertWebhookUrl: 'VIGIE_ALERT_WEBHOOK_URL',
  alertWebhookSecret: 'VIGIE_ALERT_WEBHOOK_SECRET',
  alertFile: 'VIGIE_ALERT_FILE',
  detectionRefreshSeconds: 'VIGIE_DETECTION_REFRESH_SECONDS',
};

type DetectionRaw = z.output<z.ZodObject<typeof detectionFields>>;

export function buildDetection(raw: DetectionRaw, dataDir: string): DetectionConfig {
  return {
    redis: raw.redisUrl === undefined ? null : { url: raw.redisUrl, prefix: raw.redisPrefix },
    webhook:
      raw.alertWebhookUrl === undefined
        ? null
        : { url: raw.alertWebhookUrl, ...(raw.alertWebhookSecret ? { secret: raw.alertWebhookSecret } : {}) },
    alertFile: raw.alertFile ?? join(dataDir, 'detection-alerts.jsonl'),
    refreshMs: raw.detectionRefreshSeconds * 1000,
  };
}
