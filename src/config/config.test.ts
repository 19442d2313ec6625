import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import type { AppError } from '../domain/errors.js';
import { loadConfig } from './config.js';

const failure = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
};

describe('loadConfig', () => {
  it('defaults: data dir, SQLite file inside it, key file inside it, loopback:8080, secure cookie, 30 min / 12 h', () => {
    const config = loadConfig({});
    expect(config.dataDir).toBe('./.vigie');
    expect(config.databaseUrl).toBe('.vigie/vigie.db');
    expect(config.keys).toEqual({ file: '.vigie/vigie.keys.json' });
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080, cookieSecure: true, trustProxy: false });
    expect(config.session).toEqual({
      idleTimeoutMs: 30 * 60_000,
      absoluteLifetimeMs: 12 * 3_600_000,
      jobSeekerIdleTimeoutMs: 15 * 60_000,
      jobSeekerAbsoluteLifetimeMs: 4 * 3_600_000,
    });
  });

  it('reads the environment, and overrides win over it', () => {
    const env = {
      VIGIE_DATA_DIR: '/srv/vigie',
      VIGIE_PORT: '9000',
      VIGIE_COOKIE_SECURE: 'false',
      VIGIE_DB: 'postgres://u@db/vigie',
    };
    const config = loadConfig(env, { port: 9100, databaseUrl: 'postgresql://other/vigie' });
    expect(config.dataDir).toBe('/srv/vigie');
    expect(config.keys).toEqual({ file: '/srv/vigie/vigie.keys.json' });
    expect(config.http.port).toBe(9100);
    expect(config.http.cookieSecure).toBe(false);
    expect(config.databaseUrl).toBe('postgresql://other/vigie');
  });

  it('commits SQLite durably across a crash by default, across a power cut with VIGIE_SQLITE_SYNC=full', () => {
    expect(loadConfig({}).sqliteSync).toBe('normal');
    expect(loadConfig({ VIGIE_SQLITE_SYNC: 'full' }).sqliteSync).toBe('full');
    const bad = failure(() => loadConfig({ VIGIE_SQLITE_SYNC: 'sometimes' }));
    expect([bad.code, bad.message]).toEqual([
      'CONFIG.INVALID',
      expect.stringContaining('VIGIE_SQLITE_SYNC doit valoir « normal » ou « full »'),
    ]);
  });

  it('prefers VIGIE_KEYS text over a key file', () => {
    expect(loadConfig({ VIGIE_KEYS: '{"format":"vigie-keys/1"}', VIGIE_KEYS_FILE: '/k.json' }).keys).toEqual({
      text: '{"format":"vigie-keys/1"}',
    });
    expect(loadConfig({ VIGIE_KEYS_FILE: '/k.json' }).keys).toEqual({ file: '/k.json' });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ VIGIE_PORT: '', VIGIE_HOST: '' }).http).toMatchObject({ host: '127.0.0.1', port: 8080 });
  });

  it('is frozen, deeply', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('refuses invalid values with one French sentence each, naming the variable, never echoing values', () => {
    const error = failure(() =>
      loadConfig({
        VIGIE_PORT: '70000',
        VIGIE_COOKIE_SECURE: 'peut-être',
        VIGIE_SESSION_IDLE_MINUTES: 'trente',
        VIGIE_LOG_LEVEL: 'bavard',
      }),
    );
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('VIGIE_PORT');
    expect(error.message).toContain('entre 1 et 65535');
    expect(error.message).toContain('VIGIE_COOKIE_SECURE');
    expect(error.message).toContain('VIGIE_SESSION_IDLE_MINUTES');
    expect(error.message).toContain('VIGIE_LOG_LEVEL');
    expect(error.message).not.toMatch(/70000|peut-être|trente|bavard/);
    expect(error.details?.['fields']).toEqual(
      expect.arrayContaining(['port', 'cookieSecure', 'sessionIdleMinutes', 'logLevel']),
    );
  });

  it('refuses a database URL of an unknown scheme and an idle timeout beyond the lifetime', () => {
    expect(failure(() => loadConfig({ VIGIE_DB: 'mysql://x/y' })).message).toContain('VIGIE_DB');
    expect(failure(() => loadConfig({ VIGIE_SESSION_IDLE_MINUTES: '600', VIGIE_SESSION_MAX_HOURS: '2' })).code).toBe(
      'CONFIG.INVALID',
    );
  });

  it('never quotes VIGIE_KEYS in an error', () => {
    const error = failure(() => loadConfig({ VIGIE_KEYS: 'secret-material', VIGIE_PORT: 'x' }));
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('secret-material');
  });
});
