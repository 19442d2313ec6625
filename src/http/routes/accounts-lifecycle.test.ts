/**
 * Account lifecycle through the API, with a real SMTP server on loopback: probation until a second
 * person approves (Dec 2025), and resets that no phone call can obtain (Feb 2024).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../access/accounts.js';
import { getAccount } from '../../access/accounts.js';
import { authenticate } from '../../access/password-check.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../access/mfa/totp-factor.js';
import { securityEventsOf } from '../../access/security-events.js';
import { createSession } from '../../access/sessions.js';
import type { TestAccount } from '../../test-support/access-fixtures.js';
import { createOrganisation, createTestAccount } from '../../test-support/access-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture } from '../../test-support/http-fixtures.js';
import type { Client } from '../../test-support/mfa-helpers.js';
import { clientOf, codeOf, oathtool, otherCode } from '../../test-support/mfa-helpers.js';
import type { SmtpMailbox } from '../../test-support/smtp-mailbox.js';
import { startSmtpMailbox } from '../../test-support/smtp-mailbox.js';
import { DIALECTS } from '../../test-support/stores.js';

const INJECT_SOURCE = { ip: '127.0.0.1', userAgent: 'lightMyRequest' };
const LINK = /reinitialisation#jeton=([A-Za-z0-9_-]{43})/;
const NEW_PASSWORD = 'une toute nouvelle phrase de passe';

describe.each(DIALECTS)('account lifecycle routes on %s', (dialect) => {
  let f: HttpFixture;
  let smtp: SmtpMailbox;
  let api: Client;
  let partner: string;
  const people: Record<'m1' | 'm2' | 'agent', TestAccount> = {} as Record<'m1' | 'm2' | 'agent', TestAccount>;

  /** A fresh session with a proven second factor, as the sign-in flow would open it. */
  const cookieOf = async (account: Account): Promise<string> =>
    `vigie_session=${(await createSession(f.access, account, INJECT_SOURCE, 'mfa')).token}`;
  const as = async (who: keyof typeof people) => cookieOf(people[who].account);
  const mfa = () => ({ ...f.access, mfa: f.config.mfa });

  const withTotp = async (): Promise<TestAccount & { secret: string }> => {
    const t = await createTestAccount(f.access, { organisationId: partner, role: 'partner_adviser' });
    const { secret } = await startTotpEnrolment(mfa(), t.account.id, 'téléphone');
    expect(await confirmTotpEnrolment(mfa(), t.account.id, oathtool(secret, f.clock.now()), INJECT_SOURCE)).toBe(true);
    f.clock.advance(30_000);
    return { ...t, secret };
  };

  beforeAll(async () => {
    smtp = await startSmtpMailbox();
    f = await openHttpFixture(dialect, { config: { smtpUrl: smtp.url, publicUrl: 'https://vigie.example' } });
    api = clientOf(f.app);
    const agency = await createOrganisation(f.store.db, 'agency', 'Agence Paris 11');
    partner = await createOrganisation(f.store.db, 'cap_emploi', 'Cap emploi 75');
    await f.store.db.updateTable('organisations').set({ parent_agency_id: agency }).where('id', '=', partner).execute();
    people.m1 = await createTestAccount(f.access, { organisationId: partner, role: 'account_manager' });
    people.m2 = await createTestAccount(f.access, { organisationId: partner, role: 'account_manager' });
    people.agent = await createTestAccount(f.access, { organisationId: agency, role: 'account_manager' });
  });
  afterAll(async () => {
    await f.dispose();
    await smtp.close();
  });

  it('keeps a new account in probation until another person approves it; the creator cannot', async () => {
    const payload = {
      role: 'partner_adviser',
      email: 'recrue@cap-emploi.fr',
      displayName: 'Nouvelle recrue',
      password: 'trois chevaux bleus dans la prairie',
    };
    const created = await api.post('/api/accounts', await as('m1'), payload);
    expect(created.statusCode).toBe(201);
    const id = created.json().account.id as string;
    expect(created.json().account.status).toBe('probation');
    const awaiting = async (who: keyof typeof people) =>
      (
        (await api.get('/api/accounts/awaiting-approval', await as(who))).json().accounts as {
          account: { id: string };
        }[]
      ).map((a) => a.account.id);
    expect(await awaiting('m2')).toContain(id);
    expect(await awaiting('agent')).toContain(id);
    expect(await awaiting('m1')).not.toContain(id);
    const byCreator = await api.post(`/api/accounts/${id}/approve`, await as('m1'));
    expect([byCreator.statusCode, codeOf(byCreator)]).toEqual([403, 'ACCOUNT.APPROVER_IS_CREATOR']);
    const approved = await api.post(`/api/accounts/${id}/approve`, await as('m2'));
    expect([approved.statusCode, approved.json().account.status]).toEqual([200, 'active']);
    expect((await securityEventsOf(f.store.db, id)).map((e) => e.kind)).toEqual(['account.approved']);
    const adviser = await cookieOf(await getAccount(f.store.db, id));
    expect(codeOf(await api.post(`/api/accounts/${id}/approve`, adviser))).toBe('AUTH.ROLE_FORBIDDEN');
  });

  it('resets a password with the e-mailed link and an existing factor; the account goes back to probation', async () => {
    const t = await withTotp();
    const oldSession = await cookieOf(t.account);
    const asked = await api.post('/api/auth/password-reset', undefined, { login: t.login });
    const unknown = await api.post('/api/auth/password-reset', undefined, { login: 'personne@nulle-part.fr' });
    expect([asked.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(asked.json()).toEqual(unknown.json());
    const token = (await smtp.waitFor(t.login, LINK))[1]!;
    expect(smtp.received.find((m) => m.to.includes(t.login))?.text).toContain(
      'https://vigie.example/reinitialisation#jeton=',
    );

    const complete = (factor: object | null) =>
      api.post('/api/auth/password-reset/complete', undefined, { token, password: NEW_PASSWORD, factor });
    expect(codeOf(await complete(null))).toBe('RESET.FACTOR_REQUIRED');
    const code = oathtool(t.secret, f.clock.now());
    expect(codeOf(await complete({ method: 'totp', code: otherCode(code) }))).toBe('MFA.INVALID');
    expect((await complete({ method: 'totp', code })).statusCode).toBe(204);
    expect(codeOf(await complete({ method: 'totp', code }))).toBe('RESET.LINK_INVALID');

    expect((await getAccount(f.store.db, t.account.id)).status).toBe('probation');
    expect((await api.get('/api/auth/me', oldSession)).statusCode).toBe(401);
    await expect(authenticate(f.access, t.login, NEW_PASSWORD, INJECT_SOURCE)).resolves.toMatchObject({
      id: t.account.id,
    });
    const kinds = (await securityEventsOf(f.store.db, t.account.id)).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['account.reset_requested', 'account.reset_link_sent', 'account.password_reset']),
    );
  });

  it('sends no link to an account without a second factor, and a link dies after 30 minutes', async () => {
    const bare = await createTestAccount(f.access, { organisationId: partner, role: 'partner_adviser' });
    expect((await api.post('/api/auth/password-reset', undefined, { login: bare.login })).statusCode).toBe(202);
    expect((await securityEventsOf(f.store.db, bare.account.id, 1))[0]?.details).toMatchObject({
      refused: 'no_factor',
    });
    const t = await withTotp();
    await api.post('/api/auth/password-reset', undefined, { login: t.login });
    const token = (await smtp.waitFor(t.login, LINK))[1]!;
    f.clock.advance(30 * 60_000);
    const late = await api.post('/api/auth/password-reset/complete', undefined, {
      token,
      password: NEW_PASSWORD,
      factor: { method: 'totp', code: oathtool(t.secret, f.clock.now()) },
    });
    expect(codeOf(late)).toBe('RESET.LINK_INVALID');
    expect(smtp.received.some((m) => m.to.includes(bare.login))).toBe(false);
  });

  it('resets a lost factor only with a manager of the organisation and a France Travail agent, two people', async () => {
    const t = await withTotp();
    const opened = await api.post(`/api/accounts/${t.account.id}/reset-requests`, await as('agent'), {
      reason: 'Téléphone perdu, identité vérifiée en agence',
    });
    expect(opened.statusCode).toBe(201);
    const request = opened.json().request as {
      id: string;
      agentApprovedBy: string | null;
      managerApprovedBy: string | null;
    };
    expect(request).toMatchObject({ agentApprovedBy: people.agent.account.id, managerApprovedBy: null });
    expect(codeOf(await api.post(`/api/reset-requests/${request.id}/approve`, await as('agent')))).toBe(
      'RESET.SAME_PERSON',
    );
    expect(smtp.received.some((m) => m.to.includes(t.login))).toBe(false); // one person, however convinced by a phone call, is not enough
    const second = await api.post(`/api/reset-requests/${request.id}/approve`, await as('m1'));
    expect(second.statusCode).toBe(200);
    expect(second.json().request.linkSentAt).not.toBeNull();
    const token = (await smtp.waitFor(t.login, LINK))[1]!;
    expect(
      (await api.post('/api/auth/password-reset/complete', undefined, { token, password: NEW_PASSWORD })).statusCode,
    ).toBe(204);
    expect(
      await f.store.db.selectFrom('mfa_totp').select('id').where('account_id', '=', t.account.id).execute(),
    ).toHaveLength(0);
    expect((await getAccount(f.store.db, t.account.id)).status).toBe('probation');
    const kinds = (await securityEventsOf(f.store.db, t.account.id)).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'account.reset_requested',
        'account.reset_approved',
        'account.reset_link_sent',
        'account.mfa_reset',
        'account.password_reset',
      ]),
    );
    const byAgent = await api.post(`/api/accounts/${t.account.id}/approve`, await as('agent'));
    expect(codeOf(byAgent)).toBe('ACCOUNT.APPROVER_IS_CREATOR'); // the agent opened the reset: someone else lifts the probation
    expect((await api.post(`/api/accounts/${t.account.id}/approve`, await as('m2'))).json().account.status).toBe(
      'active',
    );
  });

  it('refuses two approvals from managers alone, and from anyone outside the organisation', async () => {
    const t = await withTotp();
    const opened = await api.post(`/api/accounts/${t.account.id}/reset-requests`, await as('m1'), {
      reason: 'Ticket 4521',
    });
    const id = opened.json().request.id as string;
    expect(codeOf(await api.post(`/api/reset-requests/${id}/approve`, await as('m2')))).toBe(
      'RESET.APPROVAL_FORBIDDEN',
    );
    const stranger = await createTestAccount(f.access, {
      organisationId: await createOrganisation(f.store.db, 'agency'),
      role: 'account_manager',
    });
    expect(codeOf(await api.post(`/api/reset-requests/${id}/approve`, await cookieOf(stranger.account)))).toBe(
      'ACCOUNT.ACTION_FORBIDDEN',
    );
    expect(smtp.received.some((m) => m.to.includes(t.login))).toBe(false);
  });
});
