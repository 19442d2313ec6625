import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityEventsOf } from '../../access/security-events.js';
import { cookieOf, signIn } from '../../test-support/http-fixtures.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { clientOf, codeOf, oathtool } from '../../test-support/mfa-helpers.js';
import { SCENARIO_PASSWORD } from '../../test-support/scenario.js';
import type { SmtpSink } from '../../test-support/smtp-sink.js';
import { openSmtpSink } from '../../test-support/smtp-sink.js';
import { DIALECTS } from '../../test-support/stores.js';

/** The 6-digit code of a received message (quoted-printable or not, it stays plain digits). */
const codeIn = (raw: string): string => {
  const match = /connexion : (\d{6})/.exec(raw.replace(/=\r?\n/g, ''));
  if (!match?.[1]) throw new Error('no code in the message');
  return match[1];
};

describe.each(DIALECTS)('job seekers on a new device, e-mailed code through a real SMTP server, on %s', (dialect) => {
  let h: HttpScenario;
  let smtp: SmtpSink;
  let logs = '';
  beforeAll(async () => {
    smtp = await openSmtpSink();
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    h = await openHttpScenario(dialect, {
      logStream,
      config: { smtpUrl: smtp.url, mailFrom: 'no-reply@vigie.example', logLevel: 'info' },
    });
  });
  afterAll(async () => {
    await h.dispose();
    await smtp.close();
  });

  const c = () => clientOf(h.app);
  const seeker = () => h.scenario.accounts.seeker1;
  const login = (device?: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', ...(device ? { cookie: device } : {}) },
      payload: { login: h.scenario.people.p1.identifier, password: SCENARIO_PASSWORD },
    });
  let device = '';

  it('sends a one-time code to the job seeker’s own address, and signs in with it', async () => {
    const before = smtp.received.length;
    const first = await login();
    expect(first.json()).toEqual({ next: 'email_code' });
    expect(first.cookies.map((k) => k.name)).toEqual(['vigie_pending']);
    const mail = await smtp.waitFor(before + 1);
    expect(mail.to).toEqual([h.scenario.people.p1.email]);
    expect(mail.from).toBe('no-reply@vigie.example');
    expect(mail.raw).toMatch(/Subject: Votre code de connexion Vigie/);
    expect(mail.raw).not.toContain(h.scenario.people.p1.lastName);
    expect(mail.raw).not.toContain(h.scenario.people.p1.identifier);
    const pending = cookieOf(first, 'vigie_pending');
    const code = codeIn(mail.raw);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(codeOf(await c().post('/api/auth/email-code', pending, { code: wrong }))).toBe('MFA.INVALID');
    const done = await c().post('/api/auth/email-code', pending, { code });
    expect(done.json()).toMatchObject({
      next: 'done',
      account: { role: 'job_seeker' },
      session: { assurance: 'password' },
    });
    device = cookieOf(done, 'vigie_device');
    expect((await c().get('/api/me', cookieOf(done, 'vigie_session'))).statusCode).toBe(200);
    expect(codeOf(await c().post('/api/auth/email-code', pending, { code }))).toBe('AUTH.PENDING_INVALID');
    const kinds = (await securityEventsOf(h.store.db, seeker().id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['auth.email_code_sent', 'mfa.failed', 'auth.device_added']));
  });

  it('records reading the address through the gate, as the job seeker’s own disclosure', async () => {
    const rows = await h.store.db
      .selectFrom('disclosures')
      .selectAll()
      .where('reader_id', '=', seeker().id)
      .where('fields', '=', 'email')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ person_id: h.scenario.people.p1.id, purpose: 'self_service' });
  });

  it('lets the same browser back in without a code, and asks again from another one', async () => {
    const before = smtp.received.length;
    const back = await login(device);
    expect(back.json()).toMatchObject({ next: 'done', session: { assurance: 'password' } });
    expect(smtp.received.length).toBe(before);
    expect((await login()).json()).toEqual({ next: 'email_code' });
    await smtp.waitFor(before + 1);
  });

  it('a browser that knew only the password does not become trusted', async () => {
    const attempt = await login();
    expect(attempt.cookies.map((k) => k.name)).not.toContain('vigie_device');
    expect(attempt.json()).toEqual({ next: 'email_code' });
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
    const next = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', cookie: trusted },
      payload: { login: person.identifier, password: SCENARIO_PASSWORD },
    });
    expect(next.json()).toEqual({ next: 'mfa', methods: ['totp'] });
  });

  it('never logs the address nor the code', async () => {
    const last = smtp.received.at(-1);
    expect(logs).toContain('"route":"/api/auth/login"');
    expect(logs).not.toContain(h.scenario.people.p1.email);
    expect(logs).not.toContain(codeIn(last?.raw ?? ''));
    expect(logs).not.toContain(h.scenario.people.p1.identifier);
  });
});
