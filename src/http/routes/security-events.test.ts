import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobSeekerAccount } from '../../access/accounts.js';
import { authenticate } from '../../access/password-check.js';
import { recordSecurityEvent } from '../../access/security-events.js';
import { exportSecurityEvents } from '../../access/security-events-siem.js';
import { createSession } from '../../access/sessions.js';
import type { TestAccount } from '../../test-support/access-fixtures.js';
import { TEST_PASSWORD, createOrgWithAccount, createOrganisation } from '../../test-support/access-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture } from '../../test-support/http-fixtures.js';
import { clientOf, codeOf } from '../../test-support/mfa-helpers.js';
import { insertJobSeekers, sampleJobSeeker } from '../../test-support/people.js';
import { DIALECTS } from '../../test-support/stores.js';

const INJECT_SOURCE = { ip: '127.0.0.1', userAgent: 'lightMyRequest' };
const SOURCE = { ip: '198.51.100.23', userAgent: 'test' };

describe.each(DIALECTS)('security events on %s', (dialect) => {
  let f: HttpFixture;
  let officer: string;
  let adviser: TestAccount;
  let dir: string;

  beforeAll(async () => {
    f = await openHttpFixture(dialect);
    dir = mkdtempSync(join(tmpdir(), 'vigie-siem-'));
    const so = await createOrgWithAccount(f.access, 'national', 'security_officer');
    officer = `vigie_session=${(await createSession(f.access, so.account, INJECT_SOURCE, 'mfa')).token}`;
    adviser = await createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser');
    await authenticate(f.access, adviser.login, 'pas le bon mot de passe', SOURCE).catch(() => undefined);
    await authenticate(f.access, adviser.login, adviser.password, SOURCE);
  });
  afterAll(async () => {
    await f.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a security officer query by account, kind and period, newest first', async () => {
    const api = clientOf(f.app);
    const byAccount = await api.get(`/api/security/events?account=${adviser.account.id}`, officer);
    expect(byAccount.statusCode).toBe(200);
    expect(byAccount.json().events.map((e: { kind: string }) => e.kind)).toEqual([
      'auth.sign_in',
      'auth.sign_in_failed',
    ]);
    const failed = await api.get(
      `/api/security/events?kind=auth.sign_in_failed&account=${adviser.account.id}`,
      officer,
    );
    expect(failed.json().events).toHaveLength(1);
    expect(failed.json().events[0]).toMatchObject({
      accountId: adviser.account.id,
      sourceIp: SOURCE.ip,
      details: { reason: 'wrong_password', failures: 1 },
    });
    const now = new Date(f.clock.now());
    const future = await api.get(`/api/security/events?since=${new Date(now.getTime() + 1).toISOString()}`, officer);
    expect(future.json().events).toEqual([]);
    const past = await api.get(`/api/security/events?until=${now.toISOString()}`, officer);
    expect(past.json().events).toEqual([]);
    expect(codeOf(await api.get('/api/security/events?kind=made.up', officer))).toBe('REQUEST.INVALID');
  });

  it('pages by 100', async () => {
    const someone = await createOrgWithAccount(f.access, 'training', 'trainer');
    for (let i = 0; i < 150; i++)
      await recordSecurityEvent(f.store.db, {
        at: f.clock.now(),
        kind: 'auth.sign_in',
        accountId: someone.account.id,
        sourceIp: SOURCE.ip,
      });
    const api = clientOf(f.app);
    const one = (await api.get(`/api/security/events?account=${someone.account.id}`, officer)).json();
    const two = (await api.get(`/api/security/events?account=${someone.account.id}&page=2`, officer)).json();
    expect([one.events.length, one.hasMore, two.events.length, two.hasMore]).toEqual([100, true, 50, false]);
    expect(one.events[99].seq).toBeGreaterThan(two.events[0].seq);
  });

  it('is for security officers only', async () => {
    const manager = await createOrgWithAccount(f.access, 'cap_emploi', 'account_manager');
    const cookie = `vigie_session=${(await createSession(f.access, manager.account, INJECT_SOURCE, 'mfa')).token}`;
    expect(codeOf(await clientOf(f.app).get('/api/security/events', cookie))).toBe('AUTH.ROLE_FORBIDDEN');
    expect(codeOf(await clientOf(f.app).get('/api/security/events'))).toBe('AUTH.REQUIRED');
  });

  it('exports every event once, as JSON lines, without job seekers’ personal data', async () => {
    const agency = await createOrganisation(f.store.db, 'agency');
    const person = sampleJobSeeker(agency);
    await insertJobSeekers(f.store.db, f.keys, [person]);
    const identifier = person.sealed.identity.identifier;
    await createJobSeekerAccount(f.access, { personId: person.id, identifier, password: TEST_PASSWORD });
    await authenticate(f.access, identifier, 'mauvais mot de passe', SOURCE).catch(() => undefined);
    await authenticate(f.access, identifier, TEST_PASSWORD, SOURCE);
    const file = join(dir, `security-events-${dialect}.jsonl`);
    const later = f.clock.now() + 10_000;
    const total = Number(
      (
        await f.store.db
          .selectFrom('security_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(await exportSecurityEvents(f.store.db, file, later)).toBe(total);
    expect(await exportSecurityEvents(f.store.db, file, later)).toBe(0);
    await recordSecurityEvent(f.store.db, {
      at: f.clock.now(),
      kind: 'auth.sign_out',
      accountId: adviser.account.id,
      sourceIp: SOURCE.ip,
    });
    expect(await exportSecurityEvents(f.store.db, file, f.clock.now())).toBe(0); // younger than the lag
    expect(await exportSecurityEvents(f.store.db, file, later)).toBe(1);

    const text = readFileSync(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            seq: number;
            kind: string;
            timestamp: string;
            account: string | null;
            source_ip: string | null;
          },
      );
    expect(lines).toHaveLength(total + 1);
    expect(new Set(lines.map((l) => l.seq)).size).toBe(lines.length);
    expect(lines.at(-1)).toMatchObject({
      kind: 'auth.sign_out',
      account: adviser.account.id,
      source_ip: SOURCE.ip,
      timestamp: new Date(f.clock.now()).toISOString(),
    });
    const { identity, contact, address } = person.sealed;
    for (const value of [
      identifier,
      identity.lastName,
      identity.firstNames,
      contact.email,
      contact.phone,
      address.addressLine,
    ])
      expect(text).not.toContain(value);
  });

  it('resumes from the last line after a restart or a rotation', async () => {
    const file = join(dir, `rotated-${dialect}.jsonl`);
    const last = Number(
      (
        await f.store.db
          .selectFrom('security_events')
          .select((eb) => eb.fn.max('seq').as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    );
    writeFileSync(file, `${JSON.stringify({ seq: last - 2 })}\n`);
    expect(await exportSecurityEvents(f.store.db, file, f.clock.now() + 10_000)).toBe(2);
  });
});
