/**
 * The configuration of a Vigie process, read once from the environment (and command-line overrides)
 * into a validated, frozen object that is then passed explicitly. This folder is the only place in
 * src that reads `process.env`; everything else receives a `Config`.
 *
 * Environment variables (all optional):
 *   VIGIE_DATA_DIR           data directory                         (./.vigie)
 *   VIGIE_DB                 database URL: postgres://… or a SQLite path   (<dataDir>/vigie.db)
 *   VIGIE_SQLITE_SYNC        SQLite commits: 'normal' (durable across a crash, not a power cut) or 'full' (fsync each commit group) (normal)
 *   VIGIE_KEYS               key document text (takes precedence over the file)
 *   VIGIE_KEYS_FILE          key file                               (<dataDir>/vigie.keys.json)
 *   VIGIE_HOST / VIGIE_PORT  HTTP listener                          (127.0.0.1 / 8080)
 *   VIGIE_COOKIE_SECURE      'false' only for a local http demo     (true)
 *   VIGIE_SESSION_IDLE_MINUTES, VIGIE_SESSION_MAX_HOURS              (30 / 12)
 *   VIGIE_TRUST_PROXY        'true' behind a reverse proxy setting X-Forwarded-For (false)
 *   VIGIE_LOG_LEVEL          fatal|error|warn|info|debug|silent    (info)
 *   second factors (WebAuthn, step-up): see mfa-config.ts
 *   detection (Redis counters, alert webhook and file): see detection-config.ts
 *   incident response (notices' sender, DPO contact, print folder): see respond-config.ts
 */
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import type { IdentityConfig, IdentityOverrides } from './identity-config.js';
import { IDENTITY_ENV, buildIdentity, identityFields, jobSeekerSession } from './identity-config.js';
import type { MfaConfig, MfaOverrides } from './mfa-config.js';
import { MFA_ENV, buildMfa, mfaFields } from './mfa-config.js';
import type { DetectionConfig, DetectionOverrides } from './detection-config.js';
import { DETECTION_ENV, buildDetection, detectionFields } from './detection-config.js';
import type { RespondConfig, RespondOverrides } from './respond-config.js';
import { RESPOND_ENV, buildRespond, respondFields } from './respond-config.js';

export type KeysLocation = { readonly file: string } | { readonly text: string };

export interface Config {
  readonly dataDir: string;
  readonly databaseUrl: string;
  /** SQLite only: 'full' fsyncs every commit (group), 'normal' survives a crash but may lose the last commits to a power cut. */
  readonly sqliteSync: 'normal' | 'full';
  readonly keys: KeysLocation;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly cookieSecure: boolean;
    readonly trustProxy: boolean;
    /** Largest accepted request body, bytes. */
    readonly bodyLimit: number;
  };
  readonly session: {
    readonly idleTimeoutMs: number;
    readonly absoluteLifetimeMs: number;
    /** Job seekers' own sessions (identity-config.ts). */
    readonly jobSeekerIdleTimeoutMs: number;
    readonly jobSeekerAbsoluteLifetimeMs: number;
  };
  readonly logLevel: LogLevel;
  /** Sign-in throttling, mail, OpenID Connect, SIEM (identity-config.ts). */
  readonly identity: IdentityConfig;
  /** Second factors: WebAuthn relying party, step-up freshness (mfa-config.ts). */
  readonly mfa: MfaConfig;
  /** Detection: shared counters, alert webhook and SIEM file (detection-config.ts). */
  readonly detection: DetectionConfig;
  /** Incident response: notices' sender, DPO contact, print folder (respond-config.ts). */
  readonly respond: RespondConfig;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the CLI may override (flags such as `--db postgres://…`, `--port 9000`). */
export interface ConfigOverrides extends IdentityOverrides, MfaOverrides, DetectionOverrides, RespondOverrides {
  dataDir?: string;
  databaseUrl?: string;
  sqliteSync?: string;
  keysFile?: string;
  keysText?: string;
  host?: string;
  port?: number | string;
  cookieSecure?: boolean | string;
  trustProxy?: boolean | string;
  sessionIdleMinutes?: number | string;
  sessionMaxHours?: number | string;
  logLevel?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BODY_LIMIT = 256 * 1024;

const flag = (name: string) =>
  z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'oui', 'non'])], {
    error: `${name} doit valoir « true » ou « false ».`,
  });

const integer = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} doit être un nombre entier.` })
    .int({ error: `${name} doit être un nombre entier.` })
    .min(min, { error: `${name} doit être compris entre ${min} et ${max}.` })
    .max(max, { error: `${name} doit être compris entre ${min} et ${max}.` });

const text = (name: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${name} ne peut pas être vide.` });

const DATABASE_URL = /^(postgres(ql)?:\/\/.+|(sqlite|file):.+|[^:]+|[A-Za-z]:[\\/].+)$/;

const rawSchema = z.object({
  dataDir: text('Le dossier de données (VIGIE_DATA_DIR)').default('./.vigie'),
  databaseUrl: text('L’adresse de la base (VIGIE_DB)')
    .regex(DATABASE_URL, {
      error: 'L’adresse de la base (VIGIE_DB) doit commencer par postgres:// ou désigner un fichier SQLite.',
    })
    .optional(),
  sqliteSync: z
    .enum(['normal', 'full'], { error: 'VIGIE_SQLITE_SYNC doit valoir « normal » ou « full ».' })
    .default('normal'),
  keysFile: text('Le fichier de clés (VIGIE_KEYS_FILE)').optional(),
  keysText: text('Les clés (VIGIE_KEYS)').optional(),
  host: text('L’adresse d’écoute (VIGIE_HOST)').default('127.0.0.1'),
  port: integer('Le port HTTP (VIGIE_PORT)', 1, 65_535).default(8080),
  cookieSecure: flag('VIGIE_COOKIE_SECURE').default(true),
  trustProxy: flag('VIGIE_TRUST_PROXY').default(false),
  sessionIdleMinutes: integer('La durée d’inactivité de session (VIGIE_SESSION_IDLE_MINUTES)', 1, 24 * 60).default(30),
  sessionMaxHours: integer('La durée de vie de session (VIGIE_SESSION_MAX_HOURS)', 1, 7 * 24).default(12),
  logLevel: z
    .enum(LOG_LEVELS, {
      error: `Le niveau de journalisation (VIGIE_LOG_LEVEL) doit être l’un de : ${LOG_LEVELS.join(', ')}.`,
    })
    .default('info'),
  ...identityFields,
  ...mfaFields,
  ...detectionFields,
  ...respondFields,
});

type Raw = z.output<typeof rawSchema>;

const FROM_ENV: Readonly<Record<keyof Raw, string>> = {
  dataDir: 'VIGIE_DATA_DIR',
  databaseUrl: 'VIGIE_DB',
  sqliteSync: 'VIGIE_SQLITE_SYNC',
  keysFile: 'VIGIE_KEYS_FILE',
  keysText: 'VIGIE_KEYS',
  host: 'VIGIE_HOST',
  port: 'VIGIE_PORT',
  cookieSecure: 'VIGIE_COOKIE_SECURE',
  trustProxy: 'VIGIE_TRUST_PROXY',
  sessionIdleMinutes: 'VIGIE_SESSION_IDLE_MINUTES',
  sessionMaxHours: 'VIGIE_SESSION_MAX_HOURS',
  logLevel: 'VIGIE_LOG_LEVEL',
  ...IDENTITY_ENV,
  ...MFA_ENV,
  ...DETECTION_ENV,
  ...RESPOND_ENV,
};

const isTrue = (v: boolean | string): boolean => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'oui';

/** Environment values first, then overrides; empty strings count as unset. */
function gather(env: Env, overrides: ConfigOverrides): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(FROM_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) input[key] = value;
  }
  return input;
}

/** One French sentence per invalid value; values themselves are never echoed (VIGIE_KEYS is secret). */
function configError(error: z.ZodError): AppError {
  const problems = error.issues.map((issue) => issue.message);
  const fields = error.issues.map((issue) => issue.path.join('.'));
  return new AppError('CONFIG.INVALID', 'invalid', `Configuration invalide : ${problems.join(' ')}`, { fields });
}

function build(raw: Raw): Config {
  const keys: KeysLocation =
    raw.keysText !== undefined
      ? { text: raw.keysText }
      : { file: raw.keysFile ?? join(raw.dataDir, 'vigie.keys.json') };
  return {
    dataDir: raw.dataDir,
    databaseUrl: raw.databaseUrl ?? join(raw.dataDir, 'vigie.db'),
    sqliteSync: raw.sqliteSync,
    keys,
    http: {
      host: raw.host,
      port: raw.port,
      cookieSecure: isTrue(raw.cookieSecure),
      trustProxy: isTrue(raw.trustProxy),
      bodyLimit: BODY_LIMIT,
    },
    session: {
      idleTimeoutMs: raw.sessionIdleMinutes * MINUTE,
      absoluteLifetimeMs: raw.sessionMaxHours * HOUR,
      ...jobSeekerSession(raw),
    },
    logLevel: raw.logLevel,
    identity: buildIdentity(raw, raw.dataDir),
    mfa: buildMfa(raw),
    detection: buildDetection(raw, raw.dataDir),
    respond: buildRespond(raw, raw.dataDir),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads the configuration from `env` (default: the process environment) and `overrides`.
 * Throws AppError CONFIG.INVALID with one French sentence per invalid value.
 */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const parsed = rawSchema.safeParse(gather(env, overrides));
  if (!parsed.success) throw configError(parsed.error);
  const config = build(parsed.data);
  if (config.session.idleTimeoutMs > config.session.absoluteLifetimeMs) {
    throw new AppError(
      'CONFIG.INVALID',
      'invalid',
      'Configuration invalide : la durée d’inactivité de session dépasse sa durée de vie maximale.',
      { fields: ['sessionIdleMinutes'] },
    );
  }
  return deepFreeze(config);
}
