/**
 * The simulator's vocabulary: scenarios of THREATS.md, their variants, the defence under test (any
 * BudgetHook, with optional nightly learning and canaries), and the figures a run reports.
 */
import type { Clock } from '../../domain/clock.js';
import type { BudgetHook } from '../../detect/budget.js';
import type { Store } from '../../storage/database.js';
import type { KeyringSource } from '../../vault/keyring.js';

export const SCENARIOS = [
  'training-credential', // 1. Kairos 2025
  'partner-takeover', // 2. help-desk reset 2024
  'created-accounts', // 3. Missions locales Dec 2025
  'job-seeker-stuffing', // 4. infostealer logs Oct 2025
  'insider-export', // 5. adviser export 2021
  'subcontractor-file', // 6. bulk file 2023
  'recruiter-harvest', // 7. profiles and contacts
  'api-enumeration', // 8. job seeker API
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
export const VARIANTS = ['bulk', 'quiet'] as const;
export type Variant = (typeof VARIANTS)[number];

export const isScenario = (s: string): s is ScenarioName => (SCENARIOS as readonly string[]).includes(s);

/** What a defence may need: the store, the vault's keys and the simulated clock. */
export interface DefenceDeps {
  readonly store: Store;
  readonly keys: KeyringSource;
  readonly clock: Clock;
}

export interface BehaviourReader {
  readonly accountId: string;
  readonly sessionRef: string | null;
}

export interface ListingFacts {
  readonly pageCount?: number;
  readonly rome?: string;
  readonly departement?: string;
}

/** Who a canary found in a leaked file was planted for. */
export interface CanaryAttribution {
  readonly personId: string;
  readonly placement: string;
  readonly organisationId: string | null;
  readonly accountId: string | null;
  readonly exportId: string | null;
}

/** The defence under test: the gate's budget step, and what else the detection offers. */
export interface Defence {
  readonly name: string;
  readonly budget: BudgetHook;
  /** Once, before the simulated days (canaries, first baselines). */
  prepare?(now: number): Promise<void>;
  /** At each simulated Paris midnight (baselines learned from the disclosure log). */
  nightly?(now: number): Promise<void>;
  /** Every simulated hour (the detection's background refresh). */
  hourly?(now: number): Promise<void>;
  /** Behaviour the HTTP layer reports outside the gate: list pages, and lookups that found nobody. */
  recordListing?(reader: BehaviourReader, kind: string, page: number, options?: ListingFacts): void;
  recordLookupMiss?(reader: BehaviourReader): void;
  /** Waits for the defence's pending writes (decisions, containments) before the figures are read. */
  flush?(): Promise<void>;
  /** Canary people, to check that each canary disclosure was contained. */
  canaries?(): Promise<ReadonlySet<string>>;
  /** Which canary (and so which organisation, account or export) a leaked person is. */
  attributeCanary?(personId: string): Promise<CanaryAttribution | undefined>;
  close?(): Promise<void>;
}

export type DefenceFactory = (deps: DefenceDeps) => Promise<Defence>;

export interface SimulateOptions {
  readonly scenarios: readonly ScenarioName[];
  readonly variants: readonly Variant[];
  readonly people: number;
  readonly days: number;
  readonly seed: string;
  readonly defence: DefenceFactory;
  /** Sealing threads for the seed (0: this thread; default: one per processor, when compiled). */
  readonly workers?: number;
  /** Scenario threads (default 1: this thread; `simulate` from the CLI uses one per processor). */
  readonly threads?: number;
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly phase: 'seed' | 'simulate';
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/** Where a leaked file came from: the canary planted in it, or the account whose disclosures cover it. */
export type Attribution =
  | {
      readonly method: 'canary';
      readonly accountId: string | null;
      readonly organisationId: string | null;
      readonly exportId: string | null;
      readonly canary: string;
      readonly leaked: number;
    }
  | {
      readonly method: 'log';
      readonly accountId: string;
      readonly sessions: number;
      readonly covers: number;
      readonly leaked: number;
    };

export interface ScenarioResult {
  readonly name: ScenarioName;
  readonly variant: Variant;
  readonly exposed_people: number;
  readonly exposed_beyond_holder: number;
  readonly seconds_to_containment: number | null;
  /** Why the attacker stopped: contained, step-up wall, reach exhausted, or end of simulation. */
  readonly stopped_by: string;
  readonly attacker_requests: number;
  readonly reachable: number | null;
  readonly within_reach: boolean | null;
  /** Canaries in the run's population. */
  readonly canaries_planted: number;
  /** Canaries whose identifying fields reached the attacker. */
  readonly canary_disclosures: number;
  /** Canaries the attacker asked for (disclosed, masked, or refused and contained by the canary rule). */
  readonly canaries_reached: number;
  /** Every canary reached was followed by a containment of the credential (null: none reached). */
  readonly canaries_contained: boolean | null;
  readonly attribution?: Attribution;
  readonly legitimate: LegitFigures;
  readonly seconds: number;
}

export interface LegitFigures {
  readonly accounts: number;
  readonly account_days: number;
  readonly requests: number;
  readonly step_ups: number;
  readonly slow_downs: number;
  /** False positives: a legitimate user contained, refused or masked where they needed the data. */
  readonly hard_blocks: number;
  /** Blocks of the attacked credential's holder or of the contained partner channel, after containment. */
  readonly collateral_blocks: number;
  readonly errors: number;
  /** Canaries legitimate requests asked for (should be 0: real work never reaches them). */
  readonly canaries_reached: number;
  /** Hard and collateral blocks by role and answer code. */
  readonly blocks: Readonly<Record<string, number>>;
}

export interface SimulationReport {
  readonly scenarios: ScenarioResult[];
  readonly legitimate: LegitFigures;
  readonly defence: string;
  readonly people: number;
  readonly days: number;
  readonly seed: string;
  readonly seconds: number;
  /** Processor time of this process (user + system): the wall time on an otherwise idle machine. */
  readonly cpu_seconds: number;
  readonly seed_seconds: number;
}
