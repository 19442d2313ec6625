import type { OrganisationKind, Role } from '../domain/roles.js';

/**
 * Who is reading, established by authentication before any disclosure: the account, the
 * credential (session) it used, its organisation, and the request it belongs to.
 */
export interface Reader {
  readonly accountId: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly organisationKind: OrganisationKind | null;
  /** Set for job seekers: the person they are. */
  readonly personId: string | null;
  /** Non-secret reference of the session or machine credential used (never the token). */
  readonly sessionRef: string | null;
  readonly sourceIp: string | null;
  readonly requestId: string;
  /** Authentication assurance of the session: 'password' now, 'mfa' once a second factor is proven. */
  readonly assurance: 'password' | 'mfa';
  /** When this session last proved a second factor (epoch ms), null if never: detection may demand a fresh one (step-up). */
  readonly mfaAt?: number | null;
}
