/**
 * Machine clients: credentials → short-lived scoped bearer tokens acting as a service account of the
 * organisation, authorised by relationship like any account; per-client rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount, overseerOf } from '../../access/lifecycle.js';
import type { Overseer } from '../../access/lifecycle.js';
import { createSession } from '../../access/sessions.js';
import type { TestAccount } from '../../test-support/access-fixtures.js';
import { createTestAccount } from '../../test-support/access-fixtures.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { clientOf, codeOf } from '../../test-support/mfa-helpers.js';
import { DIALECTS } from '../../test-support/stores.js';

const INJECT_SOURCE = { ip: '127.0.0.1', userAgent: 'lightMyRequest' };

describe.each(DIALECTS)('machine clients on %s', (dialect) => {
  let h: HttpScenario;
  let manager: TestAccount;
  let approver: Overseer;
  let cookie: string;

  beforeAll(async () => {
    h = await openHttpScenario(dialect);
    manager = await createTestAccount(h.access, { organisationId: h.scenario.orgs.training, role: 'account_manager' });
    const second = await createTestAccount(h.access, {
      organisationId: h.scenario.orgs.training,
      role: 'account_manager',
    });
    approver = await overseerOf(h.store.db, {
      accountId: second.account.id,
      role: 'account_manager',
      organisationId: h.scenario.orgs.training,
    });
    cookie = `vigie_session=${(await createSession(h.access, manager.account, INJECT_SOURCE, 'mfa')).token}`;
  });
  afterAll(() => h.dispose());

  const api = () => clientOf(h.app);
  const newClient = async (body: object) => {
    const r = await api().post('/api/machine-clients', cookie, { label: 'Logiciel de gestion', ...body });
    expect(r.statusCode).toBe(201);
    return r.json() as { client: { id: string; accountId: string }; clientSecret: string };
  };
  const tokenFor = async (id: string, secret: string, scope?: string) => {
    const r = await api().post('/api/oauth/token', undefined, {
      grant_type: 'client_credentials',
      client_id: id,
      client_secret: secret,
      ...(scope ? { scope } : {}),
    });
    return r;
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token: string) => h.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('creates a client whose scopes fit one role of the organisation; its service account waits on probation', async () => {
    const created = await newClient({ scopes: ['sessions:read', 'trainee:read'] });
    expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const account = await h.store.db
      .selectFrom('accounts')
      .select(['status', 'role', 'organisation_id'])
      .where('id', '=', created.client.accountId)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ status: 'probation', role: 'trainer', organisation_id: h.scenario.orgs.training });
    const stored = await h.store.db
      .selectFrom('machine_clients')
      .selectAll()
      .where('id', '=', created.client.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(created.clientSecret);
    for (const scopes of [['trainee:read', 'files:read'], ['files:read']]) {
      expect(codeOf(await api().post('/api/machine-clients', cookie, { label: 'x', scopes }))).toBe(
        'MACHINE.SCOPES_INVALID',
      );
    }
  });

  it('exchanges credentials for a 10-minute token; a wrong secret is refused and recorded', async () => {
    const { client, clientSecret } = await newClient({ scopes: ['sessions:read'] });
    const wrong = await tokenFor(client.id, `${clientSecret.slice(0, -2)}xx`);
    expect([wrong.statusCode, codeOf(wrong)]).toEqual([401, 'AUTH.CLIENT_INVALID']);
    const failed = await h.store.db
      .selectFrom('security_events')
      .select('details')
      .where('kind', '=', 'machine.auth_failed')
      .execute();
    expect(failed.some((e) => e.details.includes(client.id))).toBe(true);
    const ok = await tokenFor(client.id, clientSecret);
    expect(ok.json()).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'sessions:read' });
    expect(codeOf(await tokenFor(client.id, clientSecret, 'trainee:read'))).toBe('AUTH.SCOPE_INVALID');
    const token = ok.json().access_token as string;
    expect((await get('/api/training/sessions', token)).statusCode).toBe(200);
    h.clock.advance(10 * 60_000);
    expect(codeOf(await get('/api/training/sessions', token))).toBe('AUTH.TOKEN_INVALID');
  });

  it('reads as the organisation’s service account, by relationship, only on the routes its scopes open', async () => {
    const { client, clientSecret } = await newClient({ scopes: ['sessions:read', 'trainee:read'] });
    const token = (await tokenFor(client.id, clientSecret)).json().access_token as string;
    const trainees = await get(`/api/training/sessions/${h.scenario.sessions.main}/trainees`, token);
    expect(trainees.statusCode).toBe(200);
    expect(trainees.json().trainees.length).toBeGreaterThan(0);
    const records = await h.store.db
      .selectFrom('disclosures')
      .select(['reader_id', 'session_ref', 'organisation_id'])
      .where('reader_id', '=', client.accountId)
      .execute();
    expect(records.length).toBe(trainees.json().trainees.length);
    expect(records[0]).toMatchObject({
      organisation_id: h.scenario.orgs.training,
      session_ref: expect.stringMatching(/^mc-[0-9a-f]{12}$/),
    });
    expect(codeOf(await get(`/api/training/sessions/${h.scenario.sessions.other}/trainees`, token))).toBe(
      'TRAINING_SESSION.NOT_FOUND',
    );
    const declare = await h.app.inject({
      method: 'POST',
      url: `/api/training/enrolments/${h.scenario.enrolments.p1Main}/entry`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: { date: '2026-11-19' },
    });
    expect([declare.statusCode, codeOf(declare)]).toEqual([403, 'AUTH.SCOPE_FORBIDDEN']);
    for (const url of ['/api/auth/me', '/api/partner/files', '/api/accounts', '/api/security/events']) {
      expect(codeOf(await get(url, token))).toBe('AUTH.SCOPE_FORBIDDEN');
    }
    expect(codeOf(await get('/api/training/sessions', 'A'.repeat(43)))).toBe('AUTH.TOKEN_INVALID');
  });

  it('limits each client with its own token bucket (429 with Retry-After)', async () => {
    const { client, clientSecret } = await newClient({ scopes: ['sessions:read'], ratePerMinute: 60, burst: 3 });
    const other = await newClient({ scopes: ['sessions:read'] });
    const token = (await tokenFor(client.id, clientSecret)).json().access_token as string;
    const otherToken = (await tokenFor(other.client.id, other.clientSecret)).json().access_token as string;
    for (let i = 0; i < 3; i++) expect((await get('/api/training/sessions', token)).statusCode).toBe(200);
    const limited = await get('/api/training/sessions', token);
    expect([limited.statusCode, codeOf(limited), limited.headers['retry-after']]).toEqual([
      429,
      'MACHINE.RATE_LIMITED',
      '1',
    ]);
    expect((await get('/api/training/sessions', otherToken)).statusCode).toBe(200);
    h.clock.advance(1_000);
    expect((await get('/api/training/sessions', token)).statusCode).toBe(200);
    const events = await h.store.db
      .selectFrom('security_events')
      .select('kind')
      .where('account_id', '=', client.accountId)
      .where('kind', '=', 'machine.rate_limited')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('stops every token as soon as the service account is disabled', async () => {
    const { client, clientSecret } = await newClient({ scopes: ['sessions:read'] });
    const token = (await tokenFor(client.id, clientSecret)).json().access_token as string;
    await disableAccount(h.access, approver, client.accountId, INJECT_SOURCE);
    expect(codeOf(await get('/api/training/sessions', token))).toBe('AUTH.TOKEN_INVALID');
    expect(codeOf(await tokenFor(client.id, clientSecret))).toBe('AUTH.CLIENT_INVALID');
  });
});
