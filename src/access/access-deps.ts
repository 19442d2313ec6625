import type { Config } from '../config/config.js';
import type { Clock } from '../domain/clock.js';
import type { Db } from '../storage/database.js';
import type { KeyringSource } from '../vault/index.js';
import type { AlertSink } from './security-alerts.js';

/** What the access use cases need, passed explicitly. */
export interface AccessDeps {
  readonly db: Db;
  /** Keys of the blind index on logins. */
  readonly keys: KeyringSource;
  readonly clock: Clock;
  readonly session: Config['session'];
  /** Where access's own alerts go (detection's alerts table, in the caller's transaction). */
  readonly alerts: AlertSink;
}

/** Where a request came from; recorded with sessions and security events. */
export interface RequestSource {
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** The browser's trusted-device token (vigie_device cookie), if it sent one: never stored, never logged. */
  readonly deviceToken?: string | undefined;
}

export const UNKNOWN_SOURCE: RequestSource = Object.freeze({ ip: null, userAgent: null });
