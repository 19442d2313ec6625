/**
 * The claims of an ID token (OpenID Connect Core §3.1.3.7): issuer exactly ours, audience our client
 * (and `azp` when there are several audiences), not expired, not issued in the future, our nonce, a
 * subject. Then the assurance: a provider that asserts a second factor (`amr` with mfa, otp, hwk,
 * pop…, or an `acr` of a multi-factor level such as eIDAS substantial/high) gives an 'mfa' session;
 * otherwise Vigie asks for its own second factor.
 */
import { idTokenInvalid } from './oidc-jwt.js';

/** Clock skew tolerated between the provider and us. */
export const CLOCK_SKEW_MS = 60_000;

const MFA_AMR: ReadonlySet<string> = new Set(['mfa', 'otp', 'hwk', 'pop']);
const MFA_ACR: ReadonlySet<string> = new Set([
  'eidas2',
  'eidas3',
  'https://proconnect.gouv.fr/assurance/self-asserted-2fa',
  'https://proconnect.gouv.fr/assurance/consistency-checked-2fa',
]);

export interface ExpectedClaims {
  readonly issuer: string;
  readonly clientId: string;
  readonly nonce: string;
  readonly now: number;
}

export interface IdentityClaims {
  readonly issuer: string;
  readonly subject: string;
  readonly amr: readonly string[];
  readonly acr: string | null;
  /** True when the provider asserts a second factor. */
  readonly multiFactor: boolean;
}

const seconds = (claims: Readonly<Record<string, unknown>>, name: string): number => {
  const value = claims[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw idTokenInvalid(`${name}_missing`);
  return value * 1000;
};

function checkAudience(claims: Readonly<Record<string, unknown>>, clientId: string): void {
  const aud = claims['aud'];
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(clientId)) throw idTokenInvalid('audience');
  if (audiences.length > 1 && claims['azp'] !== clientId) throw idTokenInvalid('authorized_party');
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Checks the claims of a token whose signature is already verified; returns who signed in and how. */
export function checkClaims(claims: Readonly<Record<string, unknown>>, expected: ExpectedClaims): IdentityClaims {
  if (claims['iss'] !== expected.issuer) throw idTokenInvalid('issuer');
  checkAudience(claims, expected.clientId);
  if (expected.now >= seconds(claims, 'exp') + CLOCK_SKEW_MS) throw idTokenInvalid('expired');
  if (seconds(claims, 'iat') > expected.now + CLOCK_SKEW_MS) throw idTokenInvalid('issued_in_future');
  if (claims['nonce'] !== expected.nonce) throw idTokenInvalid('nonce');
  const subject = claims['sub'];
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) throw idTokenInvalid('subject');
  const amr = strings(claims['amr']);
  const acr = typeof claims['acr'] === 'string' ? claims['acr'] : null;
  const multiFactor = amr.some((m) => MFA_AMR.has(m)) || (acr !== null && MFA_ACR.has(acr));
  return { issuer: expected.issuer, subject, amr, acr, multiFactor };
}
