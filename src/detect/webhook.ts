/**
 * Alert delivery to a webhook: POST of the alert as JSON, retried with back-off on a network error
 * or a non-2xx answer. Never on the gate's path: alerts are handed over after the disclosure's
 * transaction, and `send` returns at once. With a secret, the body is signed
 * (`x-vigie-signature: sha256=<hex HMAC>`), so the receiver can tell a forged alert.
 */
import { createHmac } from 'node:crypto';
import type { Alert } from './alerts.js';
import { ecsDocument } from './ecs.js';

export interface WebhookOptions {
  readonly url: string;
  readonly secret?: string;
  /** Delays before each retry; the number of attempts is this length + 1. */
  readonly backoffMs?: readonly number[];
  readonly timeoutMs?: number;
}

export interface WebhookResult {
  readonly alertId: string;
  readonly attempts: number;
  readonly delivered: boolean;
}

export interface WebhookSender {
  send(alert: Alert): void;
  /** Resolves when every delivery in flight has succeeded or given up. */
  idle(): Promise<void>;
  close(): void;
}

const DEFAULT_BACKOFF = [500, 2_000, 10_000, 30_000];

export function webhookBody(alert: Alert): string {
  return JSON.stringify({
    type: 'vigie.alert',
    alert: { ...alert, at: new Date(alert.at).toISOString() },
    ecs: ecsDocument(alert),
  });
}

export function createWebhook(options: WebhookOptions, onResult: (r: WebhookResult) => void): WebhookSender {
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF;
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  const post = async (body: string): Promise<boolean> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'vigie-detection/1' };
    if (options.secret)
      headers['x-vigie-signature'] = `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      t.unref();
      timers.set(t, resolve);
    });

  const deliver = async (alert: Alert): Promise<void> => {
    const body = webhookBody(alert);
    for (let attempt = 1; ; attempt++) {
      if (await post(body)) return onResult({ alertId: alert.id, attempts: attempt, delivered: true });
      const delay = backoff[attempt - 1];
      if (delay === undefined || closed) return onResult({ alertId: alert.id, attempts: attempt, delivered: false });
      await wait(delay);
    }
  };

  return {
    send(alert) {
      if (closed) return;
      const p = deliver(alert).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close() {
      closed = true;
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
    },
  };
}
