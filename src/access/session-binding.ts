/**
 * Binding a session to the device and network that opened it (Oct 2025: job seekers' session
 * cookies taken by infostealers were replayed from the attackers' machines, MFA bypassed).
 *
 * A session is opened on a browser that holds a trusted-device token (vigie_device cookie) and is
 * bound to it: every request must carry the same user agent and that device token. Then:
 * - the same address: the same device;
 * - another address of the same network (/24 for IPv4, /48 for IPv6: a DHCP renewal, an agency's
 *   NAT pool, IPv6 privacy addresses): followed, and recorded (`session.address_changed`), because
 *   the device token travelled with it;
 * - another network: refused, unless the session is a job seeker's on a *mobile* user agent (Wi-Fi to
 *   4G, carrier NAT pools rotate addresses outside any /24): followed and recorded
 *   (`session.network_changed`). Staff never get that exception (their sessions read other people's
 *   files), nor desktops (the infostealer logs of Oct 2025 came from desktop PCs).
 * A session opened without a device token (a staff account's enrolment session, before its first
 * factor; sessions of the simulator and tools) is bound to its exact address instead.
 *
 * Anything else (another user agent, a missing or different device token, a move not allowed) is a
 * replay: the session is revoked, `session.replay` recorded and an alert raised for the security
 * officer, in one transaction. A cookie replayed from the same /24 without the device cookie is a
 * replay too (issue 9, item 10). A thief who copied both cookies and the user agent and works from
 * the holder's own network is the limit of what a server can see; job seekers' short sessions
 * (15 minutes idle, 4 hours at most) bound what that is worth.
 */
import type { Role } from '../domain/roles.js';
import type { RequestSource } from './access-deps.js';
import { networkOf } from './throttle-network.js';

export const USER_AGENT_MAX = 256;

export type DeviceVerdict =
  | 'same'
  | 'address_changed' // same network, same device token: followed
  | 'moved' // a job seeker's mobile on another network: followed
  | 'other_device' // another user agent
  | 'device_token' // the device cookie is missing or is not the session's
  | 'other_address' // a session without a device token, from another address
  | 'other_network';

const MOBILE = /\b(Mobile|Android|iPhone|iPad|iPod)\b/;

/** The user agent as stored with a session (truncated). */
export const storedUserAgent = (userAgent: string | null): string | null => userAgent?.slice(0, USER_AGENT_MAX) ?? null;

export interface OpenedOn extends RequestSource {
  /** The device token's hash the session was opened with, or null (bound to its exact address). */
  readonly deviceHash: Buffer | null;
}

/** Compares a request's source (and the hash of its device token) with what the session was opened on. */
export function compareDevice(
  opened: OpenedOn,
  current: RequestSource,
  currentDeviceHash: Buffer | null,
  role: Role,
): DeviceVerdict {
  const userAgent = storedUserAgent(current.userAgent);
  if (userAgent !== storedUserAgent(opened.userAgent)) return 'other_device';
  if (opened.deviceHash === null) return current.ip === opened.ip ? 'same' : 'other_address';
  if (currentDeviceHash === null || !currentDeviceHash.equals(opened.deviceHash)) return 'device_token';
  if (current.ip === opened.ip) return 'same';
  if (networkOf(current.ip, 48) === networkOf(opened.ip, 48)) return 'address_changed';
  const mayMove = role === 'job_seeker' && userAgent !== null && MOBILE.test(userAgent);
  return mayMove ? 'moved' : 'other_network';
}

/** Verdicts under which the session goes on (at its new address). */
export const FOLLOWED: ReadonlySet<DeviceVerdict> = new Set<DeviceVerdict>(['address_changed', 'moved']);
