/**
 * Federated identities: an identity at an OpenID provider (issuer, sub) linked to a staff account by
 * an account manager of its organisation (or an overseeing France Travail agent). Linking a new way
 * to sign in is as sensitive as creating the account (Dec 2025: accounts created through single
 * sign-on), so the account goes back to probation until a second person approves it.
 */
import { conflict, forbidden } from '../domain/errors.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Overseer } from './lifecycle.js';
import { accountUnderCare, putOnProbation } from './lifecycle.js';
import { recordSecurityEvent } from './security-events.js';

export interface FederatedIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly accountId: string;
  readonly createdBy: string;
  readonly createdAt: number;
}

export const identityTaken = () => conflict('OIDC.IDENTITY_TAKEN', 'Cette identité est déjà reliée à un compte Vigie.');

export async function linkFederatedIdentity(
  deps: AccessDeps,
  actor: Overseer,
  accountId: string,
  issuer: string,
  subject: string,
  source: RequestSource,
): Promise<FederatedIdentity> {
  const { account } = await accountUnderCare(deps, actor, accountId);
  if (account.status !== 'active' && account.status !== 'probation')
    throw forbidden('OIDC.ACCOUNT_NOT_LIVE', 'Ce compte n’est pas actif.');
  const taken = await deps.db
    .selectFrom('federated_identities')
    .select('account_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
  if (taken) throw identityTaken();
  const now = deps.clock.now();
  const row = {
    issuer,
    subject,
    account_id: account.id,
    created_by: actor.accountId,
    created_at: now,
    last_used_at: null,
  };
  try {
    await deps.db.transaction().execute(async (tx) => {
      await tx.insertInto('federated_identities').values(row).execute();
      await putOnProbation(tx, account.id, 'federation_linked', actor.accountId, now);
      await recordSecurityEvent(tx, {
        at: now,
        kind: 'account.federation_linked',
        accountId: account.id,
        sourceIp: source.ip,
        details: { actorId: actor.accountId, issuer },
      });
    });
  } catch (e) {
    const raced = await deps.db
      .selectFrom('federated_identities')
      .select('account_id')
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
    throw raced ? identityTaken() : e;
  }
  return { issuer, subject, accountId: account.id, createdBy: actor.accountId, createdAt: now };
}
