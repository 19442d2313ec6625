import type { FastifyRequest } from 'fastify';
import type { RequestSource } from '../access/access-deps.js';

/** Where a request comes from (the address honours VIGIE_TRUST_PROXY through Fastify's trustProxy). */
export const sourceOf = (request: FastifyRequest): RequestSource => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});
