/**
 * Two-person resets, for a holder who lost their second factor: an account manager of the account's
 * organisation AND a France Travail agent overseeing it must approve, two distinct people, neither the
 * holder. Whoever opens the request fills the slot they qualify for; the other slot must be filled by
 * someone else. When both are filled, a reset link goes to the account's professional address
 * (lifecycle-reset.ts); completing it removes the old factors and puts the account on probation.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { conflict, forbidden, notFound } from '../domain/errors.js';
import type { ResetRequestTable } from '../storage/schema.js';
import type { RequestSource } from './access-deps.js';
import type { Overseer } from './lifecycle.js';
import { accountUnderCare, agentOversees, managesOrganisation } from './lifecycle.js';
import type { Delivery, ResetDeps } from './lifecycle-reset.js';
import { issueResetLink } from './lifecycle-reset.js';
import { recordSecurityEvent } from './security-events.js';

export const RESET_REQUEST_TTL_MS = 24 * 3_600_000;

export interface ResetRequest {
  readonly id: string;
  readonly accountId: string;
  readonly requestedBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly managerApprovedBy: string | null;
  readonly agentApprovedBy: string | null;
  readonly linkSentAt: number | null;
}

const toRequest = (r: Selectable<ResetRequestTable>): ResetRequest => ({
  id: r.id,
  accountId: r.account_id,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  managerApprovedBy: r.manager_approved_by,
  agentApprovedBy: r.agent_approved_by,
  linkSentAt: r.link_sent_at,
});

type Slot = 'manager' | 'agent';

/** Which empty slot this actor may fill: manager of the organisation first, else overseeing agent. */
function slotFor(
  actor: Overseer,
  organisation: { id: string; parent_agency_id: string | null },
  request: Pick<ResetRequest, 'managerApprovedBy' | 'agentApprovedBy'>,
): Slot {
  if (request.managerApprovedBy === actor.accountId || request.agentApprovedBy === actor.accountId) {
    throw forbidden('RESET.SAME_PERSON', 'Une autre personne doit donner la seconde approbation.');
  }
  if (request.managerApprovedBy === null && managesOrganisation(actor, organisation.id)) return 'manager';
  if (request.agentApprovedBy === null && agentOversees(actor, organisation)) return 'agent';
  throw forbidden(
    'RESET.APPROVAL_FORBIDDEN',
    'Il faut l’accord d’un gestionnaire de comptes de l’organisation et celui d’un agent France Travail.',
  );
}

const column = (slot: Slot) => (slot === 'manager' ? 'manager_approved_by' : 'agent_approved_by');

/** Opens a two-person reset of `accountId`; the opener's approval counts as one of the two. */
export async function openResetRequest(
  deps: ResetDeps,
  actor: Overseer,
  accountId: string,
  reason: string,
  source: RequestSource,
): Promise<ResetRequest> {
  const { account, organisation } = await accountUnderCare(deps, actor, accountId);
  if (account.status === 'suspended')
    throw conflict(
      'ACCOUNT.SUSPENDED',
      'Ce compte est suspendu par la détection : un officier de sécurité doit d’abord examiner la suspension.',
    );
  const slot = slotFor(actor, organisation, { managerApprovedBy: null, agentApprovedBy: null });
  const now = deps.clock.now();
  const id = randomUUID();
  const row = {
    id,
    account_id: account.id,
    requested_by: actor.accountId,
    reason: reason.slice(0, 500),
    created_at: now,
    expires_at: now + RESET_REQUEST_TTL_MS,
    manager_approved_by: null,
    agent_approved_by: null,
    link_sent_at: null,
    [column(slot)]: actor.accountId,
  };
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto('reset_requests').values(row).execute();
    const details = { method: 'two_person', requestId: id, actorId: actor.accountId, as: slot };
    await recordSecurityEvent(tx, {
      at: now,
      kind: 'account.reset_requested',
      accountId: account.id,
      sourceIp: source.ip,
      details,
    });
  });
  return toRequest(row);
}

/**
 * Second approval of a reset request. When both slots are filled, the link is e-mailed to the account
 * holder; returns the request and the delivery (to await or watch).
 */
export async function approveResetRequest(
  deps: ResetDeps,
  actor: Overseer,
  requestId: string,
  source: RequestSource,
): Promise<{ request: ResetRequest; sent: Delivery | null }> {
  const found = await deps.db.selectFrom('reset_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!found || found.expires_at <= deps.clock.now() || found.link_sent_at !== null)
    throw notFound('RESET.REQUEST_NOT_FOUND', 'Demande de réinitialisation introuvable, expirée ou déjà traitée.');
  const { account, organisation } = await accountUnderCare(deps, actor, found.account_id);
  const slot = slotFor(actor, organisation, toRequest(found));
  const now = deps.clock.now();
  const filled = await deps.db
    .updateTable('reset_requests')
    .set({ [column(slot)]: actor.accountId })
    .where('id', '=', found.id)
    .where(column(slot), 'is', null)
    .executeTakeFirst();
  if (Number(filled.numUpdatedRows) !== 1)
    throw conflict('RESET.ALREADY_APPROVED', 'Cette approbation a déjà été donnée.');
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'account.reset_approved',
    accountId: account.id,
    sourceIp: source.ip,
    details: { requestId: found.id, actorId: actor.accountId, as: slot },
  });
  const request = toRequest(
    await deps.db.selectFrom('reset_requests').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow(),
  );
  if (request.managerApprovedBy === null || request.agentApprovedBy === null) return { request, sent: null };
  const claimed = await deps.db
    .updateTable('reset_requests')
    .set({ link_sent_at: now })
    .where('id', '=', found.id)
    .where('link_sent_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return { request, sent: null };
  const sent = await issueResetLink(deps, account, 'two_person', found.id);
  await recordSecurityEvent(deps.db, {
    at: now,
    kind: 'account.reset_link_sent',
    accountId: account.id,
    sourceIp: source.ip,
    details: { method: 'two_person', requestId: found.id },
  });
  return { request: { ...request, linkSentAt: now }, sent };
}
