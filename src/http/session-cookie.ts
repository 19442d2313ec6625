import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Config } from '../config/config.js';

/** The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure unless disabled for a local http demo. */
export const SESSION_COOKIE = 'vigie_session';

export const sessionCookieOptions = (config: Config, expiresAt?: number): CookieSerializeOptions => ({
  httpOnly: true,
  secure: config.http.cookieSecure,
  sameSite: 'strict',
  path: '/',
  ...(expiresAt !== undefined ? { expires: new Date(expiresAt) } : {}),
});
