/**
 * What Vigie knows of its OpenID provider: the discovery document (endpoints) and the signing keys
 * (JWKS), fetched with node's fetch and kept for an hour. A token signed with a key we do not know
 * triggers one refetch of the JWKS (the provider rotated its keys), at most once a minute, so forged
 * `kid`s cannot make us hammer the provider.
 */
import { AppError } from '../domain/errors.js';
import type { Jwk } from './oidc-jwt.js';

export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

const TTL_MS = 3_600_000;
const REFETCH_MS = 60_000;
const TIMEOUT_MS = 5_000;

export const providerUnavailable = (): AppError =>
  new AppError(
    'AUTH.OIDC_UNAVAILABLE',
    'unavailable',
    'Le fournisseur d’identité ne répond pas : réessayez plus tard ou connectez-vous avec votre mot de passe.',
  );

async function getJson(url: string): Promise<Record<string, unknown>> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw providerUnavailable();
    return (await response.json()) as Record<string, unknown>;
  } catch {
    throw providerUnavailable();
  }
}

const isUrl = (v: unknown): v is string => typeof v === 'string' && /^https?:\/\//.test(v);

export class ProviderDirectory {
  private metadataCache: { value: ProviderMetadata; at: number } | undefined;
  private keysCache: { value: readonly Jwk[]; at: number } | undefined;

  constructor(private readonly issuer: string) {}

  async metadata(now = Date.now()): Promise<ProviderMetadata> {
    if (this.metadataCache && now - this.metadataCache.at < TTL_MS) return this.metadataCache.value;
    const doc = await getJson(`${this.issuer}/.well-known/openid-configuration`);
    if (
      doc['issuer'] !== this.issuer ||
      !isUrl(doc['authorization_endpoint']) ||
      !isUrl(doc['token_endpoint']) ||
      !isUrl(doc['jwks_uri'])
    )
      throw providerUnavailable();
    const value = {
      issuer: this.issuer,
      authorization_endpoint: doc['authorization_endpoint'],
      token_endpoint: doc['token_endpoint'],
      jwks_uri: doc['jwks_uri'],
    };
    this.metadataCache = { value, at: now };
    return value;
  }

  /** The provider's keys; `refresh` asks for a refetch (unknown kid), granted at most once a minute. */
  async keys(refresh = false, now = Date.now()): Promise<readonly Jwk[]> {
    const cached = this.keysCache;
    if (cached && now - cached.at < TTL_MS && (!refresh || now - cached.at < REFETCH_MS)) return cached.value;
    const doc = await getJson((await this.metadata(now)).jwks_uri);
    const value = Array.isArray(doc['keys'])
      ? (doc['keys'] as Jwk[]).filter((k) => typeof k === 'object' && k !== null)
      : [];
    this.keysCache = { value, at: now };
    return value;
  }
}
