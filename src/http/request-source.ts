import type { FastifyRequest } from 'fastify';
import type { RequestSource } from '../access/access-deps.js';

/** The trusted-device cookie (set by the sign-in routes, http/throttle.ts). */
export const DEVICE_COOKIE = 'vigie_device';

/** Where a request comes from (the address honours VIGIE_TRUST_PROXY through Fastify's trustProxy), and its device cookie. */
export const sourceOf = (request: FastifyRequest): RequestSource => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
  deviceToken: request.cookies[DEVICE_COOKIE],
});
