import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32Encode, hotp, matchingStep, otpauthUri, stepAt } from './totp.js';

/** Debian's oathtool, the reference implementation the tests check against. */
const oathtool = (base32: string, at: number): string =>
  execFileSync('oathtool', ['--totp', '-b', base32, '-N', `@${Math.floor(at / 1000)}`], { encoding: 'utf8' }).trim();

describe('TOTP (RFC 6238)', () => {
  const rfcSecret = Buffer.from('12345678901234567890');

  it('encodes base32 as RFC 4648 does', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(rfcSecret)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('matches the RFC 6238 SHA-1 test vectors (last 6 digits)', () => {
    const vectors: Array<[number, string]> = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
      [20000000000, '353130'],
    ];
    for (const [seconds, code] of vectors) expect(hotp(rfcSecret, stepAt(seconds * 1000))).toBe(code);
  });

  it('agrees with oathtool on random secrets and instants', () => {
    for (let i = 0; i < 5; i++) {
      const secret = randomBytes(20);
      const at = Date.UTC(2026, 2, 2, 8, 0) + i * 7_919_000;
      expect(hotp(secret, stepAt(at))).toBe(oathtool(base32Encode(secret), at));
    }
  });

  it('accepts the step before and after, not two away, and tolerates spaces', () => {
    const secret = randomBytes(20);
    const now = Date.UTC(2026, 2, 2, 8, 0, 15);
    const step = stepAt(now);
    expect(matchingStep(secret, hotp(secret, step), now)).toBe(step);
    expect(matchingStep(secret, hotp(secret, step - 1), now)).toBe(step - 1);
    expect(matchingStep(secret, hotp(secret, step + 1), now)).toBe(step + 1);
    expect(matchingStep(secret, hotp(secret, step + 2), now)).toBeNull();
    expect(matchingStep(secret, hotp(secret, step - 2), now)).toBeNull();
    const code = hotp(secret, step);
    expect(matchingStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(step);
    expect(matchingStep(secret, 'abcdef', now)).toBeNull();
  });

  it('builds the otpauth URI authenticator apps scan', () => {
    const uri = otpauthUri(rfcSecret, 'Vigie', 'camille@formation.fr');
    expect(uri).toBe(
      'otpauth://totp/Vigie%3Acamille%40formation.fr?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Vigie&algorithm=SHA1&digits=6&period=30',
    );
  });
});
