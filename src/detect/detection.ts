/**
 * `createDetection`: the budget step of the gate (`hook`, to pass as `budget` to createGate) and
 * its administration: behaviour reports from the HTTP and service layers, the baseline job, the
 * background refresh, containment review, alerts. Counters live in process (rebuilt from the
 * disclosure log when an account is first seen) or, when `redis` is given, in Redis, shared by every
 * API process. Every time-dependent step takes the clock's `now`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../storage/database.js';
import type { Containment } from './account-state.js';
import { accountQueries } from './account-state.js';
import type { AlertFilter, StoredAlert } from './alerts.js';
import { getAlert, listAlerts } from './alerts.js';
import type { RecomputeSummary } from './baselines.js';
import { recomputeBaselines } from './baselines.js';
import type { ListingOptions } from './behaviour.js';
import { BehaviourLog } from './behaviour.js';
import type { BudgetHook } from './budget.js';
import type { ContainmentView, Review } from './containment.js';
import { reviewContainment } from './containment.js';
import type { ExposureCounters } from './counters.js';
import { memoryCounters } from './counters.js';
import { Engine } from './engine.js';
import type { LineSink } from './outcomes.js';
import { OutcomeQueue } from './outcomes.js';
import { parisTime } from './paris-time.js';
import type { RedisCountersOptions } from './redis-counters.js';
import { redisCounters } from './redis-counters.js';
import { Refresher } from './refresh.js';
import { Responder } from './responder.js';
import { sessionQueries } from './session-facts.js';
import type { WebhookOptions, WebhookSender } from './webhook.js';
import { createWebhook } from './webhook.js';
import { workflowQueries } from './workflow.js';

export interface DetectionDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Shared counters; absent: in process (one API process, or one budget per process). */
  readonly redis?: RedisCountersOptions | null;
  readonly webhook?: WebhookOptions | null;
  /** Where ECS alert lines go (see ecs.ts). */
  readonly siem?: LineSink | null;
  /** Background refresh period (default one minute). */
  readonly refreshMs?: number;
  /** Failures off the request path (a write, a webhook, Redis); default: ignored. */
  readonly onError?: (error: unknown) => void;
  readonly newId?: () => string;
}

/** Who is listing or looking up: what the HTTP and service layers know of the request. */
export interface BehaviourReader {
  readonly accountId: string;
  readonly sessionRef: string | null;
}

export interface Detection {
  readonly hook: BudgetHook;
  /** Reports a list or page request (page from 1): sequential and exhaustive paging are signals. */
  recordListing(reader: BehaviourReader, kind: string, page: number, options?: ListingOptions): void;
  /** Reports lookups that found nobody (an identifier, an e-mail…): enumeration is a signal. */
  recordLookupMiss(reader: BehaviourReader, count?: number): void;
  /** Brings baselines, statuses, canaries and containments from the database into memory now. */
  refresh(): Promise<void>;
  /** Relearns every account's baseline (at the clock's now), then refreshes. */
  recomputeBaselines(): Promise<RecomputeSummary>;
  /** Lifts or confirms a containment (audited), effective at once in this process and the shared store. */
  reviewContainment(review: Omit<Review, 'at' | 'alertId'>): Promise<ContainmentView>;
  listAlerts(filter?: AlertFilter): Promise<StoredAlert[]>;
  getAlert(id: string): Promise<StoredAlert | undefined>;
  /** Starts the periodic refresh (timer unref'd). */
  start(): void;
  /** Waits until decisions, containments and alerts are written and webhook deliveries have ended. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createDetection(deps: DetectionDeps): Detection {
  const { store, clock } = deps;
  const onError = deps.onError ?? (() => undefined);
  const newId = deps.newId ?? randomUUID;
  const counters = deps.redis ? redisCounters(deps.redis) : memoryCounters();
  let outcomes: OutcomeQueue | null = null;
  const webhook = deps.webhook
    ? createWebhook(deps.webhook, (r) => outcomes?.delivered(r.alertId, r.attempts, r.delivered))
    : null;
  outcomes = new OutcomeQueue({ db: store.db, clock, webhook, siem: deps.siem ?? null, onError });
  const behaviour = new BehaviourLog();
  const channels = new Map<string, Containment>();
  const responder = new Responder({ counters, outcomes, newId, channels, onError });
  const engine = new Engine({
    counters,
    fallback: deps.redis ? memoryCounters() : counters,
    accountQueries: accountQueries(store.db),
    sessionQueries: sessionQueries(store.db),
    workflowQueries: workflowQueries(store.db),
    behaviour,
    responder,
    channels,
    onError,
  });
  const refresher = new Refresher(store.db, engine, responder, counters);
  return assemble(deps, { engine, refresher, counters, behaviour, outcomes, webhook, onError });
}

interface Parts {
  readonly engine: Engine;
  readonly refresher: Refresher;
  readonly counters: ExposureCounters;
  readonly behaviour: BehaviourLog;
  readonly outcomes: OutcomeQueue;
  readonly webhook: WebhookSender | null;
  readonly onError: (e: unknown) => void;
}

function assemble(deps: DetectionDeps, parts: Parts): Detection {
  const { store, clock } = deps;
  const { engine, behaviour, outcomes, refresher } = parts;
  let timer: NodeJS.Timeout | null = null;
  const refresh = () => refresher.run(clock.now());
  return {
    hook: engine,
    recordListing: (reader, kind, page, options = {}) => {
      const now = clock.now();
      const t = parisTime(now);
      behaviour.listing(reader, kind, page, options, now, t.day, t.week);
    },
    recordLookupMiss: (reader, count = 1) => {
      const now = clock.now();
      behaviour.miss(reader, count, now, parisTime(now).day);
    },
    refresh,
    recomputeBaselines: async () => {
      const summary = await recomputeBaselines({ store }, clock.now());
      await refresher.run(clock.now(), { allBaselines: true });
      return summary;
    },
    reviewContainment: async (review) => {
      const reviewed = await reviewContainment(store.db, { ...review, at: clock.now() });
      await refresh();
      outcomes.forward(reviewed.alert);
      return reviewed.containment;
    },
    listAlerts: (filter) => listAlerts(store.db, filter),
    getAlert: (id) => getAlert(store.db, id),
    start: () => {
      if (timer) return;
      timer = setInterval(() => void refresh().catch(parts.onError), deps.refreshMs ?? 60_000);
      timer.unref();
    },
    flush: () => outcomes.flush(),
    close: async () => {
      if (timer) clearInterval(timer);
      await outcomes.flush();
      parts.webhook?.close();
      await parts.counters.close();
    },
  };
}
