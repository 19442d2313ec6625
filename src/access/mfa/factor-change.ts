/**
 * Changing an account's second factors (adding a passkey or a TOTP, removing one, a new set of
 * recovery codes) demands a factor freshly proven by a step-up inside the session, every time
 * (issue 9, item 9: a session stolen minutes after its sign-in bought itself ten recovery codes):
 * the sign-in's own proof does not count, and a step-up grants one change within
 * STEP_UP_GRANT_MS. The grant is taken, the change made, its security event and an alert for the
 * security officer written in one transaction; a change that fails takes nothing. The first factor
 * of an account that has none needs no grant (there is nothing to prove yet), and is alerted on too.
 */
import type { Role } from '../../domain/roles.js';
import type { DbOrTx } from '../../storage/database.js';
import { takeStepUpGrant } from '../../storage/access/sessions-repo.js';
import type { RequestSource } from '../access-deps.js';
import { severityFor } from '../security-alerts.js';
import { recordSecurityEvent } from '../security-events.js';
import { methodsOf } from './factors.js';
import { stepUpRequired } from './mfa-errors.js';
import type { MfaDeps } from './mfa-deps.js';

/** How long a step-up grants a change of factors: long enough to scan a QR code and type a first code. */
export const STEP_UP_GRANT_MS = 5 * 60_000;

export type FactorAction = 'mfa.enrolled' | 'mfa.removed' | 'mfa.recovery_codes_generated';

/** The session asking for the change. */
export interface ChangeContext {
  readonly accountId: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly sessionHash: Buffer;
  readonly sessionRef: string;
  readonly stepUpAt: number | null;
  readonly source: RequestSource;
}

const MESSAGES: Record<FactorAction, string> = {
  'mfa.enrolled': 'Un second facteur a été ajouté au compte.',
  'mfa.removed': 'Un second facteur a été retiré du compte.',
  'mfa.recovery_codes_generated': 'De nouveaux codes de secours ont été générés pour le compte.',
};

/** Thrown inside the transaction when the work changed nothing: it rolls back, the grant stays. */
class NothingChanged extends Error {}

async function refuse(deps: MfaDeps, c: ChangeContext, action: FactorAction): Promise<never> {
  await recordSecurityEvent(deps.db, {
    at: deps.clock.now(),
    kind: 'mfa.change_refused',
    accountId: c.accountId,
    sourceIp: c.source.ip,
    details: { action, sessionRef: c.sessionRef },
  });
  throw stepUpRequired();
}

/**
 * Runs `work` (the change and its own security event, written in `tx`) under a fresh step-up grant,
 * and raises the alert; `work` returns null when it changed nothing (a wrong first code). Throws
 * AUTH.STEP_UP_REQUIRED (401) without a grant.
 */
export async function changeFactors<T>(
  deps: MfaDeps,
  c: ChangeContext,
  action: FactorAction,
  work: (tx: DbOrTx) => Promise<T | null>,
): Promise<T | null> {
  const now = deps.clock.now();
  const first = (await methodsOf(deps.db, c.accountId)).length === 0;
  const since = now - STEP_UP_GRANT_MS;
  if (!first && (c.stepUpAt === null || c.stepUpAt < since)) return refuse(deps, c, action);
  try {
    return await deps.db.transaction().execute(async (tx) => {
      if (!first && !(await takeStepUpGrant(tx, c.sessionHash, since))) throw stepUpRequired(); // raced: used already
      const result = await work(tx);
      if (result === null) throw new NothingChanged();
      await deps.alerts(tx, {
        at: now,
        severity: severityFor(c.role, 'medium', 'low'),
        rule: 'factor_change',
        action,
        accountId: c.accountId,
        organisationId: c.organisationId,
        sourceIp: c.source.ip,
        sessionRef: c.sessionRef,
        message: MESSAGES[action] + (first ? ' C’est son premier second facteur.' : ''),
        details: { first, sessionRef: c.sessionRef },
      });
      return result;
    });
  } catch (e) {
    if (e instanceof NothingChanged) return null;
    throw e;
  }
}
