/**
 * The accounts on probation a given person may approve: for an account manager, their organisation;
 * for an agency's agent, their agency and the partners attached to it; for a national agent,
 * everyone. Never the accounts this person created, reset or changed, nor their own.
 */
import type { Account } from './accounts.js';
import { toAccount } from './accounts.js';
import type { AccessDeps } from './access-deps.js';
import type { Overseer, ProbationReason } from './lifecycle.js';
import { isFranceTravailAgent } from './lifecycle.js';

export interface AwaitingApproval {
  readonly account: Account;
  readonly reason: ProbationReason;
  readonly since: number;
  readonly startedBy: string | null;
}

const LIMIT = 200;

export async function listAwaitingApproval(deps: Pick<AccessDeps, 'db'>, actor: Overseer): Promise<AwaitingApproval[]> {
  if (actor.organisationId === null || (actor.role !== 'account_manager' && !isFranceTravailAgent(actor))) return [];
  const organisationId = actor.organisationId;
  let query = deps.db
    .selectFrom('accounts as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('account_probations as p', 'p.account_id', 'a.id')
    .selectAll('a')
    .select(['p.reason', 'p.started_at', 'p.started_by'])
    .where('a.status', '=', 'probation')
    .where('a.id', '!=', actor.accountId);
  if (!isFranceTravailAgent(actor)) query = query.where('a.organisation_id', '=', organisationId);
  else if (actor.organisationKind === 'agency')
    query = query.where((eb) =>
      eb.or([eb('o.id', '=', organisationId), eb('o.parent_agency_id', '=', organisationId)]),
    );
  const rows = await query.orderBy('a.created_at').limit(LIMIT).execute();
  return rows
    .filter((r) => r.created_by !== actor.accountId && r.started_by !== actor.accountId)
    .map((r) => ({
      account: toAccount(r),
      reason: (r.reason ?? 'created') as ProbationReason,
      since: r.started_at ?? r.created_at,
      startedBy: r.started_by ?? r.created_by,
    }));
}
