/** Helpers for second-factor tests: TOTP codes from Debian's oathtool, requests with cookies. */
import { execFileSync } from 'node:child_process';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { JSON_HEADERS } from './http-fixtures.js';

/** The TOTP code of a base32 secret at an instant, computed by `oathtool --totp -b` (RFC 6238, SHA-1, 6 digits, 30 s). */
export const oathtool = (base32: string, at: number): string =>
  execFileSync('oathtool', ['--totp', '-b', base32, '-N', `@${Math.floor(at / 1000)}`], { encoding: 'utf8' }).trim();

/** A 6-digit code that is surely not `code`. */
export const otherCode = (code: string): string => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

export interface Client {
  post(url: string, cookie?: string, payload?: object): Promise<LightMyRequestResponse>;
  get(url: string, cookie?: string): Promise<LightMyRequestResponse>;
  del(url: string, cookie?: string): Promise<LightMyRequestResponse>;
}

export const clientOf = (app: FastifyInstance): Client => ({
  post: (url, cookie, payload) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...JSON_HEADERS, ...(cookie ? { cookie } : {}) },
      ...(payload ? { payload } : {}),
    }),
  get: (url, cookie) => app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} }),
  del: (url, cookie) =>
    app.inject({ method: 'DELETE', url, headers: { ...JSON_HEADERS, ...(cookie ? { cookie } : {}) } }),
});

/** The error code of a response, or 'ok'. */
export const codeOf = (response: LightMyRequestResponse): string =>
  (response.json() as { error?: { code: string } }).error?.code ?? 'ok';
