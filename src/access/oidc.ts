/**
 * Vigie as an OpenID Connect relying party, the way partners sign in through ProConnect:
 * authorisation code flow with PKCE (S256), `state` bound to the browser by a cookie (login CSRF),
 * `nonce` bound to the ID token, the ID token's signature checked against the provider's JWKS and its
 * `iss`/`aud`/`exp`/`iat`/`nonce` checked (oidc-claims.ts). The identity (issuer, sub) maps to a Vigie
 * account through federated_identities, which only account managers create (oidc-identities.ts).
 * Plain fetch and node:crypto: no OIDC client library to trust or update.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, isAppError } from '../domain/errors.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Account } from './accounts.js';
import { getAccount } from './accounts.js';
import type { IdentityClaims } from './oidc-claims.js';
import { checkClaims } from './oidc-claims.js';
import { decodeJwt, idTokenInvalid, isAcceptedAlgorithm, selectKey, verifySignature } from './oidc-jwt.js';
import type { ProviderDirectory } from './oidc-metadata.js';
import { providerUnavailable } from './oidc-metadata.js';
import { recordSecurityEvent } from './security-events.js';

export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
/** ProConnect returns `amr` (how the person authenticated) only when asked for it in the `claims` parameter. */
const REQUESTED_CLAIMS = JSON.stringify({ id_token: { amr: { essential: true }, acr: null } });

export interface OidcClient {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
}

export interface OidcDeps extends AccessDeps {
  readonly client: OidcClient;
  readonly directory: ProviderDirectory;
}

const random = (): string => randomBytes(32).toString('base64url');
const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export const oidcStateInvalid = (): AppError =>
  new AppError(
    'AUTH.OIDC_STATE_INVALID',
    'unauthenticated',
    'Cette connexion a expiré ou n’a pas été commencée dans ce navigateur : recommencez.',
  );

export const oidcNotLinked = (): AppError =>
  new AppError(
    'AUTH.OIDC_NOT_LINKED',
    'forbidden',
    'Cette identité n’est reliée à aucun compte Vigie actif : demandez à votre gestionnaire de comptes.',
  );

export interface OidcStart {
  /** Where to send the browser. */
  readonly location: string;
  /** The browser-binding secret: goes in a cookie, its hash in the database. */
  readonly binding: string;
  readonly expiresAt: number;
}

/** Starts a sign-in at the provider: state, nonce and PKCE verifier kept for 10 minutes. */
export async function startOidcLogin(deps: OidcDeps): Promise<OidcStart> {
  const [state, nonce, verifier, binding] = [random(), random(), random(), random()];
  const now = deps.clock.now();
  const expiresAt = now + OIDC_LOGIN_TTL_MS;
  await deps.db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute();
  await deps.db
    .insertInto('oidc_logins')
    .values({
      state_hash: sha256(state),
      binding_hash: sha256(binding),
      nonce,
      code_verifier: verifier,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  const { authorization_endpoint } = await deps.directory.metadata();
  const url = new URL(authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: deps.client.clientId,
    redirect_uri: deps.client.redirectUri,
    scope: 'openid email',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    claims: REQUESTED_CLAIMS,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { location: url.toString(), binding, expiresAt };
}

/** Takes the sign-in under way for this state and browser (single use). */
async function takeLogin(deps: OidcDeps, state: string, binding: string | undefined) {
  const stateHash = sha256(state);
  const row = await deps.db
    .selectFrom('oidc_logins')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (
    !row ||
    binding === undefined ||
    !timingSafeEqual(row.binding_hash, sha256(binding)) ||
    row.expires_at <= deps.clock.now()
  )
    throw oidcStateInvalid();
  const taken = await deps.db.deleteFrom('oidc_logins').where('state_hash', '=', stateHash).executeTakeFirst();
  if (Number(taken.numDeletedRows) !== 1) throw oidcStateInvalid();
  return row;
}

/** Exchanges the code (client_secret_basic, PKCE verifier) for the ID token. */
async function exchangeCode(deps: OidcDeps, code: string, verifier: string): Promise<string> {
  const { token_endpoint } = await deps.directory.metadata();
  const basic = Buffer.from(
    `${encodeURIComponent(deps.client.clientId)}:${encodeURIComponent(deps.client.clientSecret)}`,
  ).toString('base64');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: deps.client.redirectUri,
    code_verifier: verifier,
  });
  let response: Response;
  try {
    response = await fetch(token_endpoint, {
      method: 'POST',
      body,
      headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    throw providerUnavailable();
  }
  const json = (await response.json().catch(() => ({}))) as { id_token?: unknown };
  if (!response.ok || typeof json.id_token !== 'string') throw idTokenInvalid('token_endpoint');
  return json.id_token;
}

/** Verifies the ID token's signature (JWKS, one refetch for an unknown key) and claims. */
export async function verifyIdToken(deps: OidcDeps, idToken: string, nonce: string): Promise<IdentityClaims> {
  const jwt = decodeJwt(idToken);
  if (!isAcceptedAlgorithm(jwt.header.alg)) throw idTokenInvalid('algorithm_refused');
  const key =
    selectKey(await deps.directory.keys(), jwt.header) ?? selectKey(await deps.directory.keys(true), jwt.header);
  if (!key) throw idTokenInvalid('unknown_key');
  verifySignature(jwt, key);
  return checkClaims(jwt.claims, {
    issuer: deps.client.issuer,
    clientId: deps.client.clientId,
    nonce,
    now: deps.clock.now(),
  });
}

/** The live staff account linked to this identity; AUTH.OIDC_NOT_LINKED otherwise. */
async function linkedAccount(deps: OidcDeps, identity: IdentityClaims): Promise<Account> {
  const link = await deps.db
    .selectFrom('federated_identities')
    .select('account_id')
    .where('issuer', '=', identity.issuer)
    .where('subject', '=', identity.subject)
    .executeTakeFirst();
  if (!link) throw oidcNotLinked();
  const account = await getAccount(deps.db, link.account_id);
  if (account.role === 'job_seeker' || (account.status !== 'active' && account.status !== 'probation'))
    throw oidcNotLinked();
  return account;
}

export interface OidcCallback {
  readonly code: string;
  readonly state: string;
  /** The `iss` parameter of the authorisation response (RFC 9207), if the provider sends it. */
  readonly iss: string | undefined;
  readonly binding: string | undefined;
}

async function finish(deps: OidcDeps, input: OidcCallback): Promise<{ account: Account; identity: IdentityClaims }> {
  if (input.iss !== undefined && input.iss !== deps.client.issuer) throw idTokenInvalid('issuer_mix_up');
  const login = await takeLogin(deps, input.state, input.binding);
  const identity = await verifyIdToken(deps, await exchangeCode(deps, input.code, login.code_verifier), login.nonce);
  return { account: await linkedAccount(deps, identity), identity };
}

/**
 * Completes a sign-in at the provider: the account and what the provider asserted. Failures are
 * recorded (auth.oidc_failed with the reason) and answered with a stable code.
 */
export async function finishOidcLogin(
  deps: OidcDeps,
  input: OidcCallback,
  source: RequestSource,
): Promise<{ account: Account; identity: IdentityClaims }> {
  const now = deps.clock.now();
  try {
    const result = await finish(deps, input);
    await deps.db
      .updateTable('federated_identities')
      .set({ last_used_at: now })
      .where('issuer', '=', result.identity.issuer)
      .where('subject', '=', result.identity.subject)
      .execute();
    await deps.db.updateTable('accounts').set({ last_login_at: now }).where('id', '=', result.account.id).execute();
    const details = {
      method: 'oidc',
      issuer: result.identity.issuer,
      multiFactor: result.identity.multiFactor,
      amr: result.identity.amr.join(' '),
      acr: result.identity.acr,
    };
    await recordSecurityEvent(deps.db, {
      at: now,
      kind: 'auth.sign_in',
      accountId: result.account.id,
      sourceIp: source.ip,
      details,
    });
    return result;
  } catch (e) {
    const reason = isAppError(e) ? String(e.details?.['reason'] ?? e.code) : 'internal';
    await recordSecurityEvent(deps.db, {
      at: now,
      kind: 'auth.oidc_failed',
      accountId: null,
      sourceIp: source.ip,
      details: { reason },
    });
    throw e;
  }
}
