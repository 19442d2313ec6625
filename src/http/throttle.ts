/**
 * The sign-in throttle of one application instance (its counters and verification queue live as
 * long as the app), and password sign-in through it with the trusted-device cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessDeps } from '../access/access-deps.js';
import { SignInThrottle } from '../access/throttle.js';
import { redisFailureCounts } from '../access/throttle-shared.js';
import { throttledAuthenticate } from '../access/throttle-signin.js';
import type { SignedIn } from '../access/throttle-signin.js';
import type { Config } from '../config/config.js';
import type { HttpDeps } from './http-deps.js';
import { sourceOf } from './request-source.js';

/** Trusted-device cookie: sent only to the authentication routes. */
export const DEVICE_COOKIE = 'vigie_device';
const DEVICE_COOKIE_PATH = '/api/auth';

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

/**
 * Checks a login and password through the throttle. The trusted-device token it returns is handed
 * to the browser (`setDeviceCookie`) only once the whole sign-in succeeds: a browser that knew the
 * password but not the second factor or the e-mailed code does not become trusted.
 */
export async function signInWithPassword(
  deps: HttpDeps,
  request: FastifyRequest,
  credentials: { login: string; password: string },
): Promise<SignedIn> {
  const input = { ...credentials, source: sourceOf(request), deviceToken: request.cookies[DEVICE_COOKIE] };
  return throttledAuthenticate(deps.access, signInThrottleOf(deps), input);
}

export function setDeviceCookie(
  deps: HttpDeps,
  reply: FastifyReply,
  device: { token: string; expiresAt: number },
): void {
  void reply.setCookie(DEVICE_COOKIE, device.token, deviceCookieOptions(deps.config, device.expiresAt));
}
