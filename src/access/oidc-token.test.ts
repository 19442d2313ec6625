import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../domain/errors.js';
import { checkClaims } from './oidc-claims.js';
import type { Jwk } from './oidc-jwt.js';
import { decodeJwt, isAcceptedAlgorithm, selectKey, verifySignature } from './oidc-jwt.js';

const NOW = Date.UTC(2026, 10, 22, 10, 0);
const ISSUER = 'https://proconnect.example';
const CLIENT = 'vigie';
const NONCE = 'n-0S6_WzA2Mj';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwkOf = (key: KeyObject, kid: string): Jwk => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig' });
const KEYS: Jwk[] = [jwkOf(rsa.publicKey, 'rsa-1'), jwkOf(ec.publicKey, 'ec-1')];

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: CLIENT,
  sub: 'agent-7',
  nonce: NONCE,
  iat: NOW / 1000,
  exp: NOW / 1000 + 300,
  amr: ['pwd'],
  ...extra,
});

function jws(header: Record<string, unknown>, payload: object, key: KeyObject | null): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const alg = header['alg'];
  const signature =
    key === null
      ? Buffer.alloc(0)
      : alg === 'ES256'
        ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

/** Signature and claims, as the relying party checks them. */
function check(token: string, expected = { issuer: ISSUER, clientId: CLIENT, nonce: NONCE, now: NOW }) {
  const jwt = decodeJwt(token);
  if (!isAcceptedAlgorithm(jwt.header.alg))
    throw Object.assign(new Error('refused'), { details: { reason: 'algorithm_refused' } });
  const key = selectKey(KEYS, jwt.header);
  if (!key) throw Object.assign(new Error('no key'), { details: { reason: 'unknown_key' } });
  verifySignature(jwt, key);
  return checkClaims(jwt.claims, expected);
}

const reasonOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).details?.['reason'];
  }
  return 'accepted';
};

describe('ID token verification', () => {
  it('accepts RS256 and ES256 tokens signed by the provider’s keys', () => {
    expect(check(jws({ alg: 'RS256', kid: 'rsa-1' }, claims(), rsa.privateKey))).toMatchObject({
      subject: 'agent-7',
      multiFactor: false,
      amr: ['pwd'],
    });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ amr: ['pwd', 'otp'] }), ec.privateKey))).toMatchObject({
      multiFactor: true,
    });
    expect(
      check(jws({ alg: 'RS256', kid: 'rsa-1' }, claims({ amr: ['pwd'], acr: 'eidas2' }), rsa.privateKey)).multiFactor,
    ).toBe(true);
  });

  it('refuses a forged or altered signature, an unknown key, none and HMAC', () => {
    const good = jws({ alg: 'RS256', kid: 'rsa-1' }, claims(), rsa.privateKey);
    const [h, , s] = good.split('.');
    expect(reasonOf(() => check(`${h}.${b64(claims({ sub: 'admin' }))}.${s}`))).toBe('signature');
    expect(reasonOf(() => check(jws({ alg: 'RS256', kid: 'rsa-1' }, claims(), stranger.privateKey)))).toBe('signature');
    expect(reasonOf(() => check(jws({ alg: 'RS256', kid: 'rsa-9' }, claims(), stranger.privateKey)))).toBe(
      'unknown_key',
    );
    expect(reasonOf(() => check(jws({ alg: 'none' }, claims(), null)))).toBe('not_a_jws'); // empty signature
    expect(reasonOf(() => check(`${jws({ alg: 'none' }, claims(), null)}AA`))).toBe('algorithm_refused');
    const input = `${b64({ alg: 'HS256', kid: 'rsa-1' })}.${b64(claims())}`;
    const hmac = createHmac('sha256', JSON.stringify(KEYS[0])).update(input).digest('base64url');
    expect(reasonOf(() => check(`${input}.${hmac}`))).toBe('algorithm_refused');
    expect(reasonOf(() => check('pas.un.jeton!'))).toBe('not_a_jws');
  });

  it('checks issuer, audience, authorised party, expiry, issue time, nonce and subject', () => {
    const signed = (extra: Record<string, unknown>) =>
      jws({ alg: 'RS256', kid: 'rsa-1' }, claims(extra), rsa.privateKey);
    expect(reasonOf(() => check(signed({ iss: 'https://evil.example' })))).toBe('issuer');
    expect(reasonOf(() => check(signed({ aud: 'another-client' })))).toBe('audience');
    expect(reasonOf(() => check(signed({ aud: [CLIENT, 'another'], azp: 'another' })))).toBe('authorized_party');
    expect(check(signed({ aud: [CLIENT, 'another'], azp: CLIENT })).subject).toBe('agent-7');
    expect(reasonOf(() => check(signed({ exp: NOW / 1000 - 120 })))).toBe('expired');
    expect(reasonOf(() => check(signed({ exp: undefined })))).toBe('exp_missing');
    expect(reasonOf(() => check(signed({ iat: NOW / 1000 + 600 })))).toBe('issued_in_future');
    expect(reasonOf(() => check(signed({ nonce: 'another' })))).toBe('nonce');
    expect(reasonOf(() => check(signed({ sub: '' })))).toBe('subject');
  });
});
