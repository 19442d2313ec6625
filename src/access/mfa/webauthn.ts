/**
 * Passkeys and security keys (WebAuthn, through @simplewebauthn/server). Registration and
 * authentication options carry a server-side challenge (challenges.ts); verification checks the
 * origin and RP ID from the configuration, requires user verification, and keeps each credential's
 * public key, signature counter and transports per account. A counter that goes backwards (a cloned
 * authenticator) is refused by the library.
 */
import { randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import type { ChallengePurpose } from './challenges.js';
import { storeChallenge, takeChallenge } from './challenges.js';
import { registrationRejected } from './mfa-errors.js';
import type { MfaDeps } from './mfa-deps.js';

export type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/** Who registers: the user handle is the account id (random, not personal); the name shown on the authenticator. */
export interface WebauthnUser {
  readonly accountId: string;
  readonly name: string;
}

const TIMEOUT_MS = 120_000;
const LABEL_MAX = 64;

const credentialsOf = (deps: MfaDeps, accountId: string) =>
  deps.db
    .selectFrom('mfa_webauthn_credentials')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();

const transportsOf = (text: string): string[] => (text === '' ? [] : text.split(','));

export async function registrationOptions(
  deps: MfaDeps,
  user: WebauthnUser,
  owner: Buffer,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await credentialsOf(deps, user.accountId);
  const options = await generateRegistrationOptions({
    rpName: deps.mfa.rpName,
    rpID: deps.mfa.rpId,
    userName: user.name,
    userID: new TextEncoder().encode(user.accountId),
    userDisplayName: user.name,
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
  await storeChallenge(deps, owner, 'register', user.accountId, options.challenge);
  return options;
}

async function verifiedRegistration(
  deps: MfaDeps,
  accountId: string,
  owner: Buffer,
  response: RegistrationResponseJSON,
) {
  const challenge = await takeChallenge(deps, owner, 'register', accountId);
  if (challenge === null) throw registrationRejected();
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...deps.mfa.origins],
      expectedRPID: deps.mfa.rpId,
      requireUserVerification: true,
    });
    if (!result.verified) throw registrationRejected();
    return result.registrationInfo;
  } catch {
    throw registrationRejected();
  }
}

/** Verifies a registration response and stores the credential; returns its id in Vigie. */
export async function registerCredential(
  deps: MfaDeps,
  accountId: string,
  owner: Buffer,
  response: RegistrationResponseJSON,
  label: string,
  source: RequestSource,
): Promise<string> {
  const info = await verifiedRegistration(deps, accountId, owner, response);
  const id = randomUUID();
  const now = deps.clock.now();
  const { credential } = info;
  const taken = await deps.db
    .selectFrom('mfa_webauthn_credentials')
    .select('id')
    .where('credential_id', '=', credential.id)
    .executeTakeFirst();
  if (taken) throw registrationRejected();
  await deps.db
    .insertInto('mfa_webauthn_credentials')
    .values({
      id,
      account_id: accountId,
      credential_id: credential.id,
      public_key: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: (credential.transports ?? response.response.transports ?? []).join(','),
      device_type: info.credentialDeviceType,
      backed_up: info.credentialBackedUp ? 1 : 0,
      label: label.trim().slice(0, LABEL_MAX) || 'Clé d’accès',
      created_at: now,
      last_used_at: null,
    })
    .execute();
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'mfa.enrolled',
    accountId,
    sourceIp: source.ip,
    details: { method: 'webauthn', factorId: id },
  });
  return id;
}

export async function authenticationOptions(
  deps: MfaDeps,
  accountId: string,
  owner: Buffer,
  purpose: ChallengePurpose,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await credentialsOf(deps, accountId);
  const options = await generateAuthenticationOptions({
    rpID: deps.mfa.rpId,
    timeout: TIMEOUT_MS,
    userVerification: 'required',
    allowCredentials: credentials.map((c) => ({ id: c.credential_id, transports: transportsOf(c.transports) })),
  });
  await storeChallenge(deps, owner, purpose, accountId, options.challenge);
  return options;
}

/** True if `response` is a valid assertion of one of the account's credentials over its live challenge. */
export async function verifyAssertion(
  deps: MfaDeps,
  accountId: string,
  owner: Buffer,
  purpose: ChallengePurpose,
  response: AuthenticationResponseJSON,
): Promise<boolean> {
  const challenge = await takeChallenge(deps, owner, purpose, accountId);
  const row = await deps.db
    .selectFrom('mfa_webauthn_credentials')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('credential_id', '=', response.id)
    .executeTakeFirst();
  if (challenge === null || !row) return false;
  const credential = {
    id: row.credential_id,
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports: transportsOf(row.transports),
  };
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...deps.mfa.origins],
      expectedRPID: deps.mfa.rpId,
      credential,
      requireUserVerification: true,
    });
    if (!result.verified) return false;
    await deps.db
      .updateTable('mfa_webauthn_credentials')
      .set({ counter: result.authenticationInfo.newCounter, last_used_at: deps.clock.now() })
      .where('id', '=', row.id)
      .execute();
    return true;
  } catch {
    return false;
  }
}
