/**
 * zod 4 schemas drive both request validation and the OpenAPI document: each route declares zod
 * schemas once; `toOpenApiSchema` hands their JSON Schema to Fastify (which feeds @fastify/swagger),
 * and the per-route compilers below validate with zod itself. Response bodies go through the
 * response schema before serialisation, so only declared fields leave the server (objects strip
 * unknown keys): a new column or field cannot leak by accident.
 */
import { z } from 'zod';

/** Validation failure of one part of a request: the failing paths, never the values. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  readonly statusCode = 400;
  constructor(readonly fields: readonly string[]) {
    super('request validation failed');
  }
}

const PART_NAMES: Readonly<Record<string, string>> = { querystring: 'query' };

export function fieldPaths(error: z.ZodError, part: string): string[] {
  const prefix = PART_NAMES[part] ?? part;
  const paths = error.issues.map((issue) => [prefix, ...issue.path.map(String)].join('.'));
  return [...new Set(paths)];
}

/** A Fastify validator for one part of the request. Replaces the part with zod's parsed output. */
export const zodValidator =
  (schema: z.ZodType, part: string) =>
  (data: unknown): { value: unknown } | { error: RequestValidationError } => {
    const result = schema.safeParse(data ?? undefined);
    return result.success
      ? { value: result.data }
      : { error: new RequestValidationError(fieldPaths(result.error, part)) };
  };

/** A Fastify serializer that keeps only the fields declared in the response schema. */
export const zodSerializer =
  (schema: z.ZodType) =>
  (data: unknown): string =>
    JSON.stringify(schema.parse(data));

/** The JSON Schema (OpenAPI 3.0 flavour) of a zod schema, as requests send it or responses return it. */
export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return json;
}
