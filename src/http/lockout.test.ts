/**
 * Issue 9, item 3: anyone who knew a login could lock its holder out with 10 wrong passwords from
 * anywhere, the holder's usual device included (reproduced over HTTP: before the fix the holder's
 * own browser got 401 for 15 minutes). Failures now lock what they came from: unknown devices as a
 * whole (CNIL: at most 10 failures), a trusted device its own count; never the holder's device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILED_SIGN_INS } from '../access/password-check.js';
import { securityEventsOf } from '../access/security-events.js';
import type { TestAccount } from '../test-support/access-fixtures.js';
import { createOrgWithAccount } from '../test-support/access-fixtures.js';
import type { HttpFixture } from '../test-support/http-fixtures.js';
import { JSON_HEADERS, openHttpFixture, signIn } from '../test-support/http-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';

describe.each(DIALECTS)('who a lockout locks, on %s', (dialect) => {
  let f: HttpFixture;
  let holder: TestAccount;
  let device = '';
  beforeAll(async () => {
    f = await openHttpFixture(dialect);
    holder = await createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser');
    const cookies = await signIn(f.app, holder.login, holder.password); // enrols a passkey: this browser is trusted
    device = cookies.split('; ').find((c) => c.startsWith('vigie_device='))!;
  });
  afterAll(async () => f.dispose());

  const attempt = (password: string, remoteAddress: string, cookie?: string) =>
    f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { ...JSON_HEADERS, ...(cookie ? { cookie } : {}) },
      payload: { login: holder.login, password },
      remoteAddress,
    });

  it('locks unknown devices out after 10 failures from anywhere, but never the holder’s trusted device', async () => {
    for (let i = 0; i < MAX_FAILED_SIGN_INS + 2; i++)
      expect((await attempt(`devine-${i}`, `198.18.${i}.7`)).statusCode).toBe(401);
    const kinds = (await securityEventsOf(f.store.db, holder.account.id)).map((e) => e.kind);
    expect(kinds).toContain('auth.locked_out');
    const fromNewDevice = await attempt(holder.password, '192.0.2.80');
    expect(fromNewDevice.json().error.code).toBe('AUTH.INVALID_CREDENTIALS'); // unknown devices: locked, as a wrong password says
    const fromTrusted = await attempt(holder.password, '192.0.2.80', device);
    expect(fromTrusted.statusCode).toBe(200); // was 401 for 15 minutes
    expect(fromTrusted.json()).toMatchObject({ next: 'mfa' });
  });

  it('counts a trusted device’s own failures, and forgets it at the tenth', async () => {
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++)
      expect((await attempt(`encore-${i}`, '192.0.2.81', device)).statusCode).toBe(401);
    expect((await securityEventsOf(f.store.db, holder.account.id, 1))[0]?.kind).toBe('auth.device_forgotten');
    const after = await attempt(holder.password, '192.0.2.81', device);
    expect(after.json().error.code).toBe('AUTH.INVALID_CREDENTIALS'); // now an unknown device, and those are locked
  });
});
