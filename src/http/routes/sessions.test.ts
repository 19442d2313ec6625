/**
 * Scenario 4 of THREATS.md (Oct 2025) and issue 9, item 10: a session cookie stolen by an
 * infostealer and replayed from the attacker's machine is refused, the session revoked for its
 * holder too, the replay recorded and raised as an alert the security officer reads. The session is
 * bound to the browser's device cookie: replayed alone, even from the holder's own /24, it is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityEventsOf } from '../../access/security-events.js';
import { createSession } from '../../access/sessions.js';
import type { TestAccount } from '../../test-support/access-fixtures.js';
import { createOrgWithAccount } from '../../test-support/access-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture, signIn } from '../../test-support/http-fixtures.js';
import { DIALECTS } from '../../test-support/stores.js';

const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0';
const UA = 'lightMyRequest';

describe.each(DIALECTS)('stolen session cookies on %s', (dialect) => {
  let f: HttpFixture;
  let holder: TestAccount;
  let officer = '';

  beforeAll(async () => {
    f = await openHttpFixture(dialect);
    holder = await createOrgWithAccount(f.access, 'training', 'trainer');
    const so = await createOrgWithAccount(f.access, 'national', 'security_officer');
    const source = { ip: '127.0.0.1', userAgent: UA };
    officer = `vigie_session=${(await createSession(f.access, so.account, source, 'mfa')).token}`;
  });
  afterAll(async () => f.dispose());

  const me = (cookie: string, remoteAddress: string, userAgent: string) =>
    f.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie, 'user-agent': userAgent }, remoteAddress });
  const sessionOnly = (cookies: string) => cookies.split('; ').filter((c) => c.startsWith('vigie_session='))[0]!;
  const lastEvent = async () => (await securityEventsOf(f.store.db, holder.account.id, 1))[0];
  const officerAlerts = async () =>
    (
      (
        await f.app.inject({
          method: 'GET',
          url: `/api/security/alerts?account=${holder.account.id}`,
          headers: { cookie: officer },
        })
      ).json() as {
        alerts: { rule: string; action: string; severity: string; sourceIp: string }[];
      }
    ).alerts.filter((x) => x.rule === 'session_replay');

  it('refuses the session cookie replayed without its device cookie from the holder’s own /24, and alerts', async () => {
    const cookies = await signIn(f.app, holder.login, holder.password); // from 127.0.0.1, light-my-request's user agent
    expect((await me(cookies, '127.0.0.1', UA)).statusCode).toBe(200);
    const replay = await me(sessionOnly(cookies), '127.0.0.42', UA); // was accepted, unrecorded, before the fix
    expect([replay.statusCode, replay.json().error.code]).toEqual([401, 'AUTH.SESSION_DEVICE_MISMATCH']);
    expect((await me(cookies, '127.0.0.1', UA)).json().error.code).toBe('AUTH.SESSION_INVALID'); // revoked for the holder too
    expect(await lastEvent()).toMatchObject({
      kind: 'session.replay',
      sourceIp: '127.0.0.42',
      details: { reason: 'device_token' },
    });
    expect(await officerAlerts()).toEqual([
      expect.objectContaining({
        rule: 'session_replay',
        action: 'session_revoked',
        severity: 'high',
        sourceIp: '127.0.0.42',
      }),
    ]);
  });

  it('follows the holder’s browser to another address of its network, and records the move', async () => {
    const cookies = await signIn(f.app, holder.login, holder.password);
    expect((await me(cookies, '127.0.0.42', UA)).statusCode).toBe(200);
    expect(await lastEvent()).toMatchObject({ kind: 'session.address_changed', details: { openedFrom: '127.0.0.1' } });
    expect((await me(cookies, '127.0.0.42', UA)).statusCode).toBe(200);
  });

  it('refuses both cookies from another device or another network, and alerts each time', async () => {
    const before = (await officerAlerts()).length;
    const cookies = await signIn(f.app, holder.login, holder.password);
    const otherDevice = await me(cookies, '203.0.113.50', LAPTOP);
    expect(otherDevice.json().error.code).toBe('AUTH.SESSION_DEVICE_MISMATCH');
    expect((await lastEvent())?.details).toMatchObject({ reason: 'other_device', openedFrom: '127.0.0.1' });
    const again = await signIn(f.app, holder.login, holder.password);
    expect((await me(again, '198.51.100.7', UA)).json().error.code).toBe('AUTH.SESSION_DEVICE_MISMATCH');
    expect((await lastEvent())?.details).toMatchObject({ reason: 'other_network' });
    expect((await officerAlerts()).length).toBe(before + 2);
  });
});
