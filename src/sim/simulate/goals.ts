/**
 * The targets the detection must meet (THREATS.md scenarios), checked against a report: bulk
 * attacks expose at most 25 people, quiet ones at most 25 beyond what the holder opened and never
 * beyond the account's reach, every canary disclosure is contained, and legitimate users are hard
 * blocked at most once per 10,000 account-days and asked for a second factor at most once per 500.
 */
import type { LegitFigures, ScenarioResult } from './types.js';

export const MAX_BULK_EXPOSED = 25;
export const MAX_QUIET_BEYOND_HOLDER = 25;
export const HARD_BLOCKS_PER_ACCOUNT_DAYS = 10_000;
export const STEP_UPS_PER_ACCOUNT_DAYS = 500;

export interface Goal {
  readonly met: boolean | null;
  readonly detail: string;
}

export interface Goals {
  readonly bulk_exposed_at_most_25: Goal;
  readonly quiet_beyond_holder_at_most_25: Goal;
  readonly canary_disclosures_contained: Goal;
  readonly hard_blocks_per_10000_account_days_at_most_1: Goal;
  readonly step_ups_per_500_account_days_at_most_1: Goal;
}

const names = (rs: readonly ScenarioResult[]): string => rs.map((r) => `${r.name}/${r.variant}`).join(', ') || 'aucun';

function canaryDetail(
  scenarios: readonly ScenarioResult[],
  reached: readonly ScenarioResult[],
  missed: readonly ScenarioResult[],
  legit: LegitFigures,
): string {
  const planted = Math.max(0, ...scenarios.map((r) => r.canaries_planted ?? 0));
  if (planted === 0) return 'aucun canari planté';
  const byLegit = `${legit.canaries_reached ?? 0} atteint(s) par le trafic légitime`;
  if (reached.length === 0)
    return `${planted} canaris plantés, aucun atteint par une attaque (contenue avant), ${byLegit}`;
  return `${planted} canaris plantés, atteints par : ${names(reached)} ; non contenus : ${names(missed)} ; ${byLegit}`;
}

export function checkGoals(scenarios: readonly ScenarioResult[], legit: LegitFigures): Goals {
  const bulk = scenarios.filter((r) => r.variant === 'bulk');
  const quiet = scenarios.filter((r) => r.variant === 'quiet');
  const bulkMissed = bulk.filter((r) => r.exposed_people > MAX_BULK_EXPOSED);
  const quietMissed = quiet.filter(
    (r) => r.exposed_beyond_holder > MAX_QUIET_BEYOND_HOLDER || r.within_reach === false,
  );
  const withCanaries = scenarios.filter((r) => r.canaries_contained !== null);
  const canaryMissed = withCanaries.filter((r) => r.canaries_contained === false);
  const days = Math.max(1, legit.account_days);
  const hardRate = (legit.hard_blocks * HARD_BLOCKS_PER_ACCOUNT_DAYS) / days;
  const stepRate = (legit.step_ups * STEP_UPS_PER_ACCOUNT_DAYS) / days;
  return {
    bulk_exposed_at_most_25: {
      met: bulk.length === 0 ? null : bulkMissed.length === 0,
      detail: `manqués : ${names(bulkMissed)}`,
    },
    quiet_beyond_holder_at_most_25: {
      met: quiet.length === 0 ? null : quietMissed.length === 0,
      detail: `manqués : ${names(quietMissed)}`,
    },
    canary_disclosures_contained: {
      met: withCanaries.length === 0 ? null : canaryMissed.length === 0,
      detail: canaryDetail(scenarios, withCanaries, canaryMissed, legit),
    },
    hard_blocks_per_10000_account_days_at_most_1: {
      met: legit.account_days === 0 ? null : hardRate <= 1,
      detail: `${legit.hard_blocks} blocages pour ${legit.account_days} comptes-jours (${hardRate.toFixed(2)} / 10 000)`,
    },
    step_ups_per_500_account_days_at_most_1: {
      met: legit.account_days === 0 ? null : stepRate <= 1,
      detail: `${legit.step_ups} seconds facteurs pour ${legit.account_days} comptes-jours (${stepRate.toFixed(2)} / 500)`,
    },
  };
}
