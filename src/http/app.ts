/**
 * The HTTP application. `buildApp` returns a Fastify instance that the CLI listens with and tests
 * drive in-process with `app.inject()`. Logs carry the request id, method, route template, status
 * and duration: never a body, a query string or a concrete URL (they can hold identifiers).
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { AppContext } from '../services/context.js';
import { installAuth } from './auth.js';
import { installErrorHandling } from './errors.js';
import type { HttpDeps } from './http-deps.js';
import { accessDepsOf } from './http-deps.js';
import { installOpenApi } from './openapi.js';
import { existingSignInThrottle } from './throttle.js';
import type { RouteModule } from './route.js';
import { ROUTE_MODULES } from './routes/index.js';

export interface BuildOptions {
  /** Where logs go (default stdout); tests pass a stream to inspect them. */
  readonly logStream?: NodeJS.WritableStream;
  /** Route modules (default: all of routes/index.ts). */
  readonly routes?: readonly RouteModule[];
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function logger(config: Config, options: BuildOptions) {
  return {
    level: config.logLevel,
    ...(options.logStream ? { stream: options.logStream } : {}),
    serializers: { req: () => ({}), res: () => ({}) },
  };
}

/** Request id header and security headers on every response (errors and 404 included). */
function onRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  void reply.header('x-request-id', request.id).headers(SECURITY_HEADERS);
  done();
}

function onResponse(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const route = request.is404 ? '(inconnue)' : request.routeOptions.url;
  request.log.info(
    { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
    'request',
  );
  done();
}

/** JSON parsing as Fastify's, but an empty body is "no body" (bodyless POST/DELETE declare JSON for CSRF). */
function installJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') return done(null, undefined);
    parseJson(request, text, done);
  });
}

export function buildApp(ctx: AppContext, config: Config, options: BuildOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: logger(config, options),
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.http.bodyLimit,
    trustProxy: config.http.trustProxy,
  });
  const deps: HttpDeps = { ctx, config, access: accessDepsOf(ctx, config) };
  app.addHook('onClose', async () => existingSignInThrottle(deps)?.close());
  app.addHook('onRequest', onRequest);
  app.addHook('onResponse', onResponse);
  installJsonParser(app);
  installErrorHandling(app);
  installAuth(app);
  void app.register(cookie);
  installOpenApi(app);
  void app.register(async (api) => {
    for (const module of options.routes ?? ROUTE_MODULES) module(api, deps);
  });
  return app;
}
