/**
 * Scenario 4 of THREATS.md (Oct 2025): credential stuffing across 1,000 accounts with common
 * passwords from 5 addresses, then a distributed guess at one account. The throttle must stop each
 * address early (before argon2), the per-account lockout must hold, and no session with MFA
 * assurance may come out of a password alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILED_SIGN_INS } from '../access/password-check.js';
import { hashPassword, rehashPassword } from '../access/passwords.js';
import type { AccountRow } from '../access/accounts.js';
import { TEST_START, createOrgWithAccount, createOrganisation } from '../test-support/access-fixtures.js';
import type { HttpFixture } from '../test-support/http-fixtures.js';
import { JSON_HEADERS, openHttpFixture } from '../test-support/http-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { blindIndex } from '../vault/index.js';

const ACCOUNTS = 1_000;
const COMMON = ['azerty123456', 'motdepasse123', 'soleil2024!!'];
const WEAK = 'motdepasse123'; // some victims really use it
const ADDRESSES = ['198.51.100.7', '203.0.113.9', '192.0.2.44', '100.64.1.1', '2001:db8:1::5'];
const ADDRESS_LIMIT = 20;
/** 3,000 sequential sign-ins, about 100 of them verified by argon2: minutes on a shared 2-core machine under load. */
const STUFFING_TIMEOUT_MS = 240_000;

describe.each(DIALECTS)('credential stuffing on %s', (dialect) => {
  let f: HttpFixture;
  const logins: string[] = [];

  beforeAll(async () => {
    f = await openHttpFixture(dialect);
    const organisationId = await createOrganisation(f.store.db, 'mission_locale');
    const strong = await hashPassword('une phrase de passe vraiment longue');
    const weak = await rehashPassword(WEAK); // predates the policy that would refuse it now
    const rows: AccountRow[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = `conseiller${i}@ml-stuffing.fr`;
      logins.push(email);
      rows.push({
        id: randomUUID(),
        organisation_id: organisationId,
        person_id: null,
        role: 'partner_adviser',
        login_index: blindIndex(f.keys, 'login', email),
        display_name: `C ${i}`,
        email,
        password_hash: i % 100 === 37 ? weak : strong,
        status: 'active',
        created_by: null,
        approved_by: null,
        created_at: TEST_START,
        last_login_at: null,
        failed_logins: 0,
        locked_until: null,
      });
    }
    for (let i = 0; i < rows.length; i += 200)
      await f.store.db
        .insertInto('accounts')
        .values(rows.slice(i, i + 200))
        .execute();
  });
  afterAll(async () => f.dispose());

  const attempt = (login: string, password: string, ip: string) =>
    f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: JSON_HEADERS,
      payload: { login, password },
      remoteAddress: ip,
    });

  it(
    'stops each address after 20 failures, before argon2, and never yields an MFA session',
    async () => {
      const perAddress = new Map<string, { verified: number; throttled: number; signedIn: number }>(
        ADDRESSES.map((a) => [a, { verified: 0, throttled: 0, signedIn: 0 }]),
      );
      let n = 0;
      for (const password of COMMON) {
        for (const login of logins) {
          const ip = ADDRESSES[n++ % ADDRESSES.length]!;
          const r = await attempt(login, password, ip);
          const tally = perAddress.get(ip)!;
          if (r.statusCode === 429) {
            expect(r.json().error.code).toBe('AUTH.TOO_MANY_ATTEMPTS');
            expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
            tally.throttled++;
          } else if (r.statusCode === 200) tally.signedIn++;
          else {
            expect(r.json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
            tally.verified++;
          }
        }
      }
      for (const tally of perAddress.values()) {
        expect(tally.verified + tally.signedIn).toBeLessThanOrEqual(ADDRESS_LIMIT);
        expect(tally.throttled).toBeGreaterThanOrEqual((COMMON.length * ACCOUNTS) / ADDRESSES.length - ADDRESS_LIMIT);
      }
      const failures = await f.store.db
        .selectFrom('security_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'auth.sign_in_failed')
        .executeTakeFirstOrThrow();
      const verified = [...perAddress.values()].reduce((sum, t) => sum + t.verified, 0);
      expect(Number(failures.n)).toBe(verified); // a throttled attempt never reached the account lookup nor argon2
      const mfaSessions = await f.store.db
        .selectFrom('sessions')
        .select('id_hash')
        .where('assurance', '=', 'mfa')
        .execute();
      expect(mfaSessions).toHaveLength(0);
      const throttled = await f.store.db
        .selectFrom('security_events')
        .select(['source_ip', 'details'])
        .where('kind', '=', 'auth.throttled')
        .execute();
      expect(throttled.map((e) => e.source_ip).sort()).toEqual([...ADDRESSES].sort());
    },
    STUFFING_TIMEOUT_MS,
  );

  it('locks an account guessed from many networks after 10 failures, even for the right password next', async () => {
    const victim = await createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser');
    for (let i = 0; i < MAX_FAILED_SIGN_INS + 2; i++) {
      const r = await attempt(victim.login, `${COMMON[i % COMMON.length]}-${i}`, `10.${i}.0.1`);
      expect(r.statusCode).toBe(401);
    }
    const right = await attempt(victim.login, victim.password, '10.99.0.1');
    expect(right.statusCode).toBe(401);
    expect(right.json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
    const kinds = await f.store.db
      .selectFrom('security_events')
      .select('kind')
      .where('account_id', '=', victim.account.id)
      .execute();
    expect(kinds.map((k) => k.kind)).toContain('auth.locked_out');
  });

  it('answers an unknown login and a wrong password alike, throttled or not', async () => {
    const a = await createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser');
    const strip = (body: { error: Record<string, unknown> }) => ({ ...body.error, requestId: undefined });
    const unknown = await attempt('personne@nulle-part.fr', 'x', '192.0.2.200');
    const wrong = await attempt(a.login, 'x', '192.0.2.201');
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    const throttledUnknown = await attempt('personne@nulle-part.fr', 'x', ADDRESSES[0]!);
    const throttledWrong = await attempt(a.login, 'x', ADDRESSES[0]!);
    expect(throttledUnknown.statusCode).toBe(429);
    expect(strip(throttledUnknown.json())).toEqual(strip(throttledWrong.json()));
  });
});
