import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobSeekerAccount } from '../../access/accounts.js';
import { TEST_PASSWORD, createOrgWithAccount, createOrganisation } from '../../test-support/access-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { JSON_HEADERS, openHttpFixture, signIn } from '../../test-support/http-fixtures.js';
import { insertJobSeekers, sampleJobSeeker } from '../../test-support/people.js';
import { DIALECTS } from '../../test-support/stores.js';

describe.each(DIALECTS)('auth routes on %s', (dialect) => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await openHttpFixture(dialect, { config: { cookieSecure: true } });
  });
  afterAll(async () => f.dispose());

  const login = (payload: object) =>
    f.app.inject({ method: 'POST', url: '/api/auth/login', headers: JSON_HEADERS, payload });
  const get = (url: string, cookie?: string) => f.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  it('signs in with an HttpOnly, Secure, SameSite=Strict cookie on Path=/', async () => {
    const a = await createOrgWithAccount(f.access, 'training', 'trainer');
    const response = await login({ login: a.login, password: a.password });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'vigie_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(response.json()).toMatchObject({
      account: { id: a.account.id, role: 'trainer' },
      organisation: { kind: 'training' },
      session: { assurance: 'password' },
    });
    expect(response.body).not.toContain(cookie!.value);
  });

  it('answers every failed sign-in with the same 401', async () => {
    const a = await createOrgWithAccount(f.access, 'training', 'trainer');
    const unknown = await login({ login: 'personne@nulle-part.fr', password: TEST_PASSWORD });
    const wrong = await login({ login: a.login, password: 'mauvais mot de passe' });
    for (const r of [unknown, wrong]) {
      expect(r.statusCode).toBe(401);
      expect(r.cookies).toHaveLength(0);
    }
    const strip = (body: { error: Record<string, unknown> }) => ({ ...body.error, requestId: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    expect(unknown.json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('needs a session for /me, and shows account, role and organisation', async () => {
    expect((await get('/api/auth/me')).json().error.code).toBe('AUTH.REQUIRED');
    expect((await get('/api/auth/me', 'vigie_session=forged')).statusCode).toBe(401);
    const a = await createOrgWithAccount(f.access, 'agency', 'adviser');
    const cookie = await signIn(f.app, a.login, a.password);
    const me = await get('/api/auth/me', cookie);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      account: { id: a.account.id, role: 'adviser', email: a.login },
      organisation: { id: a.organisationId, kind: 'agency' },
    });
  });

  it('shows a job seeker their account but none of their personal data', async () => {
    const agency = await createOrganisation(f.store.db, 'agency');
    const person = sampleJobSeeker(agency);
    await insertJobSeekers(f.store.db, f.keys, [person]);
    const identifier = person.sealed.identity.identifier;
    await createJobSeekerAccount(f.access, { personId: person.id, identifier, password: TEST_PASSWORD });
    const cookie = await signIn(f.app, identifier, TEST_PASSWORD);
    const me = await get('/api/auth/me', cookie);
    expect(me.json()).toMatchObject({
      account: { role: 'job_seeker', displayName: null, email: null },
      organisation: null,
    });
    const { identity, contact, address } = person.sealed;
    for (const value of [
      identity.identifier,
      identity.lastName,
      identity.firstNames,
      contact.email,
      address.addressLine,
      person.id,
    ]) {
      expect(me.body).not.toContain(value);
    }
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const a = await createOrgWithAccount(f.access, 'employer', 'recruiter');
    const cookie = await signIn(f.app, a.login, a.password);
    const out = await f.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, ...JSON_HEADERS } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'vigie_session')?.value).toBe('');
    expect((await get('/api/auth/me', cookie)).json().error.code).toBe('AUTH.SESSION_INVALID');
  });

  it('lists my sessions and closes one of them', async () => {
    const a = await createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser');
    const laptop = await signIn(f.app, a.login, a.password);
    const phone = await signIn(f.app, a.login, a.password);
    const list = (await get('/api/auth/sessions', laptop)).json() as { sessions: { ref: string; current: boolean }[] };
    expect(list.sessions).toHaveLength(2);
    const phoneRef = list.sessions.find((s) => !s.current)!.ref;
    const del = (ref: string, cookie: string) =>
      f.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${ref}`, headers: { cookie, ...JSON_HEADERS } });
    expect((await del(phoneRef, laptop)).statusCode).toBe(204);
    expect((await get('/api/auth/me', phone)).statusCode).toBe(401);
    expect((await get('/api/auth/me', laptop)).statusCode).toBe(200);
    const stranger = await createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser');
    const strangerCookie = await signIn(f.app, stranger.login, stranger.password);
    const laptopRef = (await get('/api/auth/sessions', laptop)).json().sessions[0].ref as string;
    expect((await del(laptopRef, strangerCookie)).json().error.code).toBe('SESSION.NOT_FOUND');
    expect((await del('not-a-ref', laptop)).json().error.code).toBe('REQUEST.INVALID');
  });

  it('lets an account manager list and create accounts in their organisation only, and no one else', async () => {
    const manager = await createOrgWithAccount(f.access, 'mission_locale', 'account_manager');
    const cookie = await signIn(f.app, manager.login, manager.password);
    const payload = {
      role: 'partner_adviser',
      email: 'nouvelle@mission-locale.fr',
      displayName: 'Nouvelle Conseillère',
      password: TEST_PASSWORD,
    };
    const created = await f.app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { cookie, ...JSON_HEADERS },
      payload,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().account).toMatchObject({
      role: 'partner_adviser',
      status: 'probation',
      organisationId: manager.organisationId,
    });
    expect(created.body).not.toMatch(/argon2|password/);
    const list = await get('/api/accounts', cookie);
    expect((list.json().accounts as { email: string }[]).map((a) => a.email).sort()).toEqual(
      [manager.login, 'nouvelle@mission-locale.fr'].sort(),
    );
    expect((await signIn(f.app, 'nouvelle@mission-locale.fr', TEST_PASSWORD)).length).toBeGreaterThan(0);

    const short = await f.app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { cookie, ...JSON_HEADERS },
      payload: { ...payload, email: 'b@ml.fr', password: 'court' },
    });
    expect(short.json().error.code).toBe('PASSWORD.TOO_SHORT');
    const badRole = await f.app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { cookie, ...JSON_HEADERS },
      payload: { ...payload, email: 'c@ml.fr', role: 'adviser' },
    });
    expect(badRole.json().error.code).toBe('ACCOUNT.ROLE_MISMATCH');

    const trainer = await createOrgWithAccount(f.access, 'training', 'trainer');
    const trainerCookie = await signIn(f.app, trainer.login, trainer.password);
    const refused = await get('/api/accounts', trainerCookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('AUTH.ROLE_FORBIDDEN');
  });

  it('reports health', async () => {
    expect((await get('/api/health')).json()).toEqual({ status: 'ok' });
  });
});
