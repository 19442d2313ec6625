/**
 * Account lifecycle: probation and its approval by a second person, role changes, disabling.
 *
 * Missions locales, Dec 2025: one compromised account manager created two accounts that read 1.6 M
 * files. So an account a manager creates (or resets, or changes the role of) is on `probation`, a
 * small exposure budget that detection enforces, until a *second* person approves it: another account
 * manager of the same organisation, or a France Travail agent overseeing it. Never the person who put
 * it on probation.
 *
 * A France Travail agent is an account of an `agency` or `national` organisation with a manager or
 * security role (account_manager, security_officer). An agency's agents oversee their own agency and
 * the partners attached to it (organisations.parent_agency_id); national agents oversee everyone.
 *
 * Every change is a security event whose account is the account changed (details.actorId: who did it).
 */
import { conflict, forbidden, invalid } from '../domain/errors.js';
import { ROLES_BY_ORGANISATION_KIND } from '../domain/roles.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import type { DbOrTx } from '../storage/database.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Account, Actor } from './accounts.js';
import { getAccount } from './accounts.js';
import { recordSecurityEvent } from './security-events.js';
import { revokeAllSessions } from './sessions.js';

export type ProbationReason = 'created' | 'reset' | 'role_changed' | 'federation_linked';

/** The acting account as lifecycle rules need it: id, role, organisation, and that organisation's kind. */
export interface Overseer {
  readonly accountId: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly organisationKind: OrganisationKind | null;
}

interface OrganisationRow {
  readonly id: string;
  readonly parent_agency_id: string | null;
}

const AGENT_ROLES: ReadonlySet<Role> = new Set(['account_manager', 'security_officer']);

/** An account of an agency or national organisation with a manager or security role. */
export const isFranceTravailAgent = (actor: Overseer): boolean =>
  (actor.organisationKind === 'agency' || actor.organisationKind === 'national') && AGENT_ROLES.has(actor.role);

/** A France Travail agent responsible for this organisation (their agency, a partner attached to it, or national). */
export function agentOversees(actor: Overseer, organisation: OrganisationRow): boolean {
  if (!isFranceTravailAgent(actor)) return false;
  if (actor.organisationKind === 'national') return true;
  return organisation.id === actor.organisationId || organisation.parent_agency_id === actor.organisationId;
}

/** An account manager of the organisation itself. */
export const managesOrganisation = (actor: Overseer, organisationId: string | null): boolean =>
  actor.role === 'account_manager' && organisationId !== null && actor.organisationId === organisationId;

async function organisationOf(db: DbOrTx, account: Account): Promise<OrganisationRow> {
  if (account.organisationId === null)
    throw forbidden('ACCOUNT.NOT_STAFF', 'Ce compte n’appartient à aucune organisation.');
  return db
    .selectFrom('organisations')
    .select(['id', 'parent_agency_id'])
    .where('id', '=', account.organisationId)
    .executeTakeFirstOrThrow();
}

const notAllowed = (): never => {
  throw forbidden(
    'ACCOUNT.ACTION_FORBIDDEN',
    'Seul un gestionnaire de comptes de cette organisation ou un agent France Travail qui la supervise peut faire cela.',
  );
};

/** The target account if the actor manages its organisation or oversees it as an agent, never themselves. */
export async function accountUnderCare(
  deps: Pick<AccessDeps, 'db'>,
  actor: Overseer,
  accountId: string,
): Promise<{ account: Account; organisation: OrganisationRow; asManager: boolean }> {
  const account = await getAccount(deps.db, accountId);
  if (account.id === actor.accountId)
    throw forbidden('ACCOUNT.SELF_FORBIDDEN', 'Vous ne pouvez pas faire cela sur votre propre compte.');
  const organisation = await organisationOf(deps.db, account);
  const asManager = managesOrganisation(actor, organisation.id);
  if (!asManager && !agentOversees(actor, organisation)) notAllowed();
  return { account, organisation, asManager };
}

/** Puts an account on probation (inside the caller's transaction). */
export async function putOnProbation(
  tx: DbOrTx,
  accountId: string,
  reason: ProbationReason,
  startedBy: string | null,
  now: number,
): Promise<void> {
  await tx
    .updateTable('accounts')
    .set({ status: 'probation', approved_by: null })
    .where('id', '=', accountId)
    .execute();
  await tx.deleteFrom('account_probations').where('account_id', '=', accountId).execute();
  await tx
    .insertInto('account_probations')
    .values({ account_id: accountId, reason, started_at: now, started_by: startedBy })
    .execute();
}

/** Who put the account on probation: its probation record, or else its creator. */
async function probationStarter(db: DbOrTx, account: Account): Promise<{ by: string | null; reason: string }> {
  const row = await db
    .selectFrom('account_probations')
    .select(['started_by', 'reason'])
    .where('account_id', '=', account.id)
    .executeTakeFirst();
  return row ? { by: row.started_by, reason: row.reason } : { by: account.createdBy, reason: 'created' };
}

/**
 * Lifts probation: a second person (another manager of the organisation, or a France Travail agent
 * overseeing it), never the one who created, reset or changed the account. ACCOUNT.NOT_IN_PROBATION
 * (409) if there is nothing to approve, ACCOUNT.APPROVER_IS_CREATOR (403) for the same person.
 */
export async function approveAccount(
  deps: AccessDeps,
  actor: Overseer,
  accountId: string,
  source: RequestSource,
): Promise<Account> {
  const { account } = await accountUnderCare(deps, actor, accountId);
  if (account.status !== 'probation')
    throw conflict('ACCOUNT.NOT_IN_PROBATION', 'Ce compte n’est pas en période probatoire.');
  const starter = await probationStarter(deps.db, account);
  if (starter.by === actor.accountId || account.createdBy === actor.accountId) {
    throw forbidden(
      'ACCOUNT.APPROVER_IS_CREATOR',
      'Une autre personne que celle qui a créé ou modifié ce compte doit l’approuver.',
    );
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('accounts')
      .set({ status: 'active', approved_by: actor.accountId })
      .where('id', '=', account.id)
      .where('status', '=', 'probation')
      .execute();
    await tx.deleteFrom('account_probations').where('account_id', '=', account.id).execute();
    const details = { actorId: actor.accountId, reason: starter.reason, probationStartedBy: starter.by };
    await recordSecurityEvent(tx, {
      at: now,
      kind: 'account.approved',
      accountId: account.id,
      sourceIp: source.ip,
      details,
    });
  });
  return getAccount(deps.db, account.id);
}

/** Changes a staff account's role within its organisation's kind; the account goes back to probation. */
export async function changeRole(
  deps: AccessDeps,
  actor: Overseer,
  accountId: string,
  role: Role,
  source: RequestSource,
): Promise<Account> {
  const { account } = await accountUnderCare(deps, actor, accountId);
  const kind = (
    await deps.db
      .selectFrom('organisations')
      .select('kind')
      .where('id', '=', account.organisationId ?? '')
      .executeTakeFirstOrThrow()
  ).kind as OrganisationKind;
  if (!ROLES_BY_ORGANISATION_KIND[kind].includes(role) || role === 'job_seeker')
    throw invalid('ACCOUNT.ROLE_MISMATCH', 'Ce rôle n’existe pas dans ce type d’organisation.');
  if (role === 'account_manager' && !isFranceTravailAgent(actor))
    throw forbidden('ACCOUNT.ROLE_FORBIDDEN', 'Seul un agent France Travail peut nommer un gestionnaire de comptes.');
  if (role === account.role) return account;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ role }).where('id', '=', account.id).execute();
    await putOnProbation(tx, account.id, 'role_changed', actor.accountId, now);
    const details = { actorId: actor.accountId, from: account.role, to: role };
    await recordSecurityEvent(tx, {
      at: now,
      kind: 'account.role_changed',
      accountId: account.id,
      sourceIp: source.ip,
      details,
    });
  });
  return getAccount(deps.db, account.id);
}

/** Disables an account now (its sessions end with it), in the caller's transaction. */
export async function disableInTx(
  tx: DbOrTx,
  accountId: string,
  actorId: string | null,
  reason: string,
  now: number,
  source: RequestSource,
): Promise<void> {
  await tx.updateTable('accounts').set({ status: 'disabled' }).where('id', '=', accountId).execute();
  await tx.deleteFrom('account_probations').where('account_id', '=', accountId).execute();
  const sessions = await revokeAllSessions(tx, accountId, now);
  await recordSecurityEvent(tx, {
    at: now,
    kind: 'account.disabled',
    accountId,
    sourceIp: source.ip,
    details: { actorId, reason, sessionsRevoked: sessions },
  });
}

/** Disables an account at the request of its manager or an overseeing agent. */
export async function disableAccount(
  deps: AccessDeps,
  actor: Overseer,
  accountId: string,
  source: RequestSource,
): Promise<Account> {
  const { account } = await accountUnderCare(deps, actor, accountId);
  if (account.status === 'disabled') return account;
  if (account.status === 'suspended')
    throw conflict(
      'ACCOUNT.SUSPENDED',
      'Ce compte est suspendu par la détection : un officier de sécurité doit d’abord examiner la suspension.',
    );
  await deps.db
    .transaction()
    .execute((tx) => disableInTx(tx, account.id, actor.accountId, 'manager', deps.clock.now(), source));
  return getAccount(deps.db, account.id);
}

/** An `Actor` of accounts.ts (account creation) seen as an Overseer, its organisation's kind looked up. */
export async function overseerOf(db: DbOrTx, actor: Exclude<Actor, 'system'>): Promise<Overseer> {
  const kind =
    actor.organisationId === null
      ? undefined
      : await db.selectFrom('organisations').select('kind').where('id', '=', actor.organisationId).executeTakeFirst();
  return {
    accountId: actor.accountId,
    role: actor.role,
    organisationId: actor.organisationId,
    organisationKind: (kind?.kind as OrganisationKind | undefined) ?? null,
  };
}
