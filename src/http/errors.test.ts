import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HttpFixture } from '../test-support/http-fixtures.js';
import { JSON_HEADERS, openHttpFixture } from '../test-support/http-fixtures.js';
import { createOrgWithAccount } from '../test-support/access-fixtures.js';
import { AppError } from '../domain/errors.js';
import type { ErrorKind } from '../domain/errors.js';
import { STATUS_BY_KIND } from './errors.js';
import type { RouteModule } from './route.js';
import { route } from './route.js';
import { ROUTE_MODULES } from './routes/index.js';

const SECRET = 'SELECT nir FROM people WHERE id = 42 /work/main/src/secret.ts';

const testRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/test/boom',
      summary: 'boom',
      tags: ['test'],
      auth: 'public',
      response: z.object({ ok: z.boolean() }),
    },
    async () => {
      throw new Error(SECRET);
    },
  );
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/test/extra',
      summary: 'extra',
      tags: ['test'],
      auth: 'public',
      response: z.object({ id: z.string() }),
    },
    async () => {
      return { id: 'x', nir: '290047511204567' } as { id: string };
    },
  );
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/test/wrong-shape',
      summary: 'wrong',
      tags: ['test'],
      auth: 'public',
      response: z.object({ id: z.string() }),
    },
    async () => {
      return { id: 42 } as unknown as { id: string };
    },
  );
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/test/kind/:kind',
      summary: 'kind',
      tags: ['test'],
      auth: 'public',
      params: z.object({ kind: z.enum(Object.keys(STATUS_BY_KIND) as [ErrorKind]) }),
      response: z.object({}),
    },
    async ({ params }) => {
      throw new AppError(
        `TEST.${params.kind.toUpperCase()}`,
        params.kind,
        'Message de test.',
        params.kind === 'too_many' ? { retryAfterSeconds: 29.5 } : undefined,
      );
    },
  );
  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/test/echo/:n',
      summary: 'echo',
      tags: ['test'],
      auth: 'public',
      params: z.object({ n: z.coerce.number().int() }),
      query: z.object({ q: z.string().max(3).optional() }),
      body: z.object({ name: z.string().min(2), age: z.number().int() }),
      response: z.object({ n: z.number(), name: z.string() }),
    },
    async ({ params, body }) => ({ n: params.n, name: body.name }),
  );
};

describe('HTTP error handling', () => {
  let f: HttpFixture;
  const logs: string[] = [];
  beforeAll(async () => {
    const logStream = new Writable({
      write: (chunk: Buffer, _enc, done) => void (logs.push(chunk.toString()), done()),
    });
    f = await openHttpFixture('sqlite', {
      routes: [...ROUTE_MODULES, testRoutes],
      logStream,
      config: { logLevel: 'info' },
    });
  });
  afterAll(async () => f.dispose());

  const post = (url: string, payload: string, headers: Record<string, string> = JSON_HEADERS) =>
    f.app.inject({ method: 'POST', url, headers, payload });

  it('answers malformed JSON with 400 REQUEST.MALFORMED_JSON and the request id', async () => {
    const response = await post('/api/auth/login', '{"login": "a",');
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('REQUEST.MALFORMED_JSON');
    expect(body.error.requestId).toBe(response.headers['x-request-id']);
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a validation failure with 400 REQUEST.INVALID naming the fields, never echoing the values', async () => {
    const response = await post('/api/test/echo/7?q=toolongvalue', JSON.stringify({ name: 'Zoé', age: 42 }));
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('REQUEST.INVALID');
    expect(error.details.fields).toEqual(['query.q']);
    const bodyError = (await post('/api/test/echo/7', JSON.stringify({ name: 'Z', age: 'quarante-deux' }))).json()
      .error;
    expect(bodyError.details.fields).toEqual(['body.name', 'body.age']);
    expect(error.message).toMatch(/^La requête est invalide/);
    expect(JSON.stringify(bodyError)).not.toMatch(/quarante|toolong/);
    expect((await post('/api/test/echo/sept', '{}')).json().error.details.fields).toEqual(['params.n']);
    expect((await post('/api/test/echo/7', JSON.stringify({ name: 'Zoé', age: 42 }))).json()).toEqual({
      n: 7,
      name: 'Zoé',
    });
  });

  it('maps each AppError kind to its status in one table, keeping code and French message', async () => {
    const expected = {
      invalid: 400,
      unauthenticated: 401,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      too_many: 429,
      step_up: 401,
      unavailable: 503,
      internal: 500,
    };
    for (const [kind, status] of Object.entries(expected)) {
      const response = await f.app.inject({ method: 'GET', url: `/api/test/kind/${kind}` });
      expect(response.statusCode).toBe(status);
      if (kind === 'internal')
        expect(response.json().error.code).toBe('INTERNAL'); // never the internal message or details
      else
        expect(response.json().error).toMatchObject({
          code: `TEST.${kind.toUpperCase()}`,
          message: 'Message de test.',
        });
      if (kind === 'too_many') expect(response.headers['retry-after']).toBe('30');
    }
  });

  it('answers an unknown route with 404 ROUTE.NOT_FOUND', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const response = await f.app.inject({ method, url: '/api/nothing/here?nir=290047511204567' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('ROUTE.NOT_FOUND');
    }
  });

  it('answers a bug with a bare 500 INTERNAL: no message detail, no stack', async () => {
    const response = await f.app.inject({ method: 'GET', url: '/api/test/boom' });
    expect(response.statusCode).toBe(500);
    const body = response.json();
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
    expect(body.error.code).toBe('INTERNAL');
    expect(response.body).not.toMatch(/SELECT|nir|secret|\.ts|at /);
    const logged = logs.join('');
    expect(logged).toContain('request failed');
    expect(logged).not.toContain('SELECT nir');
  });

  it('sends only the fields a response schema declares; a response breaking its schema is a 500', async () => {
    const extra = await f.app.inject({ method: 'GET', url: '/api/test/extra' });
    expect(extra.json()).toEqual({ id: 'x' });
    const wrong = await f.app.inject({ method: 'GET', url: '/api/test/wrong-shape' });
    expect(wrong.statusCode).toBe(500);
    expect(wrong.json().error.code).toBe('INTERNAL');
  });

  it('answers an oversized body with 413 REQUEST.TOO_LARGE', async () => {
    const response = await post(
      '/api/auth/login',
      JSON.stringify({ login: 'x', password: 'y'.repeat(f.config.http.bodyLimit) }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('REQUEST.TOO_LARGE');
  });

  it('refuses state-changing requests that are not JSON or that come from another site (CSRF)', async () => {
    const form = await post('/api/auth/login', 'login=a&password=b', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.statusCode).toBe(400);
    expect(form.json().error.code).toBe('REQUEST.JSON_REQUIRED');
    const text = await post('/api/auth/login', '{"login":"a","password":"b"}', { 'content-type': 'text/plain' });
    expect(text.json().error.code).toBe('REQUEST.JSON_REQUIRED');
    for (const site of ['cross-site', 'same-site']) {
      const response = await post('/api/auth/login', '{"login":"a","password":"b"}', {
        ...JSON_HEADERS,
        'sec-fetch-site': site,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('REQUEST.CROSS_SITE');
    }
    const same = await post('/api/auth/login', '{"login":"a","password":"b"}', {
      'content-type': 'application/json; charset=utf-8',
      'sec-fetch-site': 'same-origin',
    });
    expect(same.json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('gives every response a fresh random request id, ignoring the client’s, and no-store caching', async () => {
    const a = await f.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'chosen-by-client' },
    });
    const b = await f.app.inject({ method: 'GET', url: '/api/health' });
    expect(a.headers['x-request-id']).not.toBe('chosen-by-client');
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.headers['x-content-type-options']).toBe('nosniff');
  });

  it('logs request id, route template, status and duration, and never bodies, query strings or logins', async () => {
    const manager = await createOrgWithAccount(f.access, 'training', 'account_manager');
    logs.length = 0;
    await post('/api/auth/login', JSON.stringify({ login: manager.login, password: manager.password }));
    await post('/api/auth/login', JSON.stringify({ login: manager.login, password: 'mauvais mot de passe' }));
    await f.app.inject({ method: 'GET', url: '/api/test/extra?identifier=1234567A' });
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['route'] === '/api/auth/login')).toMatchObject({
      method: 'POST',
      status: 200,
      reqId: expect.any(String),
      ms: expect.any(Number),
    });
    const all = logs.join('');
    for (const secret of [manager.login, manager.password, 'mauvais', '1234567A', 'identifier='])
      expect(all).not.toContain(secret);
  });
});
