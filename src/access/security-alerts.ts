/**
 * Alerts raised by access itself (a replayed session, a change of second factors): what a security
 * officer must see, not only what the security log keeps. Access states the facts; the composition
 * root passes the sink that stores them with detection's alerts (detect/alerts.ts), inside the
 * caller's transaction, so that the change, its security event and its alert stand or fall together.
 * Ids, reason codes and counts only: never a job seeker's personal data.
 */
import type { DbOrTx } from '../storage/database.js';

export interface SecurityAlert {
  readonly at: number;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  /** What was seen: 'session_replay', 'factor_change', 'recovery_sign_in'. */
  readonly rule: string;
  /** What was done: 'session_revoked', 'mfa.enrolled', 'mfa.removed', 'mfa.recovery_codes_generated'… */
  readonly action: string;
  readonly accountId: string | null;
  readonly organisationId: string | null;
  readonly sourceIp: string | null;
  readonly sessionRef: string | null;
  /** French, for people. */
  readonly message: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** Stores an alert in the transaction it is given. */
export type AlertSink = (tx: DbOrTx, alert: SecurityAlert) => Promise<void>;

/** Staff accounts read other people's files: their alerts weigh more than a job seeker's own. */
export const severityFor = (role: string, staff: SecurityAlert['severity'], jobSeeker: SecurityAlert['severity']) =>
  role === 'job_seeker' ? jobSeeker : staff;
