/**
 * A job seeker who forgot their password resets it alone, by a link sent to the address of their own
 * file (read through the gate), never by phone; with a second factor they must prove it, as staff do.
 * Real SMTP server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTotpEnrolment, confirmTotpEnrolment } from '../../access/mfa/totp-factor.js';
import { securityEventsOf } from '../../access/security-events.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { clientOf, codeOf, oathtool } from '../../test-support/mfa-helpers.js';
import { SCENARIO_PASSWORD } from '../../test-support/scenario.js';
import type { SmtpSink } from '../../test-support/smtp-sink.js';
import { openSmtpSink } from '../../test-support/smtp-sink.js';
import { cookieOf } from '../../test-support/http-fixtures.js';
import { DIALECTS } from '../../test-support/stores.js';

const NEW_PASSWORD = 'ma nouvelle phrase de passe à moi';
const INJECT_SOURCE = { ip: '127.0.0.1', userAgent: 'lightMyRequest' };
const tokenIn = (raw: string): string => {
  const match = /jeton=([A-Za-z0-9_-]{43})/.exec(raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
  if (!match?.[1]) throw new Error('no link in the message');
  return match[1];
};

describe.each(DIALECTS)('job seekers’ self-service password reset on %s', (dialect) => {
  let h: HttpScenario;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await openSmtpSink();
    h = await openHttpScenario(dialect, {
      config: { smtpUrl: smtp.url, mailFrom: 'no-reply@vigie.example', publicUrl: 'https://vigie.example' },
    });
  });
  afterAll(async () => {
    await h.dispose();
    await smtp.close();
  });

  const c = () => clientOf(h.app);
  const login = (identifier: string, password: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: { login: identifier, password },
    });

  it('sends the link to the address of the file, and the new password works while the old one no longer does', async () => {
    const p1 = h.scenario.people.p1;
    const before = smtp.received.length;
    const asked = await c().post('/api/auth/password-reset', undefined, { login: p1.identifier });
    expect(asked.statusCode).toBe(202);
    const mail = await smtp.waitFor(before + 1);
    expect(mail.to).toEqual([p1.email]);
    expect(mail.raw).toContain('https://vigie.example/reinitialisation#jeton');
    expect(mail.raw).not.toContain(p1.lastName);
    const token = tokenIn(mail.raw);
    const done = await c().post('/api/auth/password-reset/complete', undefined, { token, password: NEW_PASSWORD });
    expect(done.statusCode).toBe(204);
    const sent = smtp.received.length;
    const old = await login(p1.identifier, SCENARIO_PASSWORD); // the old password: a decoy, answered as a right one
    expect(old.json()).toEqual({ next: 'device_code' });
    expect(codeOf(await c().post('/api/auth/device-code', cookieOf(old, 'vigie_pending'), { code: '000000' }))).toBe(
      'MFA.INVALID',
    );
    expect((await login(p1.identifier, NEW_PASSWORD)).json()).toEqual({ next: 'device_code' }); // devices forgotten: a code again
    await smtp.waitFor(sent + 1); // only the new password's code went
    expect(
      codeOf(
        await c().post('/api/auth/password-reset/complete', undefined, { token, password: 'encore une autre phrase' }),
      ),
    ).toBe('RESET.LINK_INVALID');
    const account = await h.store.db
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', h.scenario.accounts.seeker1.id)
      .executeTakeFirstOrThrow();
    expect(account.status).toBe('active'); // probation is for staff
    const kinds = (await securityEventsOf(h.store.db, h.scenario.accounts.seeker1.id)).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['account.reset_requested', 'account.reset_link_sent', 'account.password_reset']),
    );
    const reads = await h.store.db
      .selectFrom('disclosures')
      .select(['purpose', 'fields'])
      .where('reader_id', '=', h.scenario.accounts.seeker1.id)
      .execute();
    expect(reads).toEqual(expect.arrayContaining([{ purpose: 'self_service', fields: 'email' }]));
  });

  it('answers an unknown identifier exactly as a known one, and sends nothing', async () => {
    const before = smtp.received.length;
    const unknown = await c().post('/api/auth/password-reset', undefined, { login: '0000000Z' });
    expect(unknown.statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received.length).toBe(before);
  });

  it('asks a job seeker who enrolled a second factor to prove it', async () => {
    const p5 = h.scenario.people.p5;
    const seeker = h.scenario.accounts.seeker5;
    const mfa = { ...h.access, mfa: h.config.mfa };
    const { secret } = await startTotpEnrolment(mfa, seeker.id, 'téléphone');
    expect(await confirmTotpEnrolment(mfa, seeker.id, oathtool(secret, h.clock.now()), INJECT_SOURCE)).toBe(true);
    h.clock.advance(30_000);
    const before = smtp.received.length;
    await c().post('/api/auth/password-reset', undefined, { login: p5.identifier });
    const token = tokenIn((await smtp.waitFor(before + 1)).raw);
    expect(
      codeOf(await c().post('/api/auth/password-reset/complete', undefined, { token, password: NEW_PASSWORD })),
    ).toBe('RESET.FACTOR_REQUIRED');
    const done = await c().post('/api/auth/password-reset/complete', undefined, {
      token,
      password: NEW_PASSWORD,
      factor: { method: 'totp', code: oathtool(secret, h.clock.now()) },
    });
    expect(done.statusCode).toBe(204);
  });
});
