/**
 * Carries out and reports what the ladder decided: every non-allow answer is recorded with its
 * explanation; slowing and masking raise an alert (once an hour per account and rule); a
 * suspension contains the credential at once in memory and in the shared store, then in the
 * database, and escalates to the partner's channel when a second credential of the same partner
 * organisation falls within 24 hours. Never more than one organisation: there is no portal switch.
 */
import type { AccountState, Containment } from './account-state.js';
import type { Explanation } from './answers.js';
import { alertMessage, channelSuspended, credentialSuspended, explain, severityOf } from './answers.js';
import type { Alert } from './alerts.js';
import type { BudgetDecision, BudgetQuestion } from './budget.js';
import type { Canary } from './canary-registry.js';
import type { NewContainment } from './containment.js';
import type { ExposureCounters } from './counters.js';
import type { Action, Rung } from './ladder.js';
import { LADDER } from './ladder.js';
import type { LimitProfile } from './limits.js';
import type { OutcomeQueue } from './outcomes.js';
import { DAY_MS, HOUR_MS } from './paris-time.js';
import type { Assessment } from './signals.js';

/** Organisation kinds whose channel can be suspended: partners, never France Travail's own agencies. */
export const PARTNER_KINDS: ReadonlySet<string> = new Set(['training', 'cap_emploi', 'mission_locale', 'employer']);

export interface Suspension {
  readonly rule: string;
  readonly canary?: Canary;
  readonly assessment?: Assessment;
  readonly risk?: number;
  readonly profile?: LimitProfile;
}

export interface ResponderDeps {
  readonly counters: ExposureCounters;
  readonly outcomes: OutcomeQueue;
  readonly newId: () => string;
  readonly channels: Map<string, Containment>;
  readonly onError: (error: unknown) => void;
}

export class Responder {
  /** Credential suspensions per organisation (this process's, and the database's at each refresh). */
  readonly suspensions = new Map<string, Array<{ accountId: string; at: number }>>();
  private readonly alerted = new Map<string, number>();

  constructor(private readonly deps: ResponderDeps) {}

  record(
    question: BudgetQuestion,
    state: AccountState,
    a: Assessment,
    rung: Rung,
    risk: number,
    profile: LimitProfile,
    code: string | null,
  ): void {
    const e = explain(a, rung, risk, profile);
    const severity = severityOf(rung.action, rung.rule);
    const key = `${state.id}/${rung.action}/${rung.rule}`;
    const hour = Math.floor(question.now / HOUR_MS);
    const alert =
      severity !== null && this.alerted.get(key) !== hour
        ? this.alert(question, state, rung.action, rung.rule, e, null)
        : null;
    if (alert) this.alerted.set(key, hour);
    if (this.alerted.size > 100_000) this.alerted.clear();
    this.deps.outcomes.push({
      decision: this.decision(question, state, rung.action, rung.rule, risk, code, e),
      containments: [],
      alert,
    });
  }

  async suspend(question: BudgetQuestion, state: AccountState, s: Suspension): Promise<BudgetDecision> {
    const { now, reader } = question;
    const org = state.organisationId;
    const channel =
      org !== null &&
      PARTNER_KINDS.has(state.organisationKind ?? '') &&
      this.othersWithin(org, state.id, now) + 1 >= LADDER.channelAfter;
    const action: Action = channel ? 'suspend_channel' : 'suspend_credential';
    const rule = channel && s.rule !== 'canary' ? 'second_credential' : s.rule;
    const credential: Containment = {
      id: this.deps.newId(),
      kind: 'credential',
      accountId: state.id,
      organisationId: org,
      at: now,
    };
    state.containment = credential;
    this.noteSuspension(org, state.id, now);
    const contained: Containment[] = [credential];
    if (channel && org !== null) {
      const c: Containment = {
        id: this.deps.newId(),
        kind: 'channel',
        accountId: state.id,
        organisationId: org,
        at: now,
      };
      this.deps.channels.set(org, c);
      contained.push(c);
    }
    await this.flag(contained);
    const e = this.explanation(s, action, rule);
    const alert = this.alert(question, state, action, rule, e, credential.id);
    const containments: NewContainment[] = contained.map((c) => ({
      id: c.id,
      at: now,
      kind: c.kind,
      accountId: state.id,
      organisationId: org,
      sessionRef: reader.sessionRef,
      sourceIp: reader.sourceIp,
      rule,
      alertId: alert.id,
    }));
    const error = channel ? channelSuspended() : credentialSuspended();
    this.deps.outcomes.push({
      decision: this.decision(question, state, action, rule, s.risk ?? 0, error.code, e),
      containments,
      alert,
    });
    return { action: 'refuse', error };
  }

  private explanation(s: Suspension, action: Action, rule: string): Explanation | Record<string, unknown> {
    if (s.assessment) return { ...explain(s.assessment, { action, rule }, s.risk ?? 0, s.profile ?? 'learned') };
    const c = s.canary;
    return {
      action,
      rule,
      risk: 0,
      signals: [],
      canary: c
        ? {
            personId: c.personId,
            placement: c.placement,
            plantedFor: { organisationId: c.organisationId, accountId: c.accountId, exportId: c.exportId },
            label: c.label,
          }
        : null,
    };
  }

  private othersWithin(org: string, accountId: string, now: number): number {
    const list = (this.suspensions.get(org) ?? []).filter((x) => now - x.at < DAY_MS);
    return new Set(list.filter((x) => x.accountId !== accountId).map((x) => x.accountId)).size;
  }

  private noteSuspension(org: string | null, accountId: string, at: number): void {
    if (org === null) return;
    const list = (this.suspensions.get(org) ?? []).filter((x) => at - x.at < DAY_MS);
    list.push({ accountId, at });
    this.suspensions.set(org, list);
  }

  private async flag(contained: readonly Containment[]): Promise<void> {
    try {
      for (const c of contained) {
        if (c.kind === 'channel' && c.organisationId !== null)
          await this.deps.counters.setContained('organisation', c.organisationId, c.id);
        else if (c.accountId !== null) await this.deps.counters.setContained('account', c.accountId, c.id);
      }
    } catch (error) {
      this.deps.onError(error); // the database carries it anyway, after this transaction
    }
  }

  private alert(
    question: BudgetQuestion,
    state: AccountState,
    action: Action,
    rule: string,
    e: Explanation | Record<string, unknown>,
    containmentId: string | null,
  ): Alert {
    const { reader, now } = question;
    const risk = typeof e['risk'] === 'number' ? e['risk'] : 0;
    const signals = Array.isArray(e['signals']) ? (e['signals'] as Array<{ name: string }>) : [];
    return {
      id: this.deps.newId(),
      at: now,
      severity: severityOf(action, rule) ?? 'low',
      rule,
      action,
      accountId: state.id,
      organisationId: state.organisationId,
      sourceIp: reader.sourceIp,
      sessionRef: reader.sessionRef,
      containmentId,
      message: alertMessage(action, rule, { risk, signals: signals as Explanation['signals'] }),
      details: {
        purpose: question.purpose,
        people: question.people.length,
        role: state.role,
        organisationKind: state.organisationKind,
        explanation: e,
      },
    };
  }

  private decision(
    question: BudgetQuestion,
    state: AccountState,
    action: Action,
    rule: string,
    risk: number,
    code: string | null,
    e: Explanation | Record<string, unknown>,
  ) {
    const { reader } = question;
    return {
      at: question.now,
      accountId: state.id,
      organisationId: state.organisationId,
      sessionRef: reader.sessionRef,
      requestId: reader.requestId,
      purpose: question.purpose,
      action,
      code,
      rule,
      score: risk,
      people: question.people.length,
      details: e as Record<string, unknown>,
    };
  }
}
