import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessFixture, TestAccount } from '../test-support/access-fixtures.js';
import {
  TEST_PASSWORD,
  createOrgWithAccount,
  createOrganisation,
  openAccessFixture,
} from '../test-support/access-fixtures.js';
import { insertJobSeekers, sampleJobSeeker } from '../test-support/people.js';
import { DIALECTS } from '../test-support/stores.js';
import type { Account } from './accounts.js';
import { createJobSeekerAccount } from './accounts.js';
import { securityEventsOf } from './security-events.js';
import { trustDevice } from './throttle-devices.js';
import {
  createSession,
  endSession,
  hashToken,
  listSessions,
  resolveSession,
  revokeAllSessions,
  revokeSession,
  sessionRefOfToken,
} from './sessions.js';

const SOURCE = { ip: '198.51.100.4', userAgent: 'Mozilla/5.0 (test)' };
const NOWHERE = { ip: null, userAgent: null };
const MINUTE = 60_000;

describe.each(DIALECTS)('sessions on %s', (dialect) => {
  let f: AccessFixture;
  let a: TestAccount & { organisationId: string };
  beforeAll(async () => {
    f = await openAccessFixture(dialect);
    a = await createOrgWithAccount(f.access, 'training', 'trainer');
  });
  afterAll(async () => f.dispose());

  it('hands out a 256-bit base64url token, stores only its SHA-256, and resolves to the reader data', async () => {
    const grant = await createSession(f.access, a.account, SOURCE);
    expect(grant.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(grant.token, 'base64url')).toHaveLength(32);
    expect(grant.ref).toMatch(/^[0-9a-f]{12}$/);
    expect(grant.ref).toBe(sessionRefOfToken(grant.token));
    expect(grant.expiresAt).toBe(f.clock.now() + f.config.session.absoluteLifetimeMs);
    const rows = await f.store.db.selectFrom('sessions').selectAll().where('account_id', '=', a.account.id).execute();
    expect(rows.some((r) => r.id_hash.equals(hashToken(grant.token)))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(grant.token);
    expect(await resolveSession(f.access, grant.token, SOURCE)).toEqual({
      accountId: a.account.id,
      role: 'trainer',
      organisationId: a.organisationId,
      organisationKind: 'training',
      personId: null,
      assurance: 'password',
      mfaAt: null,
      stepUpAt: null,
      sessionRef: grant.ref,
      createdAt: f.clock.now(),
      expiresAt: grant.expiresAt,
      accountStatus: 'active',
      accountCreatedAt: a.account.createdAt,
    });
  });

  it('refuses unknown and malformed tokens without telling them apart', async () => {
    for (const token of ['', 'abc', 'A'.repeat(43), `${'A'.repeat(42)}!`]) {
      await expect(resolveSession(f.access, token, SOURCE)).rejects.toMatchObject({
        code: 'AUTH.SESSION_INVALID',
        kind: 'unauthenticated',
      });
    }
  });

  it('expires after 30 idle minutes, and activity (written at most once a minute) keeps it alive', async () => {
    const grant = await createSession(f.access, a.account, SOURCE);
    const start = f.clock.now();
    const lastSeen = async () =>
      (
        await f.store.db
          .selectFrom('sessions')
          .select('last_seen_at')
          .where('id_hash', '=', hashToken(grant.token))
          .executeTakeFirstOrThrow()
      ).last_seen_at;
    f.clock.advance(30 * 1000);
    await resolveSession(f.access, grant.token, SOURCE);
    expect(await lastSeen()).toBe(start); // less than a minute: not written
    f.clock.advance(29 * MINUTE);
    await resolveSession(f.access, grant.token, SOURCE);
    expect(await lastSeen()).toBe(f.clock.now());
    f.clock.advance(30 * MINUTE - 1);
    await expect(resolveSession(f.access, grant.token, SOURCE)).resolves.toMatchObject({ accountId: a.account.id });
    const seen = f.clock.now();
    f.clock.set(seen + 30 * MINUTE);
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
  });

  it('ends after 12 hours whatever the activity', async () => {
    const grant = await createSession(f.access, a.account, SOURCE);
    for (let elapsed = 0; elapsed < 12 * 60; elapsed += 20) {
      await resolveSession(f.access, grant.token, SOURCE);
      f.clock.advance(20 * MINUTE);
    }
    expect(f.clock.now()).toBe(grant.expiresAt);
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
    await expect(resolveSession(f.access, grant.token, SOURCE, grant.expiresAt - 1)).resolves.toBeDefined();
  });

  it('lists my live sessions and revokes one by its reference, effective on the next request', async () => {
    const other = await createOrgWithAccount(f.access, 'training', 'trainer');
    const first = await createSession(f.access, other.account, SOURCE);
    const second = await createSession(f.access, other.account, NOWHERE);
    const refs = (await listSessions(f.access, other.account.id)).map((s) => s.ref).sort();
    expect(refs).toEqual([first.ref, second.ref].sort());
    await expect(revokeSession(f.access, a.account.id, first.ref, SOURCE)).rejects.toMatchObject({
      code: 'SESSION.NOT_FOUND',
      kind: 'not_found',
    });
    await revokeSession(f.access, other.account.id, first.ref, SOURCE);
    await expect(resolveSession(f.access, first.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
    await expect(resolveSession(f.access, second.token, NOWHERE)).resolves.toBeDefined();
    expect((await listSessions(f.access, other.account.id)).map((s) => s.ref)).toEqual([second.ref]);
    await expect(revokeSession(f.access, other.account.id, first.ref, SOURCE)).rejects.toMatchObject({
      code: 'SESSION.NOT_FOUND',
    });
  });

  it('signs out, and revokes every session of an account at once (containment)', async () => {
    const other = await createOrgWithAccount(f.access, 'agency', 'adviser');
    const one = await createSession(f.access, other.account, SOURCE);
    const two = await createSession(f.access, other.account, SOURCE);
    await endSession(f.access, one.token, SOURCE);
    await endSession(f.access, one.token, SOURCE); // twice is harmless
    await expect(resolveSession(f.access, one.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
    expect(await revokeAllSessions(f.store.db, other.account.id, f.clock.now())).toBe(1);
    await expect(resolveSession(f.access, two.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
  });

  it('stops a session as soon as its account is suspended, or its organisation channel is', async () => {
    const other = await createOrgWithAccount(f.access, 'mission_locale', 'partner_adviser');
    const grant = await createSession(f.access, other.account, SOURCE);
    await f.store.db
      .updateTable('organisations')
      .set({ channel_suspended_at: f.clock.now() })
      .where('id', '=', other.organisationId)
      .execute();
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({
      code: 'AUTH.CHANNEL_SUSPENDED',
      kind: 'forbidden',
    });
    await f.store.db
      .updateTable('organisations')
      .set({ channel_suspended_at: null })
      .where('id', '=', other.organisationId)
      .execute();
    await f.store.db.updateTable('accounts').set({ status: 'suspended' }).where('id', '=', other.account.id).execute();
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
  });

  const jobSeeker = async () => {
    const agency = await createOrganisation(f.store.db, 'agency');
    const person = sampleJobSeeker(agency);
    await insertJobSeekers(f.store.db, f.keys, [person]);
    return createJobSeekerAccount(f.access, {
      personId: person.id,
      identifier: person.sealed.identity.identifier,
      password: TEST_PASSWORD,
    });
  };

  it('refuses a cookie replayed from another device, revokes the session and records the replay', async () => {
    const grant = await createSession(f.access, a.account, SOURCE);
    const thief = { ip: '203.0.113.66', userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/131' };
    await expect(resolveSession(f.access, grant.token, thief)).rejects.toMatchObject({
      code: 'AUTH.SESSION_DEVICE_MISMATCH',
      kind: 'unauthenticated',
    });
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
    const [event] = await securityEventsOf(f.store.db, a.account.id, 1);
    expect(event).toMatchObject({
      kind: 'session.replay',
      sourceIp: thief.ip,
      details: { sessionRef: grant.ref, reason: 'other_device', openedFrom: SOURCE.ip },
    });
  });

  /** A session opened on a trusted device, and the source its browser sends (with the device cookie). */
  const bound = async (account: Account, source: typeof SOURCE) => {
    const device = await trustDevice(f.store.db, account.id, undefined, f.clock.now());
    const grant = await createSession(f.access, account, source, 'password', { deviceHash: device.idHash });
    return { grant, source: { ...source, deviceToken: device.token } };
  };

  it('binds a staff session to its device cookie and /24 (IPv4) or /48 (IPv6) network', async () => {
    const { grant, source } = await bound(a.account, SOURCE);
    await expect(resolveSession(f.access, grant.token, { ...source, ip: '198.51.100.200' })).resolves.toBeDefined();
    expect((await securityEventsOf(f.store.db, a.account.id, 1))[0]).toMatchObject({ kind: 'session.address_changed' });
    await expect(resolveSession(f.access, grant.token, { ...source, ip: '198.51.101.4' })).rejects.toMatchObject({
      code: 'AUTH.SESSION_DEVICE_MISMATCH',
    });
    expect((await securityEventsOf(f.store.db, a.account.id, 1))[0]?.details).toMatchObject({
      reason: 'other_network',
    });
    const v6 = { ip: '2001:db8:aa:1::10', userAgent: SOURCE.userAgent };
    const six = await bound(a.account, v6);
    await expect(
      resolveSession(f.access, six.grant.token, { ...six.source, ip: '2001:db8:aa:ffff::1' }),
    ).resolves.toBeDefined();
    await expect(
      resolveSession(f.access, six.grant.token, { ...six.source, ip: '2001:db8:ab::1' }),
    ).rejects.toMatchObject({
      code: 'AUTH.SESSION_DEVICE_MISMATCH',
    });
  });

  it('refuses a bound session without its device cookie, even from its own address', async () => {
    const { grant } = await bound(a.account, SOURCE);
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({
      code: 'AUTH.SESSION_DEVICE_MISMATCH',
    });
    expect((await securityEventsOf(f.store.db, a.account.id, 1))[0]?.details).toMatchObject({ reason: 'device_token' });
    const alerts = await f.store.db.selectFrom('alerts').selectAll().where('session_ref', '=', grant.ref).execute();
    expect(alerts.map((x) => [x.rule, x.severity])).toEqual([['session_replay', 'high']]);
  });

  it('binds a session opened without a device cookie to its exact address', async () => {
    const grant = await createSession(f.access, a.account, SOURCE);
    await expect(resolveSession(f.access, grant.token, { ...SOURCE, ip: '198.51.100.200' })).rejects.toMatchObject({
      code: 'AUTH.SESSION_DEVICE_MISMATCH',
    });
    expect((await securityEventsOf(f.store.db, a.account.id, 1))[0]?.details).toMatchObject({
      reason: 'other_address',
    });
  });

  it('lets a job seeker’s phone change network (recorded), but not a desktop browser', async () => {
    const account = await jobSeeker();
    const phone = { ip: '192.0.2.10', userAgent: 'Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36' };
    const { grant, source } = await bound(account, phone);
    const on4g = { ...source, ip: '100.64.7.9' };
    await expect(resolveSession(f.access, grant.token, on4g)).resolves.toMatchObject({ role: 'job_seeker' });
    expect((await securityEventsOf(f.store.db, account.id, 1))[0]).toMatchObject({
      kind: 'session.network_changed',
      sourceIp: on4g.ip,
    });
    await expect(resolveSession(f.access, grant.token, on4g)).resolves.toBeDefined();
    await expect(resolveSession(f.access, grant.token, { ...on4g, userAgent: 'curl/8.5' })).rejects.toMatchObject({
      code: 'AUTH.SESSION_DEVICE_MISMATCH',
    });

    const desktop = { ip: '192.0.2.10', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131' };
    const pc = await bound(account, desktop);
    await expect(resolveSession(f.access, pc.grant.token, { ...pc.source, ip: '203.0.113.9' })).rejects.toMatchObject({
      code: 'AUTH.SESSION_DEVICE_MISMATCH',
    });
  });

  it('gives job seekers 15 idle minutes and 4 hours at most', async () => {
    const account = await jobSeeker();
    const grant = await createSession(f.access, account, SOURCE);
    expect(grant.expiresAt).toBe(f.clock.now() + 4 * 60 * MINUTE);
    f.clock.advance(15 * MINUTE - 1);
    await expect(resolveSession(f.access, grant.token, SOURCE)).resolves.toBeDefined();
    f.clock.advance(15 * MINUTE);
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
  });
});
