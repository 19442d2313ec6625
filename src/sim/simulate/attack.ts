/**
 * An attack run: the attacker's steps (each a request of one of its actors), paced in simulated
 * time. It retries after a slow-down once the delay has passed; a demand for a second factor is a
 * wall unless it has one (an insider, a legitimate exporter); it stops when its credential or
 * channel is contained. An attack over many accounts moves on to the next account after a
 * containment, and gives up after a run of them.
 */
import { createRng } from '../population/rng.js';
import type { Rng } from '../population/rng.js';
import type { Actor } from './actor.js';
import type { SimEnv } from './env.js';
import type { Action, Outcome } from './outcome.js';
import { perform } from './outcome.js';
import type { Pace } from './pacing.js';
import type { Focus } from './world.js';

export interface AttackStep {
  readonly actor: Actor;
  readonly action: Action;
  /** Runs first, outside the attacker's count (a victim signing in before their cookie is stolen). */
  readonly before?: () => Promise<void>;
  /** The attacker waits this long before the step (for candidates to answer, say). */
  readonly waitMs?: number;
}

export interface AttackPlan {
  /** The credentials (accounts) the attacker uses: the exposure is measured on their log rows. */
  accounts(): readonly string[];
  /** Where legitimate traffic is simulated (the attacked holder's colleagues and partners). */
  readonly focus: Focus;
  readonly start: number;
  readonly pace: Pace;
  /** Many accounts (credential stuffing): a containment drops one account, not the attack. */
  readonly multi: boolean;
  /** The attacker can prove the account's second factor (insider, legitimate exporter). */
  readonly hasFactor: boolean;
  readonly steps: Iterator<AttackStep>;
  /** Before the first step (accounts created by a hijacked manager, cookies captured). */
  setup?(): Promise<void>;
  /** The people the attacked credentials could reach at the end (null: not defined). */
  reachable(): Promise<readonly string[] | null>;
  /** Whether the leaked file must be attributed (scenario 6). */
  readonly attribute?: boolean;
}

const MAX_WALLS = 3;
const GIVE_UP_AFTER = 10;
const HOUR = 3_600_000;

export class AttackRun {
  requests = 0;
  firstAt: number | null = null;
  containedAt: number | null = null;
  stoppedBy = 'end_of_simulation';
  #pending: AttackStep | undefined;
  #walls = 0;
  #streak = 0;
  #skipped = false;
  #lastDrop: { at: number; why: string } | null = null;
  readonly #dropped = new Set<Actor>();
  readonly #rng: Rng;

  constructor(
    private readonly env: SimEnv,
    private readonly plan: AttackPlan,
    label: string,
  ) {
    this.#rng = createRng(`${env.seed}/attack/${label}`);
  }

  begin(): void {
    this.env.agenda.add(this.plan.start, async () => {
      await this.plan.setup?.();
      await this.#step();
    });
  }

  #next(): AttackStep | undefined {
    for (;;) {
      const r = this.plan.steps.next();
      if (r.done) return undefined;
      if (!this.#dropped.has(r.value.actor)) return r.value;
      this.#skipped = true;
    }
  }

  async #step(): Promise<void> {
    const retry = this.#pending;
    const step = retry ?? this.#next();
    this.#pending = undefined;
    const now = this.env.clock.now();
    if (!step) {
      // every account left was contained: the attack ends with the last containment
      if (this.#skipped && this.#lastDrop) this.#stop(this.#lastDrop.why, this.#lastDrop.at);
      else this.#stop('reach_exhausted', null);
      return;
    }
    if (!retry && step.waitMs !== undefined) {
      const { waitMs, ...after } = step;
      this.#pending = after;
      this.env.agenda.add(now + waitMs, () => this.#step());
      return;
    }
    if (!retry) await step.before?.();
    this.firstAt ??= now;
    this.requests++;
    const outcome = await perform(step.actor, step.action);
    const delay = await this.#react(step, outcome, now);
    if (delay !== null) this.env.agenda.add(delay, () => this.#step());
  }

  /** What the attacker does after an answer: the instant of its next request, or null once it stops. */
  async #react(step: AttackStep, outcome: Outcome, now: number): Promise<number | null> {
    switch (outcome.kind) {
      case 'ok':
      case 'error':
        this.#streak = 0;
        return this.plan.pace(now, this.#rng);
      case 'slow_down':
        this.#pending = step;
        return now + outcome.retryAfterMs + this.#rng.below(30_000);
      case 'step_up':
        return this.#stepUp(step, now);
      case 'refused':
        return this.#refused(step, now);
      case 'contained':
        return this.#contained(step, now, outcome.code);
    }
  }

  async #stepUp(step: AttackStep, now: number): Promise<number | null> {
    if (this.plan.hasFactor) {
      await step.actor.stepUp().catch(() => undefined);
      this.#pending = step;
      return now + 30_000;
    }
    if (this.plan.multi) return this.#drop(step, now, 'step_up');
    if (++this.#walls >= MAX_WALLS) return this.#stop('step_up', now);
    this.#pending = step;
    await step.actor.signIn().catch(() => undefined);
    return now + HOUR;
  }

  /** A stolen cookie refused (device binding): the attacker falls back on the password. */
  async #refused(step: AttackStep, now: number): Promise<number | null> {
    try {
      await step.actor.signIn();
    } catch {
      return this.#contained(step, now, 'SIM.SIGN_IN_REFUSED');
    }
    this.#pending = step;
    return this.plan.pace(now, this.#rng);
  }

  #contained(step: AttackStep, now: number, code: string): number | null {
    if (this.plan.multi) return this.#drop(step, now, code);
    return this.#stop(code, now);
  }

  #drop(step: AttackStep, now: number, why: string): number | null {
    this.#dropped.add(step.actor);
    this.#lastDrop = { at: now, why };
    if (++this.#streak >= GIVE_UP_AFTER) return this.#stop(why, now);
    return this.plan.pace(now, this.#rng);
  }

  #stop(why: string, at: number | null): null {
    this.stoppedBy = why;
    this.containedAt = why === 'reach_exhausted' ? null : at;
    return null;
  }

  /** Simulated seconds from the first request to containment; null if never contained. */
  secondsToContainment(): number | null {
    return this.containedAt === null || this.firstAt === null
      ? null
      : Math.round((this.containedAt - this.firstAt) / 1000);
  }
}
