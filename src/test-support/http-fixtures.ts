/**
 * Fixtures for HTTP tests: an app over a fresh store (real gate), and signing in through the API,
 * second step included: staff enrol (first sign-in) then prove a software passkey, job seekers come
 * back from a browser their account already trusts (no e-mailed code).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AccessDeps } from '../access/access-deps.js';
import { findAccountByLogin } from '../access/accounts.js';
import { trustDevice } from '../access/throttle-devices.js';
import type { Config } from '../config/config.js';
import type { BudgetHook } from '../detect/budget.js';
import { createDetection } from '../detect/detection.js';
import type { ConfigOverrides } from '../config/config.js';
import { createGate } from '../disclosure/gate.js';
import type { Gate } from '../disclosure/types.js';
import type { BuildOptions } from '../http/app.js';
import { buildApp } from '../http/app.js';
import type { AppContext } from '../services/context.js';
import type { AccessFixture } from './access-fixtures.js';
import { openAccessFixture } from './access-fixtures.js';
import { SoftAuthenticator } from './soft-authenticator.js';
import type { DialectName } from './stores.js';

export interface HttpFixture extends AccessFixture {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
}

export interface HttpFixtureOptions extends BuildOptions {
  readonly gate?: Gate;
  /** The gate's budget step (default: unlimited), when `gate` is not given. */
  readonly budget?: BudgetHook;
  readonly config?: ConfigOverrides;
  /** Serve with the real detection engine (createDetection) as the gate's budget step and ctx.detection. */
  readonly detection?: boolean;
}

export async function openHttpFixture(dialect: DialectName, options: HttpFixtureOptions = {}): Promise<HttpFixture> {
  const fixture = await openAccessFixture(dialect, options.config);
  const detection = options.detection ? createDetection({ store: fixture.store, clock: fixture.clock }) : undefined;
  const budget = detection?.hook ?? options.budget;
  const gate =
    options.gate ??
    createGate({ store: fixture.store, keys: fixture.keys, clock: fixture.clock, ...(budget ? { budget } : {}) });
  const ctx: AppContext = {
    store: fixture.store,
    keys: fixture.keys,
    clock: fixture.clock,
    gate,
    ...(detection ? { detection } : {}),
  };
  const app = buildApp(ctx, fixture.config, options);
  await app.ready();
  states.set(app, { access: fixture.access, config: fixture.config, passkeys: new Map() });
  return {
    ...fixture,
    app,
    ctx,
    dispose: async () => {
      await app.close();
      await detection?.close();
      await fixture.dispose();
    },
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

interface SignInState {
  readonly access: AccessDeps;
  readonly config: Config;
  /** The software passkey of each staff login this app enrolled. */
  readonly passkeys: Map<string, SoftAuthenticator>;
}

const states = new WeakMap<FastifyInstance, SignInState>();

/** The software passkey the fixture enrolled for this login (to step up in tests). */
export const passkeyOf = (app: FastifyInstance, login: string): SoftAuthenticator | undefined =>
  states.get(app)?.passkeys.get(login);

export function cookieOf(response: LightMyRequestResponse, name: string): string {
  const cookie = response.cookies.find((c) => c.name === name && c.value !== '');
  if (!cookie) throw new Error(`no ${name} cookie (${response.statusCode} ${response.body})`);
  return `${name}=${cookie.value}`;
}

/**
 * The cookies a browser sends after this response: the session and, when the sign-in gave one, the
 * trusted-device token it is bound to (`previous` is what the browser held before).
 */
export function sessionCookies(response: LightMyRequestResponse, previous?: string): string {
  const device = response.cookies.some((c) => c.name === 'vigie_device' && c.value !== '')
    ? cookieOf(response, 'vigie_device')
    : previous?.split('; ').find((c) => c.startsWith('vigie_device='));
  return [cookieOf(response, 'vigie_session'), ...(device ? [device] : [])].join('; ');
}

const post = async (
  app: FastifyInstance,
  url: string,
  cookie: string,
  payload?: object,
): Promise<LightMyRequestResponse> => {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { ...JSON_HEADERS, cookie },
    ...(payload ? { payload } : {}),
  });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response;
};

/** A job seeker's browser that their account already trusts: no e-mailed code at sign-in. */
async function trustedDeviceCookie(state: SignInState, login: string): Promise<string | undefined> {
  const account = await findAccountByLogin(state.access, login);
  if (account?.role !== 'job_seeker') return undefined;
  const device = await trustDevice(state.access.db, account.id, undefined, state.access.clock.now());
  return `vigie_device=${device.token}`;
}

async function enrolPasskey(app: FastifyInstance, state: SignInState, login: string, cookie: string): Promise<string> {
  const passkey = new SoftAuthenticator(state.config.mfa.origins[0] ?? 'http://localhost');
  const { options } = (await post(app, '/api/auth/enrol/webauthn/options', cookie)).json();
  const enrolled = await post(app, '/api/auth/enrol/webauthn/verify', cookie, {
    credential: passkey.register(options),
    label: 'Clé de test',
  });
  state.passkeys.set(login, passkey);
  return sessionCookies(enrolled);
}

async function provePasskey(app: FastifyInstance, state: SignInState, login: string, pending: string): Promise<string> {
  const passkey = state.passkeys.get(login);
  if (!passkey) throw new Error(`no passkey enrolled by the fixture for ${login}`);
  const { options } = (await post(app, '/api/auth/mfa/webauthn/options', pending)).json();
  return sessionCookies(await post(app, '/api/auth/mfa/webauthn/verify', pending, passkey.authenticate(options)));
}

/**
 * POST /api/auth/login, retried like a real client when the argon2 queue sheds load (429 with a
 * short Retry-After): two test workers hashing at once on a 2-core machine can fill it.
 */
async function postLogin(app: FastifyInstance, login: string, password: string, device: string | undefined) {
  for (let attempt = 1; ; attempt++) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { ...JSON_HEADERS, ...(device ? { cookie: device } : {}) },
      payload: { login, password },
    });
    if (response.statusCode !== 429 || attempt === 10) return response;
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
}

/**
 * Signs in through POST /api/auth/login and its second step; returns the session cookie header
 * value to send back (a session with assurance 'mfa' for staff).
 */
export async function signIn(app: FastifyInstance, login: string, password: string): Promise<string> {
  const state = states.get(app);
  const device = state ? await trustedDeviceCookie(state, login) : undefined;
  const response = await postLogin(app, login, password, device);
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const next = (response.json() as { next: string }).next;
  if (next === 'done') return sessionCookies(response, device);
  if (!state) throw new Error('a second step needs an app built by openHttpFixture');
  if (next === 'enrol') return enrolPasskey(app, state, login, sessionCookies(response, device));
  if (next === 'mfa') return provePasskey(app, state, login, cookieOf(response, 'vigie_pending'));
  throw new Error(`sign-in stopped at ${next}`);
}
