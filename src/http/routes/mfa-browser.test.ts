/**
 * Passkeys in a real browser: Debian's Chromium driven by playwright-core, with the DevTools
 * virtual authenticator (CTAP2, internal, resident keys, user verification), against the real app
 * listening on 127.0.0.1. The page is served by the app itself at http://localhost:<port> (a secure
 * context; the RP ID is `localhost`) and calls navigator.credentials.create/get with the options
 * the API hands out.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium } from '../../test-support/browser.js';
import { createOrgWithAccount } from '../../test-support/access-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture } from '../../test-support/http-fixtures.js';
import { DIALECTS } from '../../test-support/stores.js';
import type { RouteModule } from '../route.js';
import { ROUTE_MODULES } from './index.js';

const PAGE = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Vigie — clé d’accès</title></head><body>
<script>
  const call = async (url, body) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  };
  window.vigie = {
    call,
    get: async (url) => {
      const response = await fetch(url);
      return { status: response.status, body: await response.json() };
    },
    me: async () => (await fetch('/api/auth/me')).json(),
    enrolPasskey: async (label) => {
      const { body } = await call('/api/auth/enrol/webauthn/options');
      const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(body.options) });
      return call('/api/auth/enrol/webauthn/verify', { credential: credential.toJSON(), label });
    },
    provePasskey: async () => {
      const { body } = await call('/api/auth/mfa/webauthn/options');
      const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(body.options) });
      return call('/api/auth/mfa/webauthn/verify', credential.toJSON());
    },
  };
</script><p>Page de test des clés d’accès.</p></body></html>`;

const testPage: RouteModule = (app) => {
  app.get('/test/passkey', (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
};

type CallResult = { status: number; body: Record<string, unknown> | null };
type PageApi = {
  vigie: {
    call(url: string, body?: unknown): Promise<CallResult>;
    get(url: string): Promise<CallResult>;
    me(): Promise<Record<string, unknown>>;
    enrolPasskey(label: string): Promise<CallResult>;
    provePasskey(): Promise<CallResult>;
  };
};
declare const window: PageApi;

describe.each(DIALECTS)('passkeys in Chromium with a virtual authenticator on %s', (dialect) => {
  let f: HttpFixture;
  let browser: Browser;
  let page: Page;
  let origin = '';

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    f = await openHttpFixture(dialect, {
      routes: [...ROUTE_MODULES, testPage],
      config: { cookieSecure: false, webauthnRpId: 'localhost', webauthnOrigin: origin },
    });
    f.clock.set(Date.now()); // cookies carry real expiry dates: the browser must not see them as past
    await f.app.listen({ host: '127.0.0.1', port });
    browser = await launchChromium();
    page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(`${origin}/test/passkey`);
  });
  afterAll(async () => {
    await browser?.close();
    await f?.dispose();
  });

  it('enrols a passkey at the first sign-in, then signs in with it', async () => {
    const a = await createOrgWithAccount(f.access, 'training', 'trainer');
    const credentials = { login: a.login, password: a.password };

    const first = await page.evaluate((c) => window.vigie.call('/api/auth/login', c), credentials);
    expect(first).toMatchObject({ status: 200, body: { next: 'enrol', session: { assurance: 'password' } } });
    const refused = await page.evaluate(() => window.vigie.get('/api/training/sessions'));
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'AUTH.MFA_ENROLMENT_REQUIRED' } } });

    const enrolled = await page.evaluate(() => window.vigie.enrolPasskey('Clé du navigateur'));
    expect(enrolled).toMatchObject({ status: 201, body: { session: { assurance: 'mfa' } } });
    expect(await page.evaluate(() => window.vigie.me())).toMatchObject({
      account: { id: a.account.id },
      session: { assurance: 'mfa' },
    });
    const stored = await f.store.db
      .selectFrom('mfa_webauthn_credentials')
      .selectAll()
      .where('account_id', '=', a.account.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ label: 'Clé du navigateur', transports: expect.stringContaining('internal') });

    expect((await page.evaluate(() => window.vigie.call('/api/auth/logout'))).status).toBe(204);
    const again = await page.evaluate((c) => window.vigie.call('/api/auth/login', c), credentials);
    expect(again).toEqual({ status: 200, body: { next: 'mfa', methods: ['webauthn', 'recovery'] } });
    const proven = await page.evaluate(() => window.vigie.provePasskey());
    expect(proven).toMatchObject({
      status: 200,
      body: { next: 'done', account: { id: a.account.id }, session: { assurance: 'mfa' } },
    });
    expect(await page.evaluate(() => window.vigie.me())).toMatchObject({ session: { assurance: 'mfa' } });
    expect((await page.evaluate(() => window.vigie.get('/api/training/sessions'))).status).toBe(200);
    const used = await f.store.db
      .selectFrom('mfa_webauthn_credentials')
      .select('last_used_at')
      .where('account_id', '=', a.account.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toBe(f.clock.now());
  });
});
