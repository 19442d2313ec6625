/**
 * The budget step itself (BudgetHook.assess), run by the gate inside the disclosure transaction
 * after the policy and before decryption. Its fast path, an allowed disclosure by a known account in
 * process mode, runs no query and awaits nothing: a few map lookups, one set per window, the signals'
 * scores. Queries go through the gate's runner only when an account or session is first seen, or
 * when a contained credential knocks again (to notice a lift at once).
 */
import type { PersonalField } from '../domain/fields.js';
import { IDENTIFYING_FIELDS } from '../domain/fields.js';
import type { QueryRunner } from '../storage/atomic.js';
import type { AccountQueries, AccountState, Containment } from './account-state.js';
import { loadAccount } from './account-state.js';
import {
  channelSuspended,
  credentialSuspended,
  MASK_WHY,
  retryAfterSeconds,
  slowDown,
  stepUpRequired,
} from './answers.js';
import type { BehaviourLog } from './behaviour.js';
import type { BudgetDecision, BudgetHook, BudgetQuestion } from './budget.js';
import type { Canary } from './canary-registry.js';
import { expectedFor } from './canary-registry.js';
import type { CounterKeys, CountResult, ExposureCounters } from './counters.js';
import { newCountResult } from './counters.js';
import { climb } from './ladder.js';
import type { Limits, LimitProfile } from './limits.js';
import {
  BEYOND_WORKFLOW,
  BEYOND_WORKFLOW_CONTACT,
  capForAccount,
  CLOSED_ROLE,
  CONTACT_FLOOR,
  NEW_ACCOUNT_LIMITS,
  ROLE_FLOORS,
} from './limits.js';
import type { ParisTime } from './paris-time.js';
import { HOUR_MS, MINUTE_MS, parisTime } from './paris-time.js';
import type { Responder } from './responder.js';
import type { SessionFacts, SessionQueries } from './session-facts.js';
import { loadSessionFacts } from './session-facts.js';
import type { Assessment, BeyondCount } from './signals.js';
import { riskOf } from './signals.js';
import type { WorkflowQueries } from './workflow.js';
import { Workflows } from './workflow.js';
import { parisDate } from '../domain/clock.js';

export interface EngineDeps {
  readonly counters: ExposureCounters;
  /** In-process counters used when the shared store fails (detection degrades, the portal stays up). */
  readonly fallback: ExposureCounters;
  readonly accountQueries: AccountQueries;
  readonly sessionQueries: SessionQueries;
  /** Today's workflow of advisers and training organisations (absent: no separate budget). */
  readonly workflowQueries?: WorkflowQueries;
  readonly behaviour: BehaviourLog;
  readonly responder: Responder;
  /** Partner channels contained, by organisation (shared with the responder). */
  readonly channels: Map<string, Containment>;
  readonly onError: (error: unknown) => void;
}

const ALLOW: BudgetDecision = Object.freeze({ action: 'allow' });
const NOBODY: readonly string[] = Object.freeze([]);
const ACTIVE: ReadonlySet<string> = new Set(['active', 'confirmed']);
const MAX_SESSIONS_PER_ACCOUNT = 64;

interface FieldKind {
  readonly identifying: boolean;
  readonly contact: boolean;
}

const fieldKinds = new WeakMap<readonly PersonalField[], FieldKind>();
function fieldKind(fields: readonly PersonalField[]): FieldKind {
  let k = fieldKinds.get(fields);
  if (!k) {
    k = {
      identifying: fields.some((f) => IDENTIFYING_FIELDS.has(f)),
      contact: fields.includes('email') || fields.includes('phone'),
    };
    fieldKinds.set(fields, k);
  }
  return k;
}

export function limitsOf(state: AccountState, now: number): { limits: Limits; profile: LimitProfile } {
  if (state.status === 'unknown') return { limits: NEW_ACCOUNT_LIMITS, profile: 'new_account' };
  const floors = ROLE_FLOORS[state.role];
  if (!floors) return { limits: CLOSED_ROLE, profile: 'closed_role' };
  const base = state.baseline?.limits ?? floors;
  const capped = capForAccount(base, state.status, state.createdAt, now);
  return { limits: capped.limits, profile: capped.profile ?? (state.baseline ? 'learned' : 'floor') };
}

export class Engine implements BudgetHook {
  readonly accounts = new Map<string, AccountState>();
  readonly channels: Map<string, Containment>;
  canaries: ReadonlyMap<string, Canary> = new Map();
  private readonly contacts = new Map<string, { day: number; set: Set<string> }>();
  private readonly workflows: Workflows | null;

  constructor(private readonly deps: EngineDeps) {
    this.channels = deps.channels;
    this.workflows = deps.workflowQueries ? new Workflows(deps.workflowQueries) : null;
  }

  async assess(question: BudgetQuestion, q: QueryRunner): Promise<BudgetDecision> {
    const { reader, now } = question;
    const state = this.accounts.get(reader.accountId) ?? (await this.load(question, q));
    const held = state.containment !== null || this.channels.size > 0 ? await this.heldBack(state, q) : null;
    if (held) return held;
    const kind = fieldKind(question.fields);
    const canary = this.canaries.size > 0 ? this.canaryAmong(question.people, reader.requestId) : undefined;
    if (canary && kind.identifying) return this.deps.responder.suspend(question, state, { rule: 'canary', canary });
    const time = parisTime(now);
    const { limits, profile } = limitsOf(state, now);
    // People outside the workflow first: a request refused for them consumes no overall budget.
    const beyond = kind.identifying ? await this.beyondWorkflow(question, state, time, q, kind.contact) : null;
    const counts = await this.count(
      question,
      state,
      time,
      limits,
      kind.identifying && !beyond?.exceeded ? question.people : NOBODY,
    );
    if (counts.contained !== null) return (await this.flagged(state, counts, q)) ?? this.assess(question, q);
    const session = state.sessions.get(reader.sessionRef ?? '') ?? (await this.session(question, state, q));
    const contacts =
      kind.contact && counts.exceeded === null ? this.countContacts(state.id, question.people, time.day) : 0;
    const a: Assessment = {
      accountId: state.id,
      role: state.role,
      sourceIp: reader.sourceIp,
      mfa: reader.assurance === 'mfa', // until the identity work hands over a fresh-MFA proof
      peopleCount: question.people.length,
      now,
      time,
      state,
      session,
      behaviour: this.deps.behaviour.get(reader),
      week: state.role === 'recruiter' ? this.deps.behaviour.week(state.id, time.week) : undefined,
      limits,
      counts,
      contacts,
      contactLimit: state.baseline?.contactDay ?? CONTACT_FLOOR,
      canaryProfile: canary !== undefined,
      beyond,
    };
    return this.decide(question, state, a, profile);
  }

  /** The ladder's answer for an assessed request, carried out and recorded when it is not "allow". */
  private decide(
    question: BudgetQuestion,
    state: AccountState,
    a: Assessment,
    profile: LimitProfile,
  ): BudgetDecision | Promise<BudgetDecision> {
    const { counts, time } = a;
    const risk = riskOf(a);
    const pressure = state.pressureDay === time.day ? state.pressure : 0;
    const beyond = a.beyond?.exceeded ?? null;
    const beyondPressure = state.pressureDay === time.day ? state.beyondPressure : 0;
    const rung = climb({
      risk,
      mfa: a.mfa,
      exceeded: counts.exceeded,
      beyond,
      canary: false,
      pressure,
      beyondPressure,
      strikes: state.baseline?.strikes ?? 0,
    });
    if (rung.action === 'allow') return ALLOW;
    if (rung.action === 'suspend_credential')
      return this.deps.responder.suspend(question, state, { rule: rung.rule, assessment: a, risk, profile });
    if (counts.exceeded !== null || beyond !== null) this.bumpPressure(state, time.day, beyond !== null);
    const window = counts.exceeded ?? beyond ?? rung.rule;
    const error =
      rung.action === 'step_up'
        ? stepUpRequired()
        : rung.action === 'slow_down'
          ? slowDown(retryAfterSeconds(window, a.now, time))
          : null;
    this.deps.responder.record(question, state, a, rung, risk, profile, error?.code ?? null);
    return error ? { action: 'refuse', error } : { action: 'mask', why: MASK_WHY };
  }

  miss(reader: BudgetQuestion['reader'], count: number, now: number): void {
    if (count > 0) this.deps.behaviour.miss(reader, count, now, parisTime(now).day);
  }

  /** Forgets what is cached of an account (its state reloads at the next disclosure). */
  forget(accountId: string): void {
    this.accounts.delete(accountId);
  }

  private bumpPressure(state: AccountState, day: number, beyond: boolean): void {
    if (state.pressureDay !== day) {
      state.pressureDay = day;
      state.pressure = 0;
      state.beyondPressure = 0;
    }
    state.pressure++;
    if (beyond) state.beyondPressure++;
  }

  /**
   * The people of this request outside the reader's workflow today, counted against their own
   * small budget (limits.ts BEYOND_WORKFLOW) with the same atomic check-and-add as the overall
   * budget, under the account's key suffixed `#beyond` (so Redis shares it too). Null for roles
   * without a workflow narrower than their reach, or when every person is in the workflow.
   */
  private async beyondWorkflow(
    question: BudgetQuestion,
    state: AccountState,
    time: ParisTime,
    q: QueryRunner,
    contact: boolean,
  ): Promise<BeyondCount | null> {
    const floor = BEYOND_WORKFLOW[state.role];
    if (!floor || !this.workflows) return null;
    const limits = state.baseline?.beyond ?? floor;
    const people = await this.workflows.beyond(
      q,
      { accountId: state.id, role: state.role, organisationId: state.organisationId },
      time.day,
      parisDate(question.now),
      question.people,
    );
    if (people.length === 0) return null;
    const base = this.keysOf(question, state, time);
    // Contact details of people outside the workflow first, against their own smaller budget.
    const contactLimits = contact ? BEYOND_WORKFLOW_CONTACT[state.role] : undefined;
    if (contactLimits) {
      const c = await this.checkAndAdd(
        { ...base, accountId: `${state.id}#beyond-contact`, sessionRef: null, fanoutIp: null },
        contactLimits,
        people,
      );
      if (c.exceeded !== null)
        return {
          exceeded: c.exceeded,
          contact: true,
          people: people.length,
          hour: c.hour,
          day: c.day,
          week: c.week,
          limits: contactLimits,
        };
    }
    const out = await this.checkAndAdd(
      { ...base, accountId: `${state.id}#beyond`, sessionRef: null, fanoutIp: null },
      limits,
      people,
    );
    return {
      exceeded: out.exceeded,
      contact: false,
      people: people.length,
      hour: out.hour,
      day: out.day,
      week: out.week,
      limits,
    };
  }

  /** One check-and-add on the shared counters, on the in-process ones when the shared store fails. */
  private async checkAndAdd(keys: CounterKeys, limits: Limits, people: readonly string[]): Promise<CountResult> {
    const out = newCountResult();
    try {
      const pending = this.deps.counters.checkAndAdd(keys, limits, people, out);
      if (pending) await pending;
    } catch (error) {
      this.deps.onError(error);
      out.contained = null; // the shared store's containment flags are unknown: the in-process state decides
      this.deps.fallback.checkAndAdd(keys, limits, people, out);
    }
    return out;
  }

  private canaryAmong(people: readonly string[], requestId: string): Canary | undefined {
    for (const p of people) {
      const c = this.canaries.get(p);
      if (c && !expectedFor(c, requestId)) return c;
    }
    return undefined;
  }

  private async load(question: BudgetQuestion, q: QueryRunner): Promise<AccountState> {
    const time = parisTime(question.now);
    const loaded = await loadAccount(q, this.deps.accountQueries, question.reader, time.weekStart);
    const raced = this.accounts.get(question.reader.accountId);
    if (raced) return raced;
    const state = loaded.state;
    this.accounts.set(state.id, state);
    if (loaded.channel && state.organisationId !== null) this.channels.set(state.organisationId, loaded.channel);
    const keys = this.keysOf(question, state, time);
    const bucketsOf = (at: number) => ({
      minute: Math.floor(at / MINUTE_MS),
      hour: Math.floor(at / HOUR_MS),
      day: parisTime(at).day,
      week: parisTime(at).week,
    });
    try {
      await this.deps.counters.seed(keys, loaded.past, bucketsOf);
      if (state.containment) await this.deps.counters.setContained('account', state.id, state.containment.id);
    } catch (error) {
      this.deps.onError(error);
    }
    this.deps.fallback.seed(keys, loaded.past, bucketsOf);
    return state;
  }

  private async session(question: BudgetQuestion, state: AccountState, q: QueryRunner): Promise<SessionFacts> {
    const { reader, now } = question;
    const facts = await loadSessionFacts(
      q,
      this.deps.sessionQueries,
      reader.accountId,
      reader.sessionRef,
      now,
      state.role !== 'job_seeker',
    );
    if (state.sessions.size >= MAX_SESSIONS_PER_ACCOUNT) state.sessions.clear();
    state.sessions.set(reader.sessionRef ?? '', facts);
    return facts;
  }

  private keysOf(question: BudgetQuestion, state: AccountState, time: ParisTime): CounterKeys {
    const { reader, now } = question;
    return {
      accountId: state.id,
      organisationId: state.organisationId,
      sessionRef: reader.sessionRef,
      minute: Math.floor(now / MINUTE_MS),
      hour: Math.floor(now / HOUR_MS),
      day: time.day,
      week: time.week,
      fanoutIp: state.role === 'job_seeker' ? reader.sourceIp : null,
    };
  }

  private async count(
    question: BudgetQuestion,
    state: AccountState,
    time: ParisTime,
    limits: Limits,
    people: readonly string[],
  ): Promise<CountResult> {
    if (people.length === 0 && !this.deps.counters.shared) return newCountResult();
    return this.checkAndAdd(this.keysOf(question, state, time), limits, people);
  }

  private countContacts(accountId: string, people: readonly string[], day: number): number {
    let c = this.contacts.get(accountId);
    if (!c || c.day !== day) this.contacts.set(accountId, (c = { day, set: new Set() }));
    for (const p of people) c.set.add(p);
    return c.set.size;
  }

  /** A contained credential or channel knocks again: still contained, or lifted meanwhile? */
  private async heldBack(state: AccountState, q: QueryRunner): Promise<BudgetDecision | null> {
    const c =
      state.containment ?? (state.organisationId === null ? undefined : this.channels.get(state.organisationId));
    if (!c) return null;
    const [row] = await q.rows(this.deps.accountQueries.containmentStatus([c.id]));
    // No row yet: the containment was decided here and is still being written.
    if (!row || ACTIVE.has(row.status))
      return { action: 'refuse', error: c.kind === 'channel' ? channelSuspended() : credentialSuspended() };
    await this.release(c);
    return null;
  }

  /** The shared store holds a containment flag this process did not know of. */
  private async flagged(state: AccountState, counts: CountResult, q: QueryRunner): Promise<BudgetDecision | null> {
    const id = counts.containmentId ?? '';
    const [row] = await q.rows(this.deps.accountQueries.containmentStatus([id]));
    const kind = counts.contained === 'organisation' ? 'channel' : 'credential';
    if (!row || ACTIVE.has(row.status)) {
      const c: Containment = { id, kind, accountId: state.id, organisationId: state.organisationId, at: 0 };
      if (kind === 'channel' && state.organisationId !== null) this.channels.set(state.organisationId, c);
      else state.containment = c;
      return { action: 'refuse', error: kind === 'channel' ? channelSuspended() : credentialSuspended() };
    }
    await this.deps.counters.setContained(
      counts.contained ?? 'account',
      counts.contained === 'organisation' ? (state.organisationId ?? '') : state.id,
      null,
    );
    return null;
  }

  /** Forgets a containment that was lifted, here and in the shared store. */
  async release(c: Containment): Promise<void> {
    if (c.kind === 'channel' && c.organisationId !== null) {
      if (this.channels.get(c.organisationId)?.id === c.id) this.channels.delete(c.organisationId);
      await this.deps.counters.setContained('organisation', c.organisationId, null);
      return;
    }
    const state = c.accountId === null ? undefined : this.accounts.get(c.accountId);
    if (state?.containment?.id === c.id) {
      state.containment = null;
      state.pressure = 0;
      state.beyondPressure = 0;
      if (state.status === 'suspended') state.status = 'active';
    }
    if (c.accountId !== null) await this.deps.counters.setContained('account', c.accountId, null);
  }
}
