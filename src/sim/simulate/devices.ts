/**
 * Where simulated users connect from: each legitimate account has its own stable device (user agent)
 * and network, drawn from its id; attackers come from elsewhere (documentation address ranges,
 * RFC 5737, so that no real network is named).
 */
import type { RequestSource } from '../../access/access-deps.js';
import { createRng } from '../population/rng.js';

const OFFICE_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
];
const HOME_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
];
export const ATTACKER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';

/** An organisation's office network and each account's own browser. */
export function staffDevice(accountId: string, organisationId: string): RequestSource {
  const org = createRng(`net/${organisationId}`);
  const own = createRng(`device/${accountId}`);
  return { ip: `10.${org.int(0, 255)}.${org.int(0, 255)}.${own.int(2, 254)}`, userAgent: own.pick(OFFICE_AGENTS) };
}

/** A job seeker's phone or home computer on their home network. */
export function homeDevice(accountId: string): RequestSource {
  const r = createRng(`home/${accountId}`);
  return { ip: `100.${r.int(64, 127)}.${r.int(0, 255)}.${r.int(2, 254)}`, userAgent: r.pick(HOME_AGENTS) };
}

/** An attacker's machine: one of `networks` /24 ranges of TEST-NET-3 (203.0.113.0/24) and TEST-NET-2. */
export function attackerDevice(n: number, agent: string = ATTACKER_AGENT): RequestSource {
  const net = n % 2 === 0 ? '203.0.113' : '198.51.100';
  return { ip: `${net}.${(n % 250) + 2}`, userAgent: agent };
}
