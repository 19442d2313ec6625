import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import { loadConfig } from './config.js';

describe('detection configuration', () => {
  it('defaults: counters in process, no webhook, alerts next to the data, refreshed every minute', () => {
    expect(loadConfig({}).detection).toEqual({
      redis: null,
      webhook: null,
      alertFile: '.vigie/detection-alerts.jsonl',
      refreshMs: 60_000,
    });
  });

  it('reads Redis, the webhook and its secret, the alert file and the refresh period', () => {
    const env = {
      VIGIE_REDIS_URL: 'redis://127.0.0.1:6379',
      VIGIE_ALERT_WEBHOOK_URL: 'https://soc.example.fr/hooks/vigie',
      VIGIE_ALERT_WEBHOOK_SECRET: 'un secret assez long',
      VIGIE_ALERT_FILE: '/var/log/vigie/alerts.jsonl',
      VIGIE_DETECTION_REFRESH_SECONDS: '15',
    };
    expect(loadConfig(env).detection).toEqual({
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'vigie:' },
      webhook: { url: 'https://soc.example.fr/hooks/vigie', secret: 'un secret assez long' },
      alertFile: '/var/log/vigie/alerts.jsonl',
      refreshMs: 15_000,
    });
  });

  it('refuses a malformed Redis address, webhook or period, without echoing the values', () => {
    try {
      loadConfig({
        VIGIE_REDIS_URL: 'localhost:6379',
        VIGIE_ALERT_WEBHOOK_URL: 'ftp://x',
        VIGIE_DETECTION_REFRESH_SECONDS: '0',
        VIGIE_ALERT_WEBHOOK_SECRET: 'court',
      });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('CONFIG.INVALID');
      const message = (e as Error).message;
      for (const name of [
        'VIGIE_REDIS_URL',
        'VIGIE_ALERT_WEBHOOK_URL',
        'VIGIE_DETECTION_REFRESH_SECONDS',
        'VIGIE_ALERT_WEBHOOK_SECRET',
      ])
        expect(message).toContain(name);
      expect(message).not.toContain('court');
    }
  });
});
