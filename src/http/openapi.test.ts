import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFixture } from '../test-support/http-fixtures.js';
import { openHttpFixture } from '../test-support/http-fixtures.js';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, unknown>;
}

describe('OpenAPI document', () => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await openHttpFixture('sqlite');
  });
  afterAll(async () => f.dispose());

  it('is served as OpenAPI 3 JSON and lists every route with its schemas', async () => {
    const response = await f.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = JSON.parse(response.body) as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'GET /api/auth/me',
        'GET /api/auth/sessions',
        'DELETE /api/auth/sessions/{ref}',
        'GET /api/accounts',
        'POST /api/accounts',
        'GET /api/health',
      ]),
    );
    expect(routes.some((r) => r.includes('/api/docs') || r.includes('openapi.json'))).toBe(false);
    const login = doc.paths['/api/auth/login']!['post']!;
    expect(Object.keys(login.requestBody!.content['application/json']!.schema.properties!)).toEqual([
      'login',
      'password',
    ]);
    expect(login.security).toBeUndefined();
    expect(doc.paths['/api/accounts']!['post']!.security).toEqual([{ vigie_session: [] }]);
    expect(doc.paths['/api/accounts']!['post']!.responses).toHaveProperty('201');
    expect(doc.paths['/api/auth/logout']!['post']!.responses).toHaveProperty('204');
  });

  it('has a documentation page', async () => {
    const page = await f.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(page.statusCode);
    const html = await f.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('swagger');
  });
});
