/**
 * What follows a decision, after the disclosure's transaction: the decision's record, the
 * containment carried out in the database, the alert stored, written to the SIEM stream and posted
 * to the webhook. A queue drained in order, off the gate's path (on SQLite, its writes wait for the
 * disclosure's group commit to release the connection); `flush()` waits for all of it.
 */
import type { Clock } from '../domain/clock.js';
import type { Db } from '../storage/database.js';
import type { Alert } from './alerts.js';
import { insertAlert, recordDelivery } from './alerts.js';
import type { NewContainment } from './containment.js';
import { persistContainment } from './containment.js';
import type { DecisionRecord } from './decisions.js';
import { insertDecision } from './decisions.js';
import { ecsLine } from './ecs.js';
import type { WebhookSender } from './webhook.js';

export interface Outcome {
  readonly decision: DecisionRecord | null;
  readonly containments: readonly NewContainment[];
  readonly alert: Alert | null;
}

/** Where ECS lines go: a file stream, stdout, a socket to a log shipper. */
export interface LineSink {
  write(line: string): unknown;
}

export interface OutcomeDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly webhook: WebhookSender | null;
  readonly siem: LineSink | null;
  readonly onError: (error: unknown) => void;
}

export class OutcomeQueue {
  private readonly queue: Array<() => Promise<void>> = [];
  private draining: Promise<void> | null = null;

  constructor(private readonly deps: OutcomeDeps) {}

  push(outcome: Outcome): void {
    this.enqueue(async () => {
      const { db } = this.deps;
      if (outcome.decision) await insertDecision(db, outcome.decision);
      for (const c of outcome.containments) await persistContainment(db, c);
      if (outcome.alert) await this.publish(outcome.alert);
    });
  }

  /** Stores an alert and hands it to the SIEM stream and the webhook. */
  alert(alert: Alert): void {
    this.enqueue(() => this.publish(alert));
  }

  /** Sends an alert already stored (a containment review) to the SIEM stream and the webhook. */
  forward(alert: Alert): void {
    this.deps.siem?.write(ecsLine(alert));
    this.deps.webhook?.send(alert);
  }

  /** Resolves once everything queued so far is written and every webhook delivery has ended. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    await this.deps.webhook?.idle();
    while (this.draining) await this.draining;
  }

  /** Records a webhook delivery's outcome on its alert. */
  delivered(alertId: string, attempts: number, delivered: boolean): void {
    this.enqueue(() => recordDelivery(this.deps.db, alertId, attempts, delivered ? this.deps.clock.now() : null));
  }

  private async publish(alert: Alert): Promise<void> {
    await insertAlert(this.deps.db, alert);
    this.forward(alert);
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue.push(work);
    if (!this.draining) this.draining = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  private async drain(): Promise<void> {
    try {
      for (let work = this.queue.shift(); work; work = this.queue.shift()) {
        try {
          await work();
        } catch (error) {
          this.deps.onError(error);
        }
      }
    } finally {
      this.draining = null;
    }
  }
}
