import type { PersonalField } from '../domain/fields.js';
import type { AppError } from '../domain/errors.js';
import type { Purpose } from '../domain/purposes.js';
import type { QueryRunner } from '../storage/atomic.js';

/** What the budget step sees of a disclosure about to happen. */
export interface BudgetQuestion {
  readonly reader: {
    readonly accountId: string;
    readonly organisationId: string | null;
    readonly role: string;
    readonly sessionRef: string | null;
    readonly sourceIp: string | null;
    readonly assurance: 'password' | 'mfa';
    /** When the session last proved a second factor (epoch ms): refuse with kind 'step_up' when it is too old. */
    readonly mfaAt?: number | null;
    /** The request's id: an export's disclosures carry the export's id, which its own canary expects. */
    readonly requestId: string;
  };
  readonly purpose: Purpose;
  /** The people the policy allows, about to be disclosed. */
  readonly people: readonly string[];
  readonly fields: readonly PersonalField[];
  readonly now: number;
}

/**
 * The answer: go on, go on with identifying fields masked, or stop with an error (step-up MFA,
 * slow down, suspended credential or partner channel). Each non-allow answer says why.
 */
export type BudgetDecision =
  | { readonly action: 'allow' }
  | { readonly action: 'mask'; readonly why: string }
  | { readonly action: 'refuse'; readonly error: AppError };

/**
 * The exposure budget step of the gate. It runs inside the disclosure transaction, after the
 * policy and before anything is decrypted, and may query the database through the runner.
 */
export interface BudgetHook {
  assess(question: BudgetQuestion, q: QueryRunner): Promise<BudgetDecision>;
  /**
   * Optional: `count` requested people the policy did not return (absent, or not this reader's to
   * see). Many in an hour is enumeration. Synchronous and in memory: the gate may call it anywhere.
   */
  miss?(reader: BudgetQuestion['reader'], count: number, now: number): void;
}

/** Until detection is configured: everything the policy allows fits. */
export const unlimitedBudget: BudgetHook = { assess: async () => ({ action: 'allow' }) };
