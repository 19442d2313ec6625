/**
 * The scenario of scenario.ts behind a real HTTP app (real gate, real sessions): sign in as any of
 * its accounts with the scenario password and drive the API with `app.inject()`.
 */
import type { HttpFixture, HttpFixtureOptions } from './http-fixtures.js';
import { JSON_HEADERS, openHttpFixture, signIn } from './http-fixtures.js';
import type { Scenario, ScenarioAccount } from './scenario.js';
import { buildScenario, SCENARIO_NOW, SCENARIO_PASSWORD } from './scenario.js';
import type { DialectName } from './stores.js';

export interface HttpScenario extends HttpFixture {
  readonly scenario: Scenario;
  /** Signs in through the API; returns the headers to send (cookie, and JSON for writes). */
  as(account: ScenarioAccount): Promise<Record<string, string>>;
}

export async function openHttpScenario(
  dialect: DialectName,
  options: HttpFixtureOptions = {},
  seed = 'vigie',
): Promise<HttpScenario> {
  const fixture = await openHttpFixture(dialect, options);
  fixture.clock.set(SCENARIO_NOW);
  const scenario = await buildScenario(fixture.store.db, fixture.keys, seed);
  const as = async (account: ScenarioAccount) => ({
    ...JSON_HEADERS,
    cookie: await signIn(fixture.app, account.login, SCENARIO_PASSWORD),
  });
  return { ...fixture, scenario, as };
}
