/**
 * ID token verification by hand (JWS compact serialisation, RFC 7515) with node:crypto: the key is
 * the provider's JWK of the header's `kid`, the algorithm one of the asymmetric ones an OpenID
 * provider signs with (RS256/384/512, PS256/384/512, ES256/384/512, EdDSA). `none` and HMAC are
 * refused outright: an HMAC "signed" with the client secret or a public key is the classic confusion.
 * Claims are checked by the caller (oidc-claims.ts).
 */
import { createPublicKey, constants, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { AppError } from '../domain/errors.js';

export interface Jwk extends JsonWebKey {
  readonly kid?: string;
  readonly use?: string;
  readonly alg?: string;
}

export interface JwsHeader {
  readonly alg: string;
  readonly kid?: string;
  readonly typ?: string;
}

export interface DecodedJwt {
  readonly header: JwsHeader;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

export const idTokenInvalid = (reason: string): AppError =>
  new AppError(
    'AUTH.OIDC_TOKEN_INVALID',
    'unauthenticated',
    'La réponse du fournisseur d’identité n’est pas valide : reconnectez-vous.',
    { reason },
  );

interface Algorithm {
  readonly hash: string | null;
  readonly kty: string;
  readonly options?: { padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' };
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
const ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', options: PSS },
  PS384: { hash: 'sha384', kty: 'RSA', options: PSS },
  PS512: { hash: 'sha512', kty: 'RSA', options: PSS },
  ES256: { hash: 'sha256', kty: 'EC', options: { dsaEncoding: 'ieee-p1363' } },
  ES384: { hash: 'sha384', kty: 'EC', options: { dsaEncoding: 'ieee-p1363' } },
  ES512: { hash: 'sha512', kty: 'EC', options: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { hash: null, kty: 'OKP' },
};

const PART = /^[A-Za-z0-9_-]+$/;

function parseJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw idTokenInvalid(`${what}_malformed`);
}

/** Splits and decodes a compact JWS; nothing is trusted yet. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => PART.test(p))) throw idTokenInvalid('not_a_jws');
  const [h, c, s] = parts as [string, string, string];
  const header = parseJson(h, 'header');
  if (typeof header['alg'] !== 'string') throw idTokenInvalid('header_malformed');
  const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
  return {
    header: { alg: header['alg'], ...(kid !== undefined ? { kid } : {}) },
    claims: parseJson(c, 'claims'),
    signingInput: Buffer.from(`${h}.${c}`, 'ascii'),
    signature: Buffer.from(s, 'base64url'),
  };
}

/** The JWK of the provider's set that signed this token: by `kid`, else the only signing key of the right type. */
export function selectKey(keys: readonly Jwk[], header: JwsHeader): Jwk | undefined {
  const algorithm = ALGORITHMS[header.alg];
  const usable = keys.filter(
    (k) =>
      k.kty === algorithm?.kty &&
      (k.use === undefined || k.use === 'sig') &&
      (k.alg === undefined || k.alg === header.alg),
  );
  if (header.kid !== undefined) return usable.find((k) => k.kid === header.kid);
  return usable.length === 1 ? usable[0] : undefined;
}

function publicKeyOf(jwk: Jwk): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw idTokenInvalid('key_unusable');
  }
}

/** Verifies the signature of a decoded token with `jwk`; throws AUTH.OIDC_TOKEN_INVALID otherwise. */
export function verifySignature(jwt: DecodedJwt, jwk: Jwk): void {
  const algorithm = ALGORITHMS[jwt.header.alg];
  if (!algorithm) throw idTokenInvalid('algorithm_refused');
  const key = publicKeyOf(jwk);
  let ok = false;
  try {
    ok = verify(algorithm.hash, jwt.signingInput, { key, ...algorithm.options }, jwt.signature);
  } catch {
    ok = false; // a key of another curve or size: not this token's key
  }
  if (!ok) throw idTokenInvalid('signature');
}

export const isAcceptedAlgorithm = (alg: string): boolean => alg in ALGORITHMS;
