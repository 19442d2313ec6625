import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../domain/errors.js';
import type { AccessFixture, TestAccount } from '../test-support/access-fixtures.js';
import { createOrgWithAccount, openAccessFixture } from '../test-support/access-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { LOCK_DURATION_MS, MAX_FAILED_SIGN_INS, authenticate } from './password-check.js';
import { securityEventsOf } from './security-events.js';

const SOURCE = { ip: '203.0.113.7', userAgent: 'test' };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe.each(DIALECTS)('authenticate on %s', (dialect) => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture(dialect);
  });
  afterAll(async () => f.dispose());

  const newAccount = (): Promise<TestAccount> => createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser');

  it('signs in with the right password, resets the failure count and records the sign-in', async () => {
    const a = await newAccount();
    await failure(authenticate(f.access, a.login, 'not the password', SOURCE));
    const account = await authenticate(f.access, a.login.toUpperCase(), a.password, SOURCE);
    expect(account).toMatchObject({ id: a.account.id, lastLoginAt: f.clock.now() });
    const row = await f.store.db
      .selectFrom('accounts')
      .select('failed_logins')
      .where('id', '=', a.account.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.failed_logins)).toBe(0);
    expect((await securityEventsOf(f.store.db, a.account.id)).map((e) => e.kind)).toEqual([
      'auth.sign_in',
      'auth.sign_in_failed',
    ]);
  });

  it('answers an unknown login and a wrong password identically', async () => {
    const a = await newAccount();
    const unknown = await failure(authenticate(f.access, 'personne@nulle-part.fr', a.password, SOURCE));
    const wrong = await failure(authenticate(f.access, a.login, 'not the password', SOURCE));
    const junk = await failure(authenticate(f.access, '@@@', a.password, SOURCE));
    for (const e of [unknown, wrong, junk]) {
      expect({ code: e.code, kind: e.kind, message: e.message, details: e.details }).toEqual({
        code: 'AUTH.INVALID_CREDENTIALS',
        kind: 'unauthenticated',
        message: 'Identifiant ou mot de passe incorrect.',
        details: undefined,
      });
    }
    const anonymous = await f.store.db
      .selectFrom('security_events')
      .select(['details'])
      .where('account_id', 'is', null)
      .where('kind', '=', 'auth.sign_in_failed')
      .execute();
    expect(anonymous.length).toBeGreaterThan(0);
    expect(JSON.stringify(anonymous)).not.toContain('nulle-part');
  });

  it('takes about as long for an unknown login as for a wrong password', async () => {
    const a = await newAccount();
    const time = async (login: string) => {
      const t = performance.now();
      await failure(authenticate(f.access, login, 'not the password', SOURCE));
      return performance.now() - t;
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    await time('warm-up@nulle-part.fr');
    for (let i = 0; i < 5; i++) {
      unknown.push(await time(`inconnu${i}@nulle-part.fr`));
      wrong.push(await time(a.login));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[2]!;
    const ratio = median(unknown) / median(wrong);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('locks after 10 consecutive failures for 15 minutes, even against the right password', async () => {
    const a = await newAccount();
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      expect((await failure(authenticate(f.access, a.login, `wrong ${i}`, SOURCE))).code).toBe(
        'AUTH.INVALID_CREDENTIALS',
      );
    }
    const locked = await failure(authenticate(f.access, a.login, a.password, SOURCE));
    expect(locked.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect(locked.message).toBe('Identifiant ou mot de passe incorrect.');
    const kinds = (await securityEventsOf(f.store.db, a.account.id)).map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['auth.sign_in_while_locked', 'auth.locked_out']);
    expect(kinds.filter((k) => k === 'auth.sign_in_failed')).toHaveLength(MAX_FAILED_SIGN_INS - 1);

    f.clock.advance(LOCK_DURATION_MS - 1);
    expect((await failure(authenticate(f.access, a.login, a.password, SOURCE))).code).toBe('AUTH.INVALID_CREDENTIALS');
    f.clock.advance(1);
    expect((await authenticate(f.access, a.login, a.password, SOURCE)).id).toBe(a.account.id);
  });

  it('does not lock on 9 failures followed by a success', async () => {
    const a = await newAccount();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++)
        await failure(authenticate(f.access, a.login, `wrong ${i}`, SOURCE));
      expect((await authenticate(f.access, a.login, a.password, SOURCE)).id).toBe(a.account.id);
    }
  });

  it('refuses a disabled or suspended account with the same answer', async () => {
    const a = await newAccount();
    await f.store.db.updateTable('accounts').set({ status: 'suspended' }).where('id', '=', a.account.id).execute();
    const e = await failure(authenticate(f.access, a.login, a.password, SOURCE));
    expect(e.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect((await securityEventsOf(f.store.db, a.account.id))[0]?.details).toMatchObject({
      reason: 'status_suspended',
    });
  });
});
