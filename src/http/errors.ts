/**
 * The one mapping from errors to HTTP responses. Body: `{ "error": { code, message, requestId, details? } }`,
 * message in French. A 429 whose details carry `retryAfterSeconds` also gets a Retry-After header.
 * Nothing internal reaches the client: a non-AppError becomes a bare 500 INTERNAL,
 * validation errors name the failing fields but never echo their values.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorKind } from '../domain/errors.js';
import { isAppError } from '../domain/errors.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { RequestValidationError } from './zod-bridge.js';

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
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

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly requestId: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

interface Mapped {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const INTERNAL: Mapped = {
  status: 500,
  code: 'INTERNAL',
  message: 'Erreur interne. L’incident est journalisé ; réessayez plus tard.',
};

/** Fastify's own request errors, by code. */
const FASTIFY_ERRORS: Readonly<Record<string, Mapped>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
    message: 'Le corps de la requête n’est pas un JSON valide.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
    message: 'Le corps de la requête n’est pas un JSON valide.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'REQUEST.TOO_LARGE',
    message: 'Le corps de la requête est trop volumineux.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    message: 'Type de contenu non pris en charge : envoyez du JSON (application/json).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'REQUEST.MALFORMED',
    message: 'La longueur annoncée du corps de la requête est incorrecte.',
  },
};

const REQUEST_REJECTED: Omit<Mapped, 'status'> = { code: 'REQUEST.REJECTED', message: 'La requête est mal formée.' };

const isFastifyError = (e: unknown): e is FastifyError =>
  e instanceof Error &&
  typeof (e as Partial<FastifyError>).code === 'string' &&
  (e as FastifyError).code.startsWith('FST_');

/** Field paths of a validation error produced by a JSON-schema validator (routes declared without the zod helper). */
const ajvFields = (e: FastifyError): string[] =>
  (e.validation ?? []).map((v) => `${e.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}`);

const invalidRequest = (fields: readonly string[]): Mapped => ({
  status: 400,
  code: 'REQUEST.INVALID',
  message: `La requête est invalide : vérifiez ${fields.length > 1 ? 'les champs' : 'le champ'} ${fields.join(', ')}.`,
  details: { fields },
});

export function mapError(error: unknown): Mapped {
  if (isAppError(error)) {
    if (error.kind === 'internal') return INTERNAL; // its message and details are for operators (paths, causes)
    return {
      status: STATUS_BY_KIND[error.kind],
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  if (error instanceof RequestValidationError) return invalidRequest(error.fields);
  if (!isFastifyError(error)) return INTERNAL;
  if (error.validation) return invalidRequest(ajvFields(error));
  const known = FASTIFY_ERRORS[error.code];
  if (known) return known;
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 500 ? { status, ...REQUEST_REJECTED } : INTERNAL;
}

export const errorBody = (mapped: Omit<Mapped, 'status'>, requestId: string): ErrorBody => ({
  error: {
    code: mapped.code,
    message: mapped.message,
    requestId,
    ...(mapped.details ? { details: mapped.details } : {}),
  },
});

/** What may be logged of an unexpected error: its type, code and stack frames; never its message (it can quote data). */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor.name,
    ...(typeof code === 'string' ? { code } : {}),
    stack: frames.slice(0, 15).join('\n'),
  };
}

function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(error);
  if (mapped.status >= 500)
    request.log.error(
      { err: loggableError(error), code: isAppError(error) ? error.code : mapped.code },
      'request failed',
    );
  if (mapped.code === 'AUTH.SESSION_INVALID') void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  const retryAfter = mapped.details?.['retryAfterSeconds'];
  if (mapped.status === 429 && typeof retryAfter === 'number')
    void reply.header('retry-after', String(Math.ceil(retryAfter)));
  return reply.code(mapped.status).type('application/json; charset=utf-8').send(errorBody(mapped, request.id));
}

const ROUTE_NOT_FOUND = { code: 'ROUTE.NOT_FOUND', message: 'Cette adresse n’existe pas.' };

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody(ROUTE_NOT_FOUND, request.id)));
}
