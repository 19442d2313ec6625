import type { Generated } from 'kysely';
import type { BatchStatus, NoticeChannel, NoticeFallback, NoticeStatus } from '../domain/notices.js';
import type {
  BreachReportKind,
  CredentialKind,
  IncidentAction,
  IncidentSource,
  IncidentStatus,
} from '../domain/incidents.js';

/**
 * The database schema, declared once for both dialects. Conventions that keep one code path:
 * - times are epoch milliseconds (integer / bigint parsed as number), calendar dates are 'YYYY-MM-DD' text;
 * - booleans are 0/1 integers; lists are comma-separated text where they are only displayed,
 *   and a join table where they are searched (person_rome);
 * - encrypted blobs and blind indexes are bytes (BLOB / bytea, Buffer in JS);
 * - public identifiers are random UUIDs; only the append-only logs use sequential internal keys.
 */
export interface Database {
  organisations: OrganisationTable;
  accounts: AccountTable;
  sessions: SessionTable;
  people: PersonTable;
  person_rome: PersonRomeTable;
  co_managements: CoManagementTable;
  training_sessions: TrainingSessionTable;
  enrolments: EnrolmentTable;
  followup_events: FollowupEventTable;
  contact_requests: ContactRequestTable;
  disclosures: DisclosureTable;
  security_events: SecurityEventTable;
}

export interface OrganisationTable {
  id: string;
  kind: string; // OrganisationKind
  name: string;
  siret: string | null;
  departement: string | null;
  parent_agency_id: string | null; // partners are attached to an agency
  channel_suspended_at: number | null; // partner channel contained (detection)
  created_at: number;
}

export interface AccountTable {
  id: string;
  organisation_id: string | null; // null for job seekers
  person_id: string | null; // set for job seekers only
  role: string; // Role
  login_index: Buffer; // blind index of the normalised login (e-mail for staff, identifier for job seekers)
  display_name: string | null; // staff only; job seekers' names stay sealed in people
  email: string | null; // staff only (professional address)
  password_hash: string;
  status: string; // 'active' | 'probation' | 'disabled' | 'suspended'
  created_by: string | null;
  approved_by: string | null;
  created_at: number;
  last_login_at: number | null;
  failed_logins: number;
  locked_until: number | null;
}

export interface SessionTable {
  id_hash: Buffer; // SHA-256 of the cookie token; the token itself is never stored
  account_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number; // absolute lifetime
  source_ip: string | null;
  user_agent: string | null;
  assurance: string; // 'password' | 'mfa'
  revoked_at: number | null;
}

export interface PersonTable {
  id: string;
  key_version: number;
  wrapped_key: Buffer | null; // null once erased: the data key is destroyed
  bi_identifier: Buffer | null;
  bi_email: Buffer | null;
  bi_phone: Buffer | null;
  bi_nir: Buffer | null;
  s_identity: Buffer | null;
  s_birth: Buffer | null;
  s_nir: Buffer | null;
  s_address: Buffer | null;
  s_contact: Buffer | null;
  departement: string;
  education_level: string;
  driving_licences: string; // comma-separated
  vehicle: number;
  rome_codes: string; // comma-separated, also in person_rome for search
  category: string;
  status: string;
  registered_on: string;
  struck_off_on: string | null;
  agency_id: string;
  adviser_id: string | null;
  created_at: number;
  updated_at: number;
  erased_at: number | null;
}

export interface PersonRomeTable {
  person_id: string;
  rome_code: string;
  departement: string; // denormalised for the recruiter search index (rome_code, departement)
}

export interface CoManagementTable {
  person_id: string;
  organisation_id: string;
  since: string;
  until: string | null;
}

export interface TrainingSessionTable {
  id: string;
  organisation_id: string;
  title: string;
  rome_codes: string;
  starts_on: string;
  ends_on: string;
  place_commune_insee: string;
  place_label: string;
  capacity: number;
  created_at: number;
}

export interface EnrolmentTable {
  id: string;
  session_id: string;
  person_id: string;
  organisation_id: string; // denormalised from the session: the policy's hot lookup
  prescribed_by: string;
  prescribed_on: string;
  status: string; // 'prescribed' | 'in_training' | 'interrupted' | 'completed' | 'cancelled'
  entered_on: string | null;
  exited_on: string | null;
  exit_reason: string | null;
  visible_until: string | null; // exit + 3 months; null while open
  created_at: number;
}

export interface FollowupEventTable {
  id: string;
  enrolment_id: string;
  kind: string; // 'entry' | 'attendance' | 'interruption' | 'exit'
  fact_date: string;
  month: string | null; // 'YYYY-MM' for attendance
  hours_attended: number | null;
  hours_absent_justified: number | null;
  hours_absent_unjustified: number | null;
  reason: string | null;
  declared_at: number;
  declared_by: string;
  late: number;
}

export interface ContactRequestTable {
  id: string;
  recruiter_id: string;
  organisation_id: string;
  person_id: string;
  rome_code: string;
  message: string;
  status: string; // 'pending' | 'accepted' | 'declined'
  created_at: number;
  answered_at: number | null;
}

/** One row per person per disclosure. Append-only. */
export interface DisclosureTable {
  seq: Generated<number>;
  at: number;
  request_id: string;
  reader_id: string;
  session_ref: string | null; // a non-secret reference of the session (not the token)
  organisation_id: string | null;
  person_id: string;
  purpose: string;
  fields: string; // comma-separated PersonalField names
  reason: string | null; // the reader's stated justification, when the purpose demands one
  source_ip: string | null;
  leaf_hash: Buffer; // SHA-256 of the canonical row: tamper evidence, Merkle leaves
}

export interface SecurityEventTable {
  seq: Generated<number>;
  at: number;
  kind: string;
  account_id: string | null;
  source_ip: string | null;
  details: string; // JSON, never personal data of job seekers
}

/* Detection (migration 002). The interface merges with Database above. */
export interface Database {
  detection_baselines: DetectionBaselineTable;
  detection_decisions: DetectionDecisionTable;
  containments: ContainmentTable;
  alerts: AlertTable;
  canaries: CanaryTable;
}

/** What detection learned of one account: its exposure limits and usual hours (recomputed in batch). */
export interface DetectionBaselineTable {
  account_id: string;
  organisation_id: string | null;
  role: string;
  peer_group: string; // role/organisation kind/size band
  reachable: number; // people the account's policies can reach
  portfolio: number; // people its everyday work concerns (portfolio, active trainees, co-managed files)
  minute_limit: number; // distinct people exposed per minute (pace)
  hour_limit: number;
  day_limit: number; // Europe/Paris calendar day
  week_limit: number; // Monday to Sunday, Europe/Paris
  session_limit: number; // per credential (session), across day boundaries
  contact_day_limit: number; // people whose contact details are disclosed per day
  usual_hours: string | null; // 168 '0'/'1' (Monday 00h first, Paris time), null without enough history
  history_days: number; // active days in the learning window
  strikes: number; // days of the last 7 when the account was masked for exceeding its budget
  basis: string; // JSON: how the limits were derived (own quantiles, peer quantiles, weights)
  computed_at: number;
}

/** One non-allow answer of the budget step, explained. Append-only. */
export interface DetectionDecisionTable {
  seq: Generated<number>;
  at: number;
  account_id: string;
  organisation_id: string | null;
  session_ref: string | null;
  request_id: string;
  purpose: string;
  action: string; // 'step_up' | 'slow_down' | 'mask' | 'suspend_credential' | 'suspend_channel' | 'refuse_contained'
  code: string | null; // the AppError code answered, if refused
  rule: string; // the signal or budget window that decided
  score: number; // combined risk score
  people: number; // how many people the request concerned
  details: string; // JSON: signals (score, value, threshold), budget windows (count, limit), thresholds
}

/** A containment decided by detection, and its review by a security officer. */
export interface ContainmentTable {
  id: string;
  at: number;
  kind: string; // 'credential' | 'channel'
  account_id: string | null; // the credential's account (also set for a channel: the account that triggered it)
  organisation_id: string | null;
  session_ref: string | null;
  previous_status: string | null; // the account's status before suspension, restored on lift
  rule: string;
  status: string; // 'active' | 'lifted' | 'confirmed'
  alert_id: string | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
  review_reason: string | null;
}

/** Alerts for security officers, the webhook and the SIEM. Ids and counts only, never a job seeker's data. */
export interface AlertTable {
  id: string;
  at: number;
  severity: string; // 'low' | 'medium' | 'high' | 'critical'
  rule: string;
  action: string;
  account_id: string | null;
  organisation_id: string | null;
  source_ip: string | null;
  session_ref: string | null;
  containment_id: string | null;
  message: string; // French
  details: string; // JSON
  delivery_attempts: Generated<number>;
  delivered_at: number | null;
}

/** Synthetic job seekers (stored in people like anyone) and whom each was planted for. */
export interface CanaryTable {
  person_id: string;
  placement: string; // 'training' | 'agency' | 'recruiter' | 'export'
  organisation_id: string | null;
  account_id: string | null;
  export_id: string | null;
  label: string;
  planted_at: number;
}

/* Identity lifecycle (migration 004). The interface merges with Database above. */
export interface Database {
  account_probations: AccountProbationTable;
  reset_tokens: ResetTokenTable;
  reset_requests: ResetRequestTable;
  federated_identities: FederatedIdentityTable;
  oidc_logins: OidcLoginTable;
  machine_clients: MachineClientTable;
  machine_tokens: MachineTokenTable;
  trusted_devices: TrustedDeviceTable;
}

/** Why an account is on probation ('created' | 'reset' | 'role_changed' | 'federation_linked'), and who put it there. */
export interface AccountProbationTable {
  account_id: string;
  reason: string;
  started_at: number;
  started_by: string | null; // the creator / requester: never the one who may approve
}

/** E-mailed reset links: SHA-256 of the token, 30 minutes, single use. */
export interface ResetTokenTable {
  id_hash: Buffer;
  account_id: string;
  method: string; // 'email_and_factor' | 'two_person'
  request_id: string | null; // the approved reset request, for 'two_person'
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A reset on behalf of someone who lost their factor: an account manager of their organisation and a France Travail agent approve. */
export interface ResetRequestTable {
  id: string;
  account_id: string;
  requested_by: string;
  reason: string; // short free text by staff (never a job seeker's data)
  created_at: number;
  expires_at: number;
  manager_approved_by: string | null;
  agent_approved_by: string | null;
  link_sent_at: number | null;
}

/** An identity at an OpenID provider (issuer, sub) mapped to a Vigie account by an account manager. */
export interface FederatedIdentityTable {
  issuer: string;
  subject: string;
  account_id: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
}

/** An OpenID Connect sign-in under way: state (hashed), nonce, PKCE verifier, browser binding (hashed). */
export interface OidcLoginTable {
  state_hash: Buffer;
  binding_hash: Buffer;
  nonce: string;
  code_verifier: string;
  created_at: number;
  expires_at: number;
}

/** A machine client (client credentials) acting as a service account of an organisation. */
export interface MachineClientTable {
  id: string;
  organisation_id: string;
  account_id: string; // the service account whose Reader the gate authorises
  label: string;
  secret_hash: Buffer; // SHA-256 of a 256-bit random secret
  scopes: string; // space-separated
  rate_per_minute: number;
  burst: number;
  created_by: string | null;
  created_at: number;
  disabled_at: number | null;
}

/** Bearer tokens issued to machine clients: SHA-256 of the token, short-lived. */
export interface MachineTokenTable {
  id_hash: Buffer;
  client_id: string;
  scopes: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** Browsers that signed in successfully to an account (OWASP device cookies): they keep priority under attack. */
export interface TrustedDeviceTable {
  id_hash: Buffer;
  account_id: string;
  created_at: number;
  expires_at: number;
  failures: Generated<number>; // failed sign-ins from this device in a row (migration 100): forgotten at 10
}

/* Second factors (migration 003). The interfaces merge with Database and SessionTable above. */
export interface Database {
  mfa_webauthn_credentials: WebauthnCredentialTable;
  mfa_totp: TotpTable;
  mfa_recovery_codes: RecoveryCodeTable;
  webauthn_challenges: WebauthnChallengeTable;
  pending_sign_ins: PendingSignInTable;
}

export interface SessionTable {
  mfa_at: number | null; // when this session last proved a second factor (step-up freshness)
}

/* Sign-in hardening (migration 100). The interfaces merge with Database and SessionTable above. */
export interface Database {
  assisted_sign_in_codes: AssistedSignInCodeTable;
}

export interface SessionTable {
  device_hash: Buffer | null; // hash of the trusted-device token the session was opened with (binding)
  step_up_at: number | null; // a factor proven by a step-up inside this session: the grant a factor change consumes
}

/** A one-time sign-in code an adviser gave a job seeker (no e-mail nor mobile, or none received). */
export interface AssistedSignInCodeTable {
  id: string;
  account_id: string; // the job seeker's account
  code_hash: Buffer; // keyed hash bound to the account
  issued_by: string; // the adviser's account
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A passkey or security key registered to an account. */
export interface WebauthnCredentialTable {
  id: string; // our id, shown in the factor list
  account_id: string;
  credential_id: string; // base64url, as the authenticator names it
  public_key: Buffer; // COSE public key
  counter: number; // signature counter (0 for most passkeys)
  transports: string; // comma-separated
  device_type: string; // 'singleDevice' | 'multiDevice'
  backed_up: number; // 0/1
  label: string;
  created_at: number;
  last_used_at: number | null;
}

/** A TOTP secret (RFC 6238), sealed under a vault service key; unconfirmed until a first code proves it. */
export interface TotpTable {
  id: string;
  account_id: string;
  secret: Buffer; // sealed
  confirmed_at: number | null;
  last_step: number | null; // the last time step accepted: a code of that step or an earlier one is a replay
  created_at: number;
  last_used_at: number | null;
}

/** Single-use recovery codes: keyed hash (HMAC under a vault service key) of the normalised code. */
export interface RecoveryCodeTable {
  id: string;
  account_id: string;
  code_hash: Buffer;
  created_at: number;
  used_at: number | null;
}

/** A WebAuthn challenge handed out and not yet answered; single use, short-lived. */
export interface WebauthnChallengeTable {
  challenge: string; // base64url
  owner_hash: Buffer; // hash of the session or pending sign-in token it was issued to
  purpose: string; // 'register' | 'sign_in' | 'step_up'
  account_id: string;
  created_at: number;
  expires_at: number;
}

/** A sign-in between its password and its second step (migration 100: decoys for wrong passwords). */
export interface PendingSignInTable {
  id_hash: Buffer; // SHA-256 of the pending cookie's token
  account_id: string | null; // null for a decoy of an unknown login
  step: PendingStepColumn;
  decoy: number; // 1: the password was wrong (or the account cannot sign in); no answer ever succeeds
  created_at: number;
  expires_at: number;
  failures: number;
  code_hash: Buffer | null; // keyed hash of the one-time code sent for a new device
  code_channel: CodeChannelColumn | null;
  source_ip: string | null;
}

export type PendingStepColumn = 'mfa' | 'device_code';
export type CodeChannelColumn = 'email' | 'sms';

/* Tree heads of the disclosure log (migration 005). The interface merges with Database above. */
export interface Database {
  log_heads: LogHeadTable;
}

export interface LogHeadTable {
  tree_size: number; // rows of the disclosure log covered, in seq order
  last_seq: number; // seq of the last of them
  root_hash: Buffer; // RFC 6962 Merkle tree head
  frontier: string; // JSON: the perfect subtrees' roots, to extend the tree with the next rows
  created_at: number;
  mac: Buffer; // HMAC under the 'log-head' service key
}

/* Incidents and their scope (migration 130, respond). The interface merges with Database above. */
export interface Database {
  incidents: IncidentTable;
  incident_credentials: IncidentCredentialTable;
  incident_events: IncidentEventTable;
  incident_scopes: IncidentScopeTable;
  incident_people: IncidentPersonTable;
}

/** A personal-data breach and its response. Never a job seeker's data: the title and description are the officer's. */
export interface IncidentTable {
  id: string;
  reference: string; // 'VIG-2026-0001': what officers, the DPO and the CNIL call it
  title: string;
  description: string; // nature of the breach, in the officer's words
  status: IncidentStatus;
  source_kind: IncidentSource;
  source_id: string | null; // the alert or containment it was opened from
  organisation_id: string | null; // a partner's channel: every reader of that organisation
  window_from: number;
  window_to: number | null; // null: until the scope is computed
  aware_at: number; // when France Travail became aware: the 72-hour clock starts here (GDPR art. 33)
  letters_only: number; // 0/1: notify by letter even where an e-mail address exists
  opened_at: number;
  opened_by: string;
  updated_at: number;
  closed_at: number | null;
}

/** A credential of an incident: an account (session_ref '') or one session of it. */
export interface IncidentCredentialTable {
  incident_id: string;
  kind: CredentialKind;
  account_id: string;
  session_ref: string;
}

/** Every action on an incident, newest last (the security log has each too). */
export interface IncidentEventTable {
  seq: Generated<number>;
  incident_id: string;
  at: number;
  account_id: string | null;
  action: IncidentAction;
  details: string; // JSON: counts, ids, codes; never a job seeker's data
}

/** One computation of an incident's scope, under a sealed tree head of the disclosure log. */
export interface IncidentScopeTable {
  id: string;
  incident_id: string;
  number: number; // 1, 2, … as the investigation widens it
  computed_at: number;
  computed_by: string;
  window_from: number;
  window_to: number; // the window as applied (an open end is the head's time)
  tree_size: number; // the tree head the rows were counted under: every row has seq ≤ last_seq
  last_seq: number;
  root_hash: string; // hex
  head_created_at: number;
  rows: number;
  people: number;
  identifying_people: number;
  totals: string; // JSON ScopeTotals
}

/** A person in an incident's latest scope: what reached the reader, from the log. */
export interface IncidentPersonTable {
  incident_id: string;
  person_id: string;
  fields: string; // comma-separated field names delivered (as aggregated: may repeat; normalise on read)
  purposes: string; // comma-separated purposes stated
  first_at: number;
  last_at: number;
  first_seq: number;
  last_seq: number;
  disclosures: number;
  identifying: number; // 0/1: at least one identifying field delivered
  c_identity: number; // 0/1 per exposure category
  c_birth_date: number;
  c_nir: number;
  c_postal_address: number;
  c_email: number;
  c_phone: number;
}

/* Reports to the CNIL (migration 130, respond). */
export interface Database {
  breach_reports: BreachReportTable;
}

/** A report to the CNIL as filed (GDPR art. 33): its content frozen as JSON, counts and categories only. */
export interface BreachReportTable {
  id: string;
  incident_id: string;
  number: number; // 1 = initial, then complementary
  kind: BreachReportKind;
  filed_at: number;
  filed_by: string;
  delay_reason: string | null; // required when filed more than 72 hours after awareness
  content: string; // JSON BreachReportContent
}

/* Notices and their outbox (migration 131, respond). */
export interface Database {
  notices: NoticeTable;
  notice_batches: NoticeBatchTable;
  notice_campaigns: NoticeCampaignTable;
  breach_lookups: BreachLookupTable;
  lookup_replies: LookupReplyTable;
}

/** One notice per person and incident. No address, name or text: they are read through the gate at each send. */
export interface NoticeTable {
  id: string;
  incident_id: string;
  person_id: string;
  channel: NoticeChannel;
  status: NoticeStatus;
  code_hash: Buffer; // keyed hash of the verification code (the code itself is derived, never stored)
  fields: string; // the fields the notice names (from the scope), comma-separated
  first_at: number;
  last_at: number;
  attempts: number;
  next_attempt_at: number;
  fallback: NoticeFallback | null;
  batch_id: string | null;
  created_at: number;
  sent_at: number | null;
  updated_at: number;
}

/** A print file of letters. */
export interface NoticeBatchTable {
  id: string;
  incident_id: string;
  number: number;
  status: BatchStatus;
  letters: number;
  pages: number;
  file: string; // name inside the incident's print folder
  sha256: string | null;
  created_at: number;
  completed_at: number | null;
}

/** Who runs an incident's campaign now (one runner at a time; a dead runner's lease is taken over). */
export interface NoticeCampaignTable {
  incident_id: string;
  runner: string;
  pid: number;
  host: string;
  heartbeat_at: number;
  started_at: number;
  started_by: string;
  finished_at: number | null;
  in_doubt: number; // e-mails found `sending` after a crash and sent again with the same Message-ID
}

/** « Suis-je concerné ? »: known only by the blind index of the address typed. */
export interface BreachLookupTable {
  seq: Generated<number>;
  email_index: Buffer;
  requested_at: number;
  processed_at: number | null;
}

/** The answer to a lookup by someone concerned, sent to the address of their own file. */
export interface LookupReplyTable {
  id: string;
  person_id: string;
  status: 'pending' | 'sending' | 'sent' | 'dropped';
  attempts: number;
  created_at: number;
  sent_at: number | null;
}
