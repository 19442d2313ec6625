/**
 * Networks of source addresses: the /24 of an IPv4 address, the /48 or /64 of an IPv6 address.
 * Sign-in throttling counts failures per address and per network (an attacker rotating through
 * one provider's block is still one network); sessions are bound to the network they were opened
 * from (a cookie replayed from elsewhere is refused).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:192.0.2.1), else the address as given. */
export function unmapped(ip: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return match?.[1] ?? ip;
}

/** The eight 16-bit groups of an IPv6 address (with '::' expanded and a trailing dotted quad converted). */
function ipv6Groups(ip: string): number[] {
  let text = ip.replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The network of an address as a printable prefix: '192.0.2.0/24', or '2001:db8:1::/48' with
 * `ipv6Bits` 48 (sessions) or 64 (throttling). Null for a missing or unparsable address.
 */
export function networkOf(ip: string | null, ipv6Bits: 48 | 64 = 64): string | null {
  if (ip === null) return null;
  const address = unmapped(ip);
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return null;
  const groups = ipv6Groups(address).slice(0, ipv6Bits / 16);
  return `${groups.map((g) => g.toString(16)).join(':')}::/${ipv6Bits}`;
}

/** The address itself, normalised (IPv4-mapped addresses unmapped), or null. */
export function addressOf(ip: string | null): string | null {
  if (ip === null) return null;
  const address = unmapped(ip);
  return isIPv4(address) || isIPv6(address) ? address.toLowerCase() : null;
}
