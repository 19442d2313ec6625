/**
 * Scenario 4 of THREATS.md (Oct 2025): a session cookie stolen by an infostealer and replayed from
 * the attacker's machine is refused, the session revoked for its holder too, and the replay recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityEventsOf } from '../../access/security-events.js';
import type { TestAccount } from '../../test-support/access-fixtures.js';
import { createOrgWithAccount } from '../../test-support/access-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture, signIn } from '../../test-support/http-fixtures.js';
import { DIALECTS } from '../../test-support/stores.js';

const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0';

describe.each(DIALECTS)('stolen session cookies on %s', (dialect) => {
  let f: HttpFixture;
  let holder: TestAccount;

  beforeAll(async () => {
    f = await openHttpFixture(dialect);
    holder = await createOrgWithAccount(f.access, 'training', 'trainer');
  });
  afterAll(async () => f.dispose());

  const me = (cookie: string, remoteAddress: string, userAgent: string) =>
    f.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie, 'user-agent': userAgent }, remoteAddress });

  it('refuses a cookie replayed from another device or network, revokes the session and records it', async () => {
    const cookie = await signIn(f.app, holder.login, holder.password); // from 127.0.0.1, light-my-request's user agent
    const ua = 'lightMyRequest';
    expect((await me(cookie, '127.0.0.1', ua)).statusCode).toBe(200);
    expect((await me(cookie, '127.0.0.42', ua)).statusCode).toBe(200); // same /24
    const replay = await me(cookie, '203.0.113.50', LAPTOP);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('AUTH.SESSION_DEVICE_MISMATCH');
    expect((await me(cookie, '127.0.0.1', ua)).json().error.code).toBe('AUTH.SESSION_INVALID'); // the holder signs in again
    const [event] = await securityEventsOf(f.store.db, holder.account.id, 1);
    expect(event).toMatchObject({
      kind: 'session.replay',
      sourceIp: '203.0.113.50',
      details: { reason: 'other_device', openedFrom: '127.0.0.1' },
    });
  });

  it('refuses the same browser from another network', async () => {
    const cookie = await signIn(f.app, holder.login, holder.password);
    const replay = await me(cookie, '198.51.100.7', 'lightMyRequest');
    expect(replay.json().error.code).toBe('AUTH.SESSION_DEVICE_MISMATCH');
    expect((await securityEventsOf(f.store.db, holder.account.id, 1))[0]?.details).toMatchObject({
      reason: 'other_network',
    });
  });
});
