/**
 * `route()`: the one way to declare an API route. A route file states the method, URL, who may call
 * it, its zod schemas and a handler; this helper wires validation, response whitelisting, the auth
 * hook and the OpenAPI entry, so route files stay a few lines each.
 *
 *   route(app, deps, {
 *     method: 'GET', url: '/api/accounts', summary: 'Comptes de mon organisation', tags: ['comptes'],
 *     auth: ['account_manager'], response: AccountList,
 *   }, async (req, reader) => ({ accounts: await listOrganisationAccounts(deps.ctx.store.db, reader.organisationId!) }));
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import type { z } from 'zod';
import type { Reader } from '../disclosure/reader.js';
import { isAppError } from '../domain/errors.js';
import { isGateMiss } from '../disclosure/types.js';
import type { Auth } from './auth.js';
import { authHook, authOf } from './auth.js';
import { ErrorBodySchema } from './common-schemas.js';
import type { HttpDeps } from './http-deps.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { toOpenApiSchema, zodSerializer, zodValidator } from './zod-bridge.js';

type Schema = z.ZodType;
type Parsed<S> = S extends Schema ? z.output<S> : undefined;
type Returned<R> = R extends Schema ? z.input<R> : void;

export interface RouteSpec<A extends Auth, B, Q, P, R> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** 'public', 'signed_in' (any role), or the roles admitted (AUTH.ROLE_FORBIDDEN otherwise). */
  readonly auth: A;
  readonly body?: B;
  readonly query?: Q;
  readonly params?: P;
  /** Schema of the success body; absent: the route answers 204 without a body. */
  readonly response?: R;
  /** Success status when there is a body (default 200). */
  readonly status?: 200 | 201 | 202;
  /**
   * A paged list of people: its kind, reported to detection with the page read (sequential and
   * exhaustive paging, and a recruiter's spread over `rome` × `departement`, are signals).
   */
  readonly listing?: string;
}

/** What a handler receives: the parsed parts, and Fastify's request and reply for the rest (cookies, headers). */
export interface RouteRequest<B, Q, P> {
  readonly body: Parsed<B>;
  readonly query: Parsed<Q>;
  readonly params: Parsed<P>;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export type RouteHandler<A extends Auth, B, Q, P, R> = (
  req: RouteRequest<B, Q, P>,
  reader: A extends 'public' ? null : Reader,
) => Promise<Returned<R>>;

/** Registers a route file's routes; listed once in routes/index.ts. */
export type RouteModule = (app: FastifyInstance, deps: HttpDeps) => void;

const AUTH_LABELS: Readonly<Record<string, string>> = {
  public: 'Accès : public.',
  signed_in: 'Accès : tout compte connecté (second facteur prouvé pour les agents).',
  enrolment:
    'Accès : tout compte connecté, y compris une session d’agent limitée à l’enregistrement de son second facteur.',
};

const ROLE_LABEL = (auth: Auth): string =>
  typeof auth === 'string' ? (AUTH_LABELS[auth] ?? '') : `Accès : ${auth.join(', ')}.`;

function openApiSchema(spec: RouteSpec<Auth, unknown, unknown, unknown, unknown>): FastifySchema {
  const part = (s: unknown, io: 'input' | 'output') => (s === undefined ? undefined : toOpenApiSchema(s as Schema, io));
  const success =
    spec.response === undefined
      ? { 204: { type: 'null', description: 'Pas de contenu.' } }
      : { [spec.status ?? 200]: part(spec.response, 'output') };
  return {
    summary: spec.summary,
    description: [spec.description, ROLE_LABEL(spec.auth)].filter(Boolean).join('\n\n'),
    tags: [...spec.tags],
    ...(spec.auth === 'public' ? {} : { security: [{ [SESSION_COOKIE]: [] }] }),
    ...(spec.body !== undefined ? { body: part(spec.body, 'input') } : {}),
    ...(spec.query !== undefined ? { querystring: part(spec.query, 'input') } : {}),
    ...(spec.params !== undefined ? { params: part(spec.params, 'input') } : {}),
    response: { ...success, default: toOpenApiSchema(ErrorBodySchema, 'output') },
  } as FastifySchema;
}

const PARTS = { body: 'body', querystring: 'query', params: 'params' } as const;

function compilers(
  spec: RouteSpec<Auth, unknown, unknown, unknown, unknown>,
): Pick<RouteOptions, 'validatorCompiler' | 'serializerCompiler'> {
  return {
    validatorCompiler: ({ httpPart }) => {
      const schema =
        httpPart === undefined ? undefined : (spec[PARTS[httpPart as keyof typeof PARTS]] as Schema | undefined);
      return schema === undefined ? () => ({ value: undefined }) : zodValidator(schema, httpPart ?? 'request');
    },
    serializerCompiler: ({ httpStatus }) =>
      spec.response !== undefined && httpStatus === String(spec.status ?? 200)
        ? zodSerializer(spec.response as Schema)
        : (data) => JSON.stringify(data),
  };
}

function reportListing(deps: HttpDeps, reader: Reader, kind: string, query: unknown, result: unknown): void {
  const detection = deps.ctx.detection;
  if (!detection || typeof result !== 'object' || result === null) return;
  const { page, pageSize, total } = result as { page?: unknown; pageSize?: unknown; total?: unknown };
  if (typeof page !== 'number') return;
  const facets = (query ?? {}) as { rome?: unknown; departement?: unknown };
  detection.recordListing(reader, kind, page, {
    ...(typeof pageSize === 'number' && typeof total === 'number' && pageSize > 0
      ? { pageCount: Math.max(1, Math.ceil(total / pageSize)) }
      : {}),
    ...(typeof facets.rome === 'string' ? { rome: facets.rome } : {}),
    ...(typeof facets.departement === 'string' ? { departement: facets.departement } : {}),
  });
}

export function route<
  const A extends Auth,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(app: FastifyInstance, deps: HttpDeps, spec: RouteSpec<A, B, Q, P, R>, handler: RouteHandler<A, B, Q, P, R>): void {
  const generic = spec as RouteSpec<Auth, unknown, unknown, unknown, unknown>;
  app.route({
    method: spec.method,
    url: spec.url,
    schema: openApiSchema(generic),
    ...compilers(generic),
    ...(spec.auth === 'public' ? {} : { onRequest: authHook(deps, spec.auth as Exclude<Auth, 'public'>) }),
    handler: async (request, reply) => {
      const req = { body: request.body, query: request.query, params: request.params, request, reply } as RouteRequest<
        B,
        Q,
        P
      >;
      const reader = (spec.auth === 'public' ? null : authOf(request).reader) as A extends 'public' ? null : Reader;
      let result: Returned<R>;
      try {
        result = await handler(req, reader);
      } catch (error) {
        // A lookup that found nobody (or nobody this reader may see): enumeration is a signal. The
        // gate's own misses are counted by the gate (its budget step) already.
        if (reader && isAppError(error) && error.kind === 'not_found' && !isGateMiss(error))
          deps.ctx.detection?.recordLookupMiss(reader);
        throw error;
      }
      if (spec.listing !== undefined && reader) reportListing(deps, reader, spec.listing, req.query, result);
      if (spec.response === undefined) return reply.code(204).send();
      return reply.code(spec.status ?? 200).send(result);
    },
  });
}
