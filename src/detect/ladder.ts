/**
 * The graded response: from the budget outcome and the combined risk, one action, the lowest that
 * answers the situation. Pure: the caller carries it out.
 *
 *   level  action               when
 *   0      allow                within budget, risk below 1
 *   1      step_up              risk ≥ 1 and the session is not proven by a second factor
 *   2      slow_down            pace or hour budget exceeded (overall, or outside the workflow);
 *                               or risk ≥ 2.5 (after MFA)
 *   3      mask                 day, week or session budget exceeded (overall, or outside the workflow)
 *   4      suspend_credential   canary; risk ≥ 4; budget exceeded with risk ≥ 2; 10 budget answers in
 *                               a day; the 3rd answer of the day to people outside the workflow; or
 *                               day/week exceeded again after 3 masked days this week
 *   5      suspend_channel      a second credential of the same partner organisation within 24 h
 */
import type { WindowName } from './limits.js';

export const ACTIONS = ['allow', 'step_up', 'slow_down', 'mask', 'suspend_credential', 'suspend_channel'] as const;
export type Action = (typeof ACTIONS)[number];

export const LADDER = {
  stepUp: 1,
  slowDown: 2.5,
  suspend: 4,
  suspendWhenOverBudget: 2,
  pressure: 10,
  /** Budget answers for people outside the workflow in a day: legitimate work never reaches one. */
  beyondPressure: 3,
  strikes: 3,
  channelAfter: 2,
  riskRetryAfterSeconds: 300,
} as const;

export interface LadderInput {
  readonly risk: number;
  readonly mfa: boolean;
  readonly exceeded: WindowName | null;
  /** The window of the budget of people outside the usual workflow that this request exceeds. */
  readonly beyond?: WindowName | null;
  readonly canary: boolean;
  /** Budget answers already given to this account today. */
  readonly pressure: number;
  /** Of which answers to people outside the workflow. */
  readonly beyondPressure?: number;
  readonly strikes: number;
}

export interface Rung {
  readonly action: Action;
  /** The rule that decided: a window name, 'risk', 'canary', 'pressure', 'strikes'. */
  readonly rule: string;
}

const SLOWING: ReadonlySet<WindowName> = new Set(['minute', 'hour']);

function suspension(i: LadderInput): string | null {
  if (i.canary) return 'canary';
  if (i.risk >= LADDER.suspend) return 'risk';
  if (i.exceeded === null && (i.beyond ?? null) !== null) {
    if (i.risk >= LADDER.suspendWhenOverBudget) return 'risk_over_budget';
    if ((i.beyondPressure ?? 0) + 1 >= LADDER.beyondPressure || i.pressure + 1 >= LADDER.pressure)
      return 'beyond_pressure';
    return null;
  }
  if (i.exceeded === null) return null;
  if (i.risk >= LADDER.suspendWhenOverBudget) return 'risk_over_budget';
  if (i.pressure + 1 >= LADDER.pressure) return 'pressure';
  if (!SLOWING.has(i.exceeded) && i.strikes >= LADDER.strikes) return 'strikes';
  return null;
}

export function climb(i: LadderInput): Rung {
  const suspend = suspension(i);
  if (suspend !== null) return { action: 'suspend_credential', rule: suspend };
  if (i.exceeded !== null) return { action: SLOWING.has(i.exceeded) ? 'slow_down' : 'mask', rule: i.exceeded };
  if (i.beyond) return { action: SLOWING.has(i.beyond) ? 'slow_down' : 'mask', rule: `beyond_${i.beyond}` };
  if (i.risk >= LADDER.stepUp && !i.mfa) return { action: 'step_up', rule: 'risk' };
  if (i.risk >= LADDER.slowDown) return { action: 'slow_down', rule: 'risk' };
  return { action: 'allow', rule: 'none' };
}

export const levelOf = (action: Action): number => ACTIONS.indexOf(action);
