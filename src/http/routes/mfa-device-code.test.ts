/**
 * Job seekers on a new device (issue 9, item 2): a one-time code by e-mail (real SMTP server on
 * loopback), by text message to the mobile of their file (real HTTP gateway on loopback), or from
 * their adviser when the file has neither; and no password oracle: a wrong password, an unknown
 * identifier and a locked account get the answer a right password gets, until the second step.
 * Before the fix, a job seeker without e-mail got 503 AUTH.EMAIL_CODE_UNAVAILABLE for the right
 * password and 401 for a wrong one.
 */
import { PassThrough } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../access/accounts.js';
import { createJobSeekerAccount } from '../../access/accounts.js';
import { securityEventsOf } from '../../access/security-events.js';
import { TEST_PASSWORD } from '../../test-support/access-fixtures.js';
import { cookieOf, sessionCookies, signIn } from '../../test-support/http-fixtures.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { clientOf, codeOf, oathtool } from '../../test-support/mfa-helpers.js';
import { insertJobSeekers, sampleJobSeeker } from '../../test-support/people.js';
import { SCENARIO_PASSWORD } from '../../test-support/scenario.js';
import type { SmsSink } from '../../test-support/sms-sink.js';
import { openSmsSink } from '../../test-support/sms-sink.js';
import type { SmtpSink } from '../../test-support/smtp-sink.js';
import { openSmtpSink } from '../../test-support/smtp-sink.js';
import { DIALECTS } from '../../test-support/stores.js';

/** The 6-digit code of a received message (quoted-printable or not, it stays plain digits). */
const codeIn = (raw: string): string => {
  const match = /connexion (?:: |est )(\d{6})/.exec(raw.replace(/=\r?\n/g, ''));
  if (!match?.[1]) throw new Error('no code in the message');
  return match[1];
};

/** What a client can see of an answer: status, body, the names of the cookies set. */
const visible = (r: LightMyRequestResponse) => ({
  status: r.statusCode,
  body: r.json() as unknown,
  cookies: r.cookies.map((c) => c.name).sort(),
});

describe.each(DIALECTS)('job seekers on a new device, on %s', (dialect) => {
  let h: HttpScenario;
  let smtp: SmtpSink;
  let sms: SmsSink;
  let logs = '';
  let mobileOnly: { account: Account; identifier: string; phone: string };
  let noContact: { account: Account; identifier: string; personId: string };
  beforeAll(async () => {
    smtp = await openSmtpSink();
    sms = await openSmsSink();
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    h = await openHttpScenario(dialect, {
      logStream,
      config: {
        smtpUrl: smtp.url,
        mailFrom: 'no-reply@vigie.example',
        smsUrl: sms.url,
        smsToken: 'jeton-sms',
        logLevel: 'info',
      },
    });
    const agency = h.scenario.orgs.agency;
    const seeker = async (contact: { email: string | null; phone: string | null }) => {
      const person = sampleJobSeeker(agency);
      const p = { ...person, sealed: { ...person.sealed, contact } };
      await insertJobSeekers(h.store.db, h.keys, [p]);
      const identifier = p.sealed.identity.identifier;
      const account = await createJobSeekerAccount(h.access, { personId: p.id, identifier, password: TEST_PASSWORD });
      return { account, identifier, personId: p.id };
    };
    mobileOnly = { ...(await seeker({ email: null, phone: '06 39 98 12 34' })), phone: '+33639981234' };
    noContact = await seeker({ email: null, phone: null });
  });
  afterAll(async () => {
    await h.dispose();
    await smtp.close();
    await sms.close();
  });

  const c = () => clientOf(h.app);
  const login = (login: string, password: string, device?: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', ...(device ? { cookie: device } : {}) },
      payload: { login, password },
    });
  const p1 = () => h.scenario.people.p1;
  let device = '';

  it('sends a one-time code to the job seeker’s own address, and signs in with it', async () => {
    const before = smtp.received.length;
    const first = await login(p1().identifier, SCENARIO_PASSWORD);
    expect(first.json()).toEqual({ next: 'device_code' });
    expect(first.cookies.map((k) => k.name)).toEqual(['vigie_pending']);
    const mail = await smtp.waitFor(before + 1);
    expect(mail.to).toEqual([p1().email]);
    expect(mail.from).toBe('no-reply@vigie.example');
    expect(mail.raw).toMatch(/Subject: Votre code de connexion Vigie/);
    expect(mail.raw).not.toContain(p1().lastName);
    expect(mail.raw).not.toContain(p1().identifier);
    const pending = cookieOf(first, 'vigie_pending');
    const code = codeIn(mail.raw);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(codeOf(await c().post('/api/auth/device-code', pending, { code: wrong }))).toBe('MFA.INVALID');
    const done = await c().post('/api/auth/device-code', pending, { code });
    expect(done.json()).toMatchObject({
      next: 'done',
      account: { role: 'job_seeker' },
      session: { assurance: 'password' },
    });
    device = cookieOf(done, 'vigie_device');
    expect((await c().get('/api/me', sessionCookies(done))).statusCode).toBe(200);
    expect(codeOf(await c().post('/api/auth/device-code', pending, { code }))).toBe('AUTH.PENDING_INVALID');
    const events = await securityEventsOf(h.store.db, h.scenario.accounts.seeker1.id);
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['auth.device_code_sent', 'mfa.failed', 'auth.device_added']),
    );
    expect(events.find((e) => e.kind === 'auth.device_added')?.details).toEqual({ via: 'email' });
  });

  it('records reading the contact details through the gate, as the job seeker’s own disclosure', async () => {
    const rows = await h.store.db
      .selectFrom('disclosures')
      .selectAll()
      .where('reader_id', '=', h.scenario.accounts.seeker1.id)
      .execute();
    expect(
      rows.some((r) => r.person_id === p1().id && r.purpose === 'self_service' && r.fields === 'email,phone'),
    ).toBe(true);
  });

  it('lets the same browser back in without a code, and asks again from another one', async () => {
    const before = smtp.received.length;
    const back = await login(p1().identifier, SCENARIO_PASSWORD, device);
    expect(back.json()).toMatchObject({ next: 'done', session: { assurance: 'password' } });
    expect(smtp.received.length).toBe(before);
    expect((await login(p1().identifier, SCENARIO_PASSWORD)).json()).toEqual({ next: 'device_code' });
    await smtp.waitFor(before + 1);
  });

  it('answers a wrong password, an unknown identifier and a right password alike, and sends nothing for the wrong ones', async () => {
    const before = smtp.received.length;
    const right = await login(p1().identifier, SCENARIO_PASSWORD);
    await smtp.waitFor(before + 1); // the right password's code went (after the answer)
    const sentBefore = before + 1;
    const wrong = await login(p1().identifier, 'pas le bon mot de passe');
    const unknown = await login('9999999Z', 'pas le bon mot de passe');
    expect(visible(wrong)).toEqual(visible(right));
    expect(visible(unknown)).toEqual(visible(right));
    // The decoys behave as a real pending sign-in at the second step: five wrong answers, then over.
    for (const decoy of [wrong, unknown]) {
      const pending = cookieOf(decoy, 'vigie_pending');
      for (let i = 0; i < 5; i++)
        expect(codeOf(await c().post('/api/auth/device-code', pending, { code: '123456' }))).toBe('MFA.INVALID');
      expect(codeOf(await c().post('/api/auth/device-code', pending, { code: '123456' }))).toBe('AUTH.PENDING_INVALID');
    }
    expect(smtp.received.length).toBe(sentBefore); // a decoy schedules no sending at all
  });

  it('a browser that knew only the password does not become trusted', async () => {
    const attempt = await login(p1().identifier, SCENARIO_PASSWORD);
    expect(attempt.cookies.map((k) => k.name)).not.toContain('vigie_device');
    expect(attempt.json()).toEqual({ next: 'device_code' });
  });

  it('sends the code by text message to the mobile of a file without e-mail', async () => {
    const before = sms.received.length;
    const first = await login(mobileOnly.identifier, TEST_PASSWORD); // was 503 AUTH.EMAIL_CODE_UNAVAILABLE
    expect(first.json()).toEqual({ next: 'device_code' });
    const text = await sms.waitFor(before + 1);
    expect(text).toMatchObject({ to: mobileOnly.phone, authorization: 'Bearer jeton-sms' });
    expect(text.text.length).toBeLessThanOrEqual(160);
    const done = await c().post('/api/auth/device-code', cookieOf(first, 'vigie_pending'), { code: codeIn(text.text) });
    expect(done.json()).toMatchObject({ next: 'done' });
    const added = (await securityEventsOf(h.store.db, mobileOnly.account.id)).find(
      (e) => e.kind === 'auth.device_added',
    );
    expect(added?.details).toEqual({ via: 'sms' });
  });

  it('lets a job seeker with neither e-mail nor mobile in with a code from their adviser, recorded', async () => {
    const first = await login(noContact.identifier, TEST_PASSWORD);
    expect(first.json()).toEqual({ next: 'device_code' });
    const pending = cookieOf(first, 'vigie_pending');
    const adviser = await h.as(h.scenario.accounts.adviser1);
    const other = await h.as(h.scenario.accounts.otherAdviser);
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/auth/assisted-codes',
      headers: other,
      payload: { personId: noContact.personId },
    });
    expect(codeOf(refused)).toBe('PERSON.NOT_FOUND'); // not of that adviser's agency
    const issued = await h.app.inject({
      method: 'POST',
      url: '/api/auth/assisted-codes',
      headers: adviser,
      payload: { personId: noContact.personId },
    });
    expect(issued.statusCode).toBe(201);
    const { code } = issued.json() as { code: string };
    expect(code).toMatch(/^\d{8}$/);
    const wrongPassword = cookieOf(await login(noContact.identifier, 'pas le bon mot de passe'), 'vigie_pending');
    expect(codeOf(await c().post('/api/auth/device-code', wrongPassword, { code }))).toBe('MFA.INVALID'); // the password is still needed
    const done = await c().post('/api/auth/device-code', pending, { code });
    expect(done.json()).toMatchObject({ next: 'done', account: { id: noContact.account.id } });
    const again = cookieOf(await login(noContact.identifier, TEST_PASSWORD), 'vigie_pending');
    expect(codeOf(await c().post('/api/auth/device-code', again, { code }))).toBe('MFA.INVALID'); // used once
    const kinds = (await securityEventsOf(h.store.db, noContact.account.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['auth.device_code_unavailable', 'auth.device_added']));
    const issuedEvents = await securityEventsOf(h.store.db, h.scenario.accounts.adviser1.id);
    expect(issuedEvents.find((e) => e.kind === 'auth.assisted_code_issued')?.details).toMatchObject({
      jobSeekerAccountId: noContact.account.id,
    });
  });

  it('a job seeker may add a TOTP factor: from then on every sign-in asks for it, even from a trusted browser', async () => {
    const person = h.scenario.people.p5;
    const password = await signIn(h.app, person.identifier, SCENARIO_PASSWORD); // from a browser the account trusts
    const { secret } = (await c().post('/api/auth/enrol/totp', password)).json() as { secret: string };
    const confirmed = await c().post('/api/auth/enrol/totp/confirm', password, {
      code: oathtool(secret, h.clock.now()),
    });
    expect(confirmed.json()).toMatchObject({ session: { assurance: 'mfa' } });
    const trusted = cookieOf(confirmed, 'vigie_device');
    expect((await login(person.identifier, SCENARIO_PASSWORD, trusted)).json()).toEqual({
      next: 'mfa',
      methods: ['totp', 'recovery'],
    });
    expect((await login(person.identifier, 'pas le bon mot de passe')).json()).toEqual({
      next: 'mfa',
      methods: ['totp', 'recovery'],
    });
  });

  it('never logs the address, the number nor the code', async () => {
    const last = smtp.received.at(-1);
    expect(logs).toContain('"route":"/api/auth/login"');
    expect(logs).not.toContain(p1().email);
    expect(logs).not.toContain(codeIn(last?.raw ?? ''));
    expect(logs).not.toContain(p1().identifier);
    expect(logs).not.toContain('639981234');
  });
});
