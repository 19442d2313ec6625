/**
 * Binding a session to the device and network that opened it (Oct 2025: job seekers' session
 * cookies taken by infostealers were replayed from the attackers' machines, MFA bypassed).
 *
 * A session is used from the same device when its user agent is the one it was opened with, and
 * from the same network when the source address is in the same /24 (IPv4) or /48 (IPv6). Anything
 * else demands a new sign-in; the session is revoked and the attempt recorded (`session.replay`).
 *
 * One exception: a job seeker's session on a *mobile* user agent may change network (Wi-Fi to
 * 4G, carrier NAT pools rotate addresses outside any /24). The session follows the new network and
 * the move is recorded (`session.network_changed`). Why only there: the infostealer logs of Oct 2025
 * came from desktop PCs, where a network change with the same browser is rare, and staff never get
 * the exception (their sessions read other people's files). A replay that copies a mobile user agent
 * exactly is still bounded by the 15-minute idle timeout and 4-hour lifetime of job seekers' sessions,
 * and only ever reaches the job seeker's own file.
 */
import type { Role } from '../domain/roles.js';
import type { RequestSource } from './access-deps.js';
import { networkOf } from './throttle-network.js';

export const USER_AGENT_MAX = 256;

export type DeviceVerdict = 'same' | 'moved' | 'other_device' | 'other_network';

const MOBILE = /\b(Mobile|Android|iPhone|iPad|iPod)\b/;

/** The user agent as stored with a session (truncated). */
export const storedUserAgent = (userAgent: string | null): string | null => userAgent?.slice(0, USER_AGENT_MAX) ?? null;

/** Compares a request's source with the one the session was opened from (or last moved to). */
export function compareDevice(opened: RequestSource, current: RequestSource, role: Role): DeviceVerdict {
  const userAgent = storedUserAgent(current.userAgent);
  if (userAgent !== storedUserAgent(opened.userAgent)) return 'other_device';
  if (current.ip === opened.ip || networkOf(current.ip, 48) === networkOf(opened.ip, 48)) return 'same';
  const mayMove = role === 'job_seeker' && userAgent !== null && MOBILE.test(userAgent);
  return mayMove ? 'moved' : 'other_network';
}
