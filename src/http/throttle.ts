/**
 * The sign-in throttle of one application instance (its counters and verification queue live as
 * long as the app), and the trusted-device cookie.
 */
import type { FastifyReply } from 'fastify';
import type { AccessDeps } from '../access/access-deps.js';
import { SignInThrottle } from '../access/throttle.js';
import { redisFailureCounts } from '../access/throttle-shared.js';
import type { Config } from '../config/config.js';
import type { HttpDeps } from './http-deps.js';

/** Trusted-device cookie: sent with every request (sessions are bound to it, see access/session-binding.ts). */
import { DEVICE_COOKIE } from './request-source.js';

export { DEVICE_COOKIE };
const DEVICE_COOKIE_PATH = '/';

const throttles = new WeakMap<AccessDeps, SignInThrottle>();

/** The throttle of this app, if it was created (to close it with the app). */
export const existingSignInThrottle = (deps: Pick<HttpDeps, 'access'>): SignInThrottle | undefined =>
  throttles.get(deps.access);

/** The throttle of this app (created on first use, one per buildApp); counts shared through Redis when configured. */
export function signInThrottleOf(deps: Pick<HttpDeps, 'access' | 'config'>): SignInThrottle {
  let throttle = throttles.get(deps.access);
  if (!throttle) {
    const redis = deps.config.detection.redis;
    const shared = redis
      ? redisFailureCounts({ url: redis.url, prefix: redis.prefix, windowMs: deps.config.identity.signIn.windowMs })
      : null;
    throttle = new SignInThrottle(deps.config.identity.signIn, shared);
    throttles.set(deps.access, throttle);
  }
  return throttle;
}

const deviceCookieOptions = (config: Config, expiresAt: number) => ({
  httpOnly: true,
  secure: config.http.cookieSecure,
  sameSite: 'strict' as const,
  path: DEVICE_COOKIE_PATH,
  expires: new Date(expiresAt),
});

/** Before sessions were bound to it, the cookie lived under /api/auth: that copy would shadow the new one there. */
const LEGACY_DEVICE_COOKIE_PATH = '/api/auth';

export function setDeviceCookie(
  deps: HttpDeps,
  reply: FastifyReply,
  device: { token: string; expiresAt: number },
): void {
  void reply.clearCookie(DEVICE_COOKIE, { path: LEGACY_DEVICE_COOKIE_PATH });
  void reply.setCookie(DEVICE_COOKIE, device.token, deviceCookieOptions(deps.config, device.expiresAt));
}
