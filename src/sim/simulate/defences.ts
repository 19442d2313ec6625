/**
 * The defences the simulator can put behind the gate: none (`unlimitedBudget`, the figures of an
 * undefended platform), the detection engine (`createDetection`), which learns its baselines from
 * the disclosure log every simulated night and refreshes its state every simulated hour, or its
 * canaries alone (`canaries`).
 */
import { createDetection } from '../../detect/detection.js';
import { unlimitedBudget } from '../../detect/budget.js';
import { canaryOf } from '../../detect/canary-registry.js';
import type { Defence, DefenceFactory } from './types.js';

export const undefended: DefenceFactory = () => Promise.resolve({ name: 'unlimitedBudget', budget: unlimitedBudget });

export const detection: DefenceFactory = ({ store, clock }) => {
  const d = createDetection({ store, clock });
  const defence: Defence = {
    name: 'createDetection',
    budget: d.hook,
    prepare: async () => void (await d.recomputeBaselines()),
    nightly: async () => {
      await d.flush();
      await d.recomputeBaselines();
    },
    hourly: async () => {
      await d.flush();
      await d.refresh();
    },
    recordListing: (reader, kind, page, options) => d.recordListing(reader, kind, page, options),
    recordLookupMiss: (reader) => d.recordLookupMiss(reader),
    canaries: async () =>
      new Set((await store.db.selectFrom('canaries').select('person_id').execute()).map((r) => r.person_id)),
    attributeCanary: async (personId) => {
      const c = await canaryOf(store.db, personId);
      return (
        c && {
          personId,
          placement: c.placement,
          organisationId: c.organisationId,
          accountId: c.accountId,
          exportId: c.exportId,
        }
      );
    },
    flush: () => d.flush(),
    close: () => d.close(),
  };
  return Promise.resolve(defence);
};

/**
 * The canaries alone: every request is allowed unless it would disclose a canary, which the detection
 * engine answers (credential suspended, source named). No budget, no signal: it measures the tripwire
 * where the budgets would otherwise have stopped the attack first.
 */
export const canariesOnly: DefenceFactory = async (env) => {
  const full = await detection(env);
  // Read before the runs: the budget step runs inside the gate's transaction, where another query
  // on the store would wait for the very connection the transaction holds.
  let ids: ReadonlySet<string> = new Set();
  return {
    ...full,
    name: 'canariesOnly',
    prepare: async (now) => {
      await full.prepare?.(now);
      ids = (await full.canaries?.()) ?? new Set();
    },
    budget: {
      assess: async (question, q) =>
        question.people.some((p) => ids.has(p)) ? full.budget.assess(question, q) : { action: 'allow' },
    },
    recordListing: undefined,
    recordLookupMiss: undefined,
  };
};

export const DEFENCES: Readonly<Record<string, DefenceFactory>> = {
  detection,
  none: undefended,
  canaries: canariesOnly,
};
