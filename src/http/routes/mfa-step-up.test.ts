import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetHook } from '../../detect/budget.js';
import { AppError } from '../../domain/errors.js';
import { passkeyOf, signIn } from '../../test-support/http-fixtures.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { clientOf, codeOf } from '../../test-support/mfa-helpers.js';
import { SCENARIO_PASSWORD } from '../../test-support/scenario.js';
import { DIALECTS } from '../../test-support/stores.js';

const FRESH_MS = 5 * 60_000;

/** What detection does when a risky read comes from a session whose second factor is not fresh. */
const demandFreshFactor: BudgetHook = {
  assess: async ({ reader, now }) => {
    const fresh = reader.assurance === 'mfa' && typeof reader.mfaAt === 'number' && now - reader.mfaAt < FRESH_MS;
    if (fresh) return { action: 'allow' };
    return {
      action: 'refuse',
      error: new AppError(
        'AUTH.STEP_UP_REQUIRED',
        'step_up',
        'Confirmez votre identité avec votre second facteur pour continuer.',
      ),
    };
  },
};

describe.each(DIALECTS)('step-up demanded by the budget step on %s', (dialect) => {
  let h: HttpScenario;
  beforeAll(async () => {
    h = await openHttpScenario(dialect, { budget: demandFreshFactor });
  });
  afterAll(() => h.dispose());

  const c = () => clientOf(h.app);
  const disclosures = async () =>
    (
      await h.store.db
        .selectFrom('disclosures')
        .select('seq')
        .where('reader_id', '=', h.scenario.accounts.adviser1.id)
        .execute()
    ).length;

  it('refuses with 401 AUTH.STEP_UP_REQUIRED once the factor is stale, and passes after POST /api/auth/step-up', async () => {
    const adviser = h.scenario.accounts.adviser1;
    const cookie = await signIn(h.app, adviser.login, SCENARIO_PASSWORD);
    expect((await c().get('/api/adviser/portfolio', cookie)).statusCode).toBe(200);
    const before = await disclosures();
    h.clock.advance(FRESH_MS + 1);
    const refused = await c().get('/api/adviser/portfolio', cookie);
    expect([refused.statusCode, codeOf(refused)]).toEqual([401, 'AUTH.STEP_UP_REQUIRED']);
    expect(refused.json().error.message).toMatch(/second facteur/);
    expect(await disclosures()).toBe(before); // refused before anything was read or recorded

    const { options } = (await c().post('/api/auth/step-up/options', cookie)).json() as {
      options: { challenge: string };
    };
    const assertion = passkeyOf(h.app, adviser.login)!.authenticate(options);
    const stepped = await c().post('/api/auth/step-up', cookie, { method: 'webauthn', credential: assertion });
    expect(stepped.json()).toMatchObject({
      session: { assurance: 'mfa', mfaAt: new Date(h.clock.now()).toISOString() },
    });
    expect(codeOf(await c().post('/api/auth/step-up', cookie, { method: 'webauthn', credential: assertion }))).toBe(
      'MFA.INVALID',
    ); // challenge used
    const allowed = await c().get('/api/adviser/portfolio', cookie);
    expect(allowed.statusCode).toBe(200);
    expect(await disclosures()).toBeGreaterThan(before);
  });

  it('a step-up needs a factor of this account: another account’s passkey is refused', async () => {
    const adviser = h.scenario.accounts.adviser1;
    const other = h.scenario.accounts.adviser2;
    const cookie = await signIn(h.app, adviser.login, SCENARIO_PASSWORD);
    await signIn(h.app, other.login, SCENARIO_PASSWORD);
    const { options } = (await c().post('/api/auth/step-up/options', cookie)).json() as {
      options: { challenge: string };
    };
    const foreign = passkeyOf(h.app, other.login)!.authenticate(options);
    expect(codeOf(await c().post('/api/auth/step-up', cookie, { method: 'webauthn', credential: foreign }))).toBe(
      'MFA.INVALID',
    );
  });
});
