/**
 * The OpenAPI document, built by @fastify/swagger from the routes' schemas (themselves generated from
 * their zod schemas), served at GET /api/openapi.json, with swagger-ui at /api/docs.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from './session-cookie.js';

export const OPENAPI_URL = '/api/openapi.json';
export const DOCS_PREFIX = '/api/docs';

/** Registers the document and the UI at the root, before the routes (swagger collects routes as they are added). */
export function installOpenApi(app: FastifyInstance): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vigie',
        version: '0.1.0',
        description:
          'API de Vigie : chaque lecture de données personnelles passe par une porte unique qui autorise, minimise et journalise.',
      },
      components: { securitySchemes: { [SESSION_COOKIE]: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
  });
  void app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { url: OPENAPI_URL } as Record<string, unknown> });
  app.get(OPENAPI_URL, { schema: { hide: true } }, async () => app.swagger());
}
