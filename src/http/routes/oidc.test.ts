/**
 * Sign-in through a real OpenID provider (oidc-provider on 127.0.0.1): an identity linked by an
 * account manager signs in; without a second factor asserted by the provider Vigie asks for its own,
 * with one the session has assurance 'mfa'; state, browser binding and single use hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAccount, overseerOf } from '../../access/lifecycle.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../access/mfa/totp-factor.js';
import { createSession } from '../../access/sessions.js';
import type { TestAccount } from '../../test-support/access-fixtures.js';
import { createOrganisation, createTestAccount } from '../../test-support/access-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture } from '../../test-support/http-fixtures.js';
import { clientOf, codeOf, oathtool } from '../../test-support/mfa-helpers.js';
import type { TestProvider } from '../../test-support/oidc-test-provider.js';
import { startTestProvider } from '../../test-support/oidc-test-provider.js';
import { DIALECTS } from '../../test-support/stores.js';

const PUBLIC_URL = 'http://vigie.test';
const INJECT_SOURCE = { ip: '127.0.0.1', userAgent: 'lightMyRequest' };

describe.each(DIALECTS)('OpenID Connect sign-in on %s', (dialect) => {
  let op: TestProvider;
  let f: HttpFixture;
  let manager: TestAccount;
  let colleague: TestAccount;
  let partner: string;

  beforeAll(async () => {
    op = await startTestProvider(`${PUBLIC_URL}/api/auth/oidc/callback`);
    f = await openHttpFixture(dialect, {
      config: {
        publicUrl: PUBLIC_URL,
        oidcIssuer: op.issuer,
        oidcClientId: op.clientId,
        oidcClientSecret: op.clientSecret,
      },
    });
    partner = await createOrganisation(f.store.db, 'mission_locale', 'Mission locale Nord');
    manager = await createTestAccount(f.access, { organisationId: partner, role: 'account_manager' });
    colleague = await createTestAccount(f.access, { organisationId: partner, role: 'account_manager' });
  });
  afterAll(async () => {
    await f.dispose();
    await op.close();
  });

  const mfaCookie = async (t: TestAccount) =>
    `vigie_session=${(await createSession(f.access, t.account, INJECT_SOURCE, 'mfa')).token}`;

  /** Vigie's start, the provider, and back to Vigie's callback (with or without the binding cookie). */
  const signInAtProvider = async (options: { keepBinding?: boolean } = {}) => {
    f.clock.set(Date.now()); // ID tokens carry real times
    const start = await f.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(start.statusCode).toBe(302);
    const location = String(start.headers['location']);
    expect(location.startsWith(`${op.issuer}/`)).toBe(true);
    expect(new URL(location).searchParams.get('code_challenge_method')).toBe('S256');
    const binding = start.cookies.find((c) => c.name === 'vigie_oidc');
    expect(binding).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oidc' });
    const back = await op.browse(location);
    expect(back.origin).toBe(PUBLIC_URL);
    const headers = options.keepBinding === false ? {} : { cookie: `vigie_oidc=${binding!.value}` };
    const callback = () => f.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers });
    return { response: await callback(), replay: callback };
  };
  const redirectOf = (response: { headers: Record<string, unknown> }) => new URL(String(response.headers['location']));

  const linked = async (sub: string): Promise<TestAccount> => {
    const t = await createTestAccount(f.access, { organisationId: partner, role: 'partner_adviser' });
    const link = await clientOf(f.app).post(
      `/api/accounts/${t.account.id}/federated-identities`,
      await mfaCookie(manager),
      { issuer: op.issuer, subject: sub },
    );
    expect(link.statusCode).toBe(201);
    await approveAccount(
      f.access,
      await overseerOf(f.store.db, {
        accountId: colleague.account.id,
        role: 'account_manager',
        organisationId: partner,
      }),
      t.account.id,
      INJECT_SOURCE,
    );
    return t;
  };

  it('refuses an identity linked to no account, and records why', async () => {
    op.nextLogin = { sub: 'inconnu-42', amr: ['pwd', 'otp'] };
    const { response } = await signInAtProvider();
    expect(response.statusCode).toBe(302);
    expect(redirectOf(response).searchParams.get('erreur')).toBe('AUTH.OIDC_NOT_LINKED');
    expect(response.cookies.find((c) => c.name === 'vigie_session')).toBeUndefined();
    const events = await f.store.db
      .selectFrom('security_events')
      .select('details')
      .where('kind', '=', 'auth.oidc_failed')
      .execute();
    expect(events.map((e) => JSON.parse(e.details) as { reason: string })).toContainEqual({
      reason: 'AUTH.OIDC_NOT_LINKED',
    });
  });

  it('links an identity only through an account manager, and the account goes back to probation', async () => {
    const t = await createTestAccount(f.access, { organisationId: partner, role: 'partner_adviser' });
    const api = clientOf(f.app);
    const byAdviser = await api.post(`/api/accounts/${t.account.id}/federated-identities`, await mfaCookie(t), {
      issuer: op.issuer,
      subject: 'x',
    });
    expect(codeOf(byAdviser)).toBe('AUTH.ROLE_FORBIDDEN');
    const link = await api.post(`/api/accounts/${t.account.id}/federated-identities`, await mfaCookie(manager), {
      issuer: op.issuer,
      subject: 'claire',
    });
    expect(link.statusCode).toBe(201);
    const status = await f.store.db
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', t.account.id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('probation');
    const again = await api.post(`/api/accounts/${t.account.id}/federated-identities`, await mfaCookie(colleague), {
      issuer: op.issuer,
      subject: 'claire',
    });
    expect(codeOf(again)).toBe('OIDC.IDENTITY_TAKEN');
  });

  it('signs in with assurance mfa when the provider asserts a second factor', async () => {
    const t = await linked('agent-mfa');
    op.nextLogin = { sub: 'agent-mfa', amr: ['pwd', 'otp'] };
    const { response, replay } = await signInAtProvider();
    expect(redirectOf(response).searchParams.get('etape')).toBe('done');
    const session = response.cookies.find((c) => c.name === 'vigie_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const device = response.cookies.find((c) => c.name === 'vigie_device' && c.value !== '');
    const me = await clientOf(f.app).get(
      '/api/auth/me',
      `vigie_session=${session!.value}; vigie_device=${device!.value}`,
    );
    expect(me.json()).toMatchObject({ account: { id: t.account.id }, session: { assurance: 'mfa' } });
    const signIn = await f.store.db
      .selectFrom('security_events')
      .select('details')
      .where('account_id', '=', t.account.id)
      .where('kind', '=', 'auth.sign_in')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(signIn.details)).toMatchObject({ method: 'oidc', issuer: op.issuer, multiFactor: true });
    expect(redirectOf(await replay()).searchParams.get('erreur')).toBe('AUTH.OIDC_STATE_INVALID'); // single use
  });

  it('asks for Vigie’s own second factor when the provider asserts only a password', async () => {
    const t = await linked('agent-pwd');
    const mfa = { ...f.access, mfa: f.config.mfa };
    const { secret } = await startTotpEnrolment(mfa, t.account.id, 'téléphone');
    await confirmTotpEnrolment(mfa, t.account.id, oathtool(secret, f.clock.now()), INJECT_SOURCE);
    op.nextLogin = { sub: 'agent-pwd', amr: ['pwd'] };
    const { response } = await signInAtProvider();
    expect(redirectOf(response).searchParams.get('etape')).toBe('mfa');
    expect(response.cookies.find((c) => c.name === 'vigie_session')).toBeUndefined();
    expect(response.cookies.find((c) => c.name === 'vigie_pending')).toBeDefined();
    const sessions = await f.store.db
      .selectFrom('sessions')
      .select('assurance')
      .where('account_id', '=', t.account.id)
      .execute();
    expect(sessions).toEqual([]);

    const bare = await linked('agent-sans-facteur');
    op.nextLogin = { sub: 'agent-sans-facteur', amr: ['pwd'] };
    const enrol = await signInAtProvider();
    expect(redirectOf(enrol.response).searchParams.get('etape')).toBe('enrol');
    const limited = await f.store.db
      .selectFrom('sessions')
      .select('assurance')
      .where('account_id', '=', bare.account.id)
      .execute();
    expect(limited).toEqual([{ assurance: 'password' }]);
  });

  it('refuses a callback from a browser that did not start the sign-in (login CSRF)', async () => {
    await linked('agent-csrf');
    op.nextLogin = { sub: 'agent-csrf', amr: ['pwd', 'mfa'] };
    const { response } = await signInAtProvider({ keepBinding: false });
    expect(redirectOf(response).searchParams.get('erreur')).toBe('AUTH.OIDC_STATE_INVALID');
    expect(response.cookies.find((c) => c.name === 'vigie_session')).toBeUndefined();
  });
});
