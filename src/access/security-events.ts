/**
 * The security log: sign-ins, lockouts, sign-outs, account creation. Append-only. It never holds
 * job seekers' personal data: no login (a job seeker's login is their identifier), no password, no
 * name; an account id, a source address and a reason code at most.
 */
import type { DbOrTx } from '../storage/database.js';

export const SECURITY_EVENT_KINDS = [
  'auth.sign_in', // success
  'auth.sign_in_failed', // unknown login, wrong password, disabled account
  'auth.locked_out', // the failure that locked the account
  'auth.sign_in_while_locked', // attempt on a locked account (whatever the password)
  'auth.sign_out',
  'auth.session_revoked', // a session revoked by its owner from another session
  'account.created',
  // identity lifecycle (sessions, throttling, lifecycle, federation, machine clients)
  'session.replay', // a session cookie used from another device or network: refused and revoked
  'session.network_changed', // a job seeker's mobile session moved to another network (allowed)
  'auth.throttled', // a source address or network crossed the failed sign-in threshold
  'account.approved', // probation lifted by a second person
  'account.role_changed',
  'account.disabled', // by a manager, or dormant for 90 days
  'account.reset_requested', // a reset link asked for by e-mail, or a two-person reset opened
  'account.reset_approved', // one approval of a two-person reset
  'account.reset_link_sent',
  'account.password_reset', // completed; the account goes back to probation
  'account.mfa_reset', // factors removed by a two-person reset
  'account.federation_linked',
  'auth.oidc_failed',
  'machine.client_created',
  'machine.token_issued',
  'machine.auth_failed',
  'machine.rate_limited',
  // second factors (access/mfa)
  'mfa.enrolled', // a passkey or TOTP added (details: method, factorId)
  'mfa.removed',
  'mfa.recovery_codes_generated',
  'mfa.verified', // a second factor proven at sign-in (details: method)
  'mfa.failed', // a wrong code or assertion (counted: 10 in 15 minutes lock the second step)
  'mfa.recovery_used',
  'mfa.step_up', // a fresh factor proven inside a session
  'auth.email_code_sent', // a job seeker signing in from a new device was sent a one-time code (before migration 100)
  'auth.device_added', // a browser proved the second step and is now known for this account
  // sign-in hardening (issue 9)
  'auth.device_code_sent', // a one-time code for a new device went out (details: channel email | sms)
  'auth.device_code_failed', // its sending failed on that channel (the next one is tried)
  'auth.device_code_unavailable', // the file has neither e-mail nor mobile (or no sender): adviser's code
  'auth.assisted_code_issued', // an adviser gave a job seeker a sign-in code (account: the adviser)
  'auth.device_forgotten', // a trusted device failed 10 passwords in a row and is unknown again
  'session.address_changed', // a session bound to its device moved to another address of its network
  'mfa.change_refused', // a change of factors without a fresh step-up (details: action)
  // incident response (respond/): details carry the incident id, counts, never a job seeker's data
  'incident.opened',
  'incident.scoped',
  'incident.people_read', // a page of the scope's people named through the gate (each read recorded there too)
  'incident.notification_started',
  'incident.notification_finished',
  'incident.report_filed', // a report to the CNIL filed (GDPR art. 33)
  'incident.closed',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/** Small, non-personal facts: reason codes, ids of accounts and organisations, counts. */
export type SecurityEventDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface SecurityEvent {
  readonly at: number;
  readonly kind: SecurityEventKind;
  readonly accountId: string | null;
  readonly sourceIp: string | null;
  readonly details?: SecurityEventDetails;
}

export async function recordSecurityEvent(db: DbOrTx, event: SecurityEvent): Promise<void> {
  await db
    .insertInto('security_events')
    .values({
      at: event.at,
      kind: event.kind,
      account_id: event.accountId,
      source_ip: event.sourceIp,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export interface StoredSecurityEvent extends SecurityEvent {
  readonly seq: number;
  readonly details: SecurityEventDetails;
}

/** The events of one account, newest first (security officers, tests). */
export async function securityEventsOf(db: DbOrTx, accountId: string, limit = 100): Promise<StoredSecurityEvent[]> {
  const rows = await db
    .selectFrom('security_events')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind as SecurityEventKind,
    accountId: r.account_id,
    sourceIp: r.source_ip,
    details: JSON.parse(r.details) as SecurityEventDetails,
  }));
}
