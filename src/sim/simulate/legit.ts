/**
 * Legitimate traffic: every sampled account plans its day at Paris midnight (deterministically from
 * the seed, the account and the date, so every scenario run sees the same legitimate users), and each
 * planned request goes through authentication and the real use case. A demand for a second factor
 * is counted and satisfied; a containment, a refused sign-in or masked data where the user needed
 * it is a hard block.
 */
import type { IsoDate } from '../../domain/dates.js';
import { createRng } from '../population/rng.js';
import type { Rng } from '../population/rng.js';
import type { Actor } from './actor.js';
import type { SimEnv } from './env.js';
import type { Action, Outcome } from './outcome.js';
import { classify, perform } from './outcome.js';
import type { LegitFigures } from './types.js';

const MAX_RETRIES = 3;

/** One planned request of a legitimate user; `needsIdentity`: masked data would stop their work. */
export interface LegitTask {
  readonly at: number;
  readonly action?: Action;
  readonly signIn?: boolean;
  readonly needsIdentity?: boolean;
  readonly retries?: number;
}

/** A legitimate account: its role, its actor (device, network) and how it plans a day. */
export interface Persona {
  readonly role: string;
  readonly actor: Actor;
  planDay(date: IsoDate, rng: Rng): LegitTask[];
}

export class LegitTraffic {
  readonly personas: Persona[] = [];
  readonly #active = new Set<string>();
  readonly stats = { requests: 0, step_ups: 0, slow_downs: 0, hard_blocks: 0, collateral_blocks: 0, errors: 0 };
  readonly blocks: Record<string, number> = {};
  readonly #roles = new Map<string, string>();
  /** True when a block is the consequence of containing the attacked credential or channel, not a false positive. */
  collateral: (accountId: string, code: string) => boolean = () => false;

  constructor(private readonly env: SimEnv) {}

  add(persona: Persona): void {
    this.personas.push(persona);
    this.#roles.set(persona.actor.accountId, persona.role);
  }

  figures(): LegitFigures {
    return {
      accounts: this.personas.length,
      account_days: this.#active.size,
      ...this.stats,
      canaries_reached: 0,
      blocks: { ...this.blocks },
    };
  }

  /** Plans every persona's day on the agenda. */
  planDay(date: IsoDate): void {
    for (const persona of this.personas) {
      const rng = createRng(`${this.env.seed}/legit/${persona.actor.accountId}/${date}`);
      for (const task of persona.planDay(date, rng)) {
        this.env.agenda.add(task.at, () => this.#run(persona.actor, date, task));
      }
    }
  }

  async #run(actor: Actor, date: IsoDate, task: LegitTask): Promise<void> {
    this.#active.add(`${actor.accountId}/${date}`);
    if (task.signIn) return this.#signIn(actor);
    if (!task.action) return;
    this.stats.requests++;
    const outcome = await this.#withStepUp(actor, task.action);
    this.#count(outcome, task, actor, date);
  }

  async #signIn(actor: Actor): Promise<void> {
    try {
      await actor.signIn(actor.staff ? 'mfa' : 'password');
    } catch (e) {
      this.#count(classify(e), { at: 0 }, actor, '');
    }
  }

  async #withStepUp(actor: Actor, action: Action): Promise<Outcome> {
    const first = await perform(actor, action);
    if (first.kind !== 'step_up') return first;
    this.stats.step_ups++;
    try {
      await actor.stepUp();
    } catch (e) {
      return classify(e);
    }
    return perform(actor, action);
  }

  #count(outcome: Outcome, task: LegitTask, actor: Actor, date: IsoDate): void {
    switch (outcome.kind) {
      case 'ok':
        if (outcome.masked > 0 && task.needsIdentity) this.#block(actor, 'masked');
        return;
      case 'slow_down':
        this.stats.slow_downs++;
        if (task.action && (task.retries ?? 0) < MAX_RETRIES) {
          const retry = { ...task, retries: (task.retries ?? 0) + 1 };
          this.env.agenda.add(this.env.clock.now() + outcome.retryAfterMs, () => this.#run(actor, date, retry));
        }
        return;
      case 'error':
        this.stats.errors++;
        return;
      default:
        this.#block(actor, 'code' in outcome ? outcome.code : outcome.kind);
    }
  }

  #block(actor: Actor, code: string): void {
    const collateral = this.collateral(actor.accountId, code);
    if (collateral) this.stats.collateral_blocks++;
    else this.stats.hard_blocks++;
    const key = `${collateral ? 'collateral ' : ''}${this.#roles.get(actor.accountId) ?? '?'} ${code}`;
    this.blocks[key] = (this.blocks[key] ?? 0) + 1;
  }
}
