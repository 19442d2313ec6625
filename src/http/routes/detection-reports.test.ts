/**
 * The HTTP layer tells detection what the gate cannot see: list pages (sequential, exhaustive
 * paging) and lookups that found nobody (enumeration). Real detection engine, real routes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionsOf } from '../../detect/decisions.js';
import { createOrgWithAccount } from '../../test-support/access-fixtures.js';
import { addPeople } from '../../test-support/detection-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture, signIn } from '../../test-support/http-fixtures.js';
import { DIALECTS } from '../../test-support/stores.js';

describe.each(DIALECTS)('behaviour reported to detection over HTTP on %s', (dialect) => {
  let f: HttpFixture;

  beforeAll(async () => {
    f = await openHttpFixture(dialect, { detection: true });
  });
  afterAll(() => f.dispose());

  const get = (url: string, cookie: string) => f.app.inject({ method: 'GET', url, headers: { cookie } });

  async function adviserWithPortfolio() {
    const adviser = await createOrgWithAccount(f.access, 'agency', 'adviser');
    const people = await addPeople(f, adviser.organisationId, 3, { adviserId: adviser.account.id });
    return { adviser, people, cookie: await signIn(f.app, adviser.login, adviser.password) };
  }

  it('lets an adviser who pages normally and opens their files work', async () => {
    const { people, cookie } = await adviserWithPortfolio();
    expect((await get('/api/adviser/portfolio?page=1', cookie)).statusCode).toBe(200);
    expect((await get(`/api/adviser/people/${people[0]}?purpose=portfolio_followup`, cookie)).statusCode).toBe(200);
  });

  it('counts the lookups that found nobody and the pages read, and contains the credential that enumerates and pages', async () => {
    const { adviser, people, cookie } = await adviserWithPortfolio();
    for (let i = 0; i < 60; i++) {
      const miss = await get(`/api/adviser/people/${randomUUID()}?purpose=portfolio_followup`, cookie);
      expect(miss.json().error.code).toBe('PERSON.NOT_FOUND');
    }
    for (let page = 1; page <= 30; page++)
      expect((await get(`/api/adviser/portfolio?page=${page}&pageSize=1`, cookie)).statusCode).toBe(200);
    const read = await get(`/api/adviser/people/${people[0]}?purpose=portfolio_followup`, cookie);
    expect(read.statusCode).not.toBe(200);
    expect(read.json().error.code).toMatch(/^(DETECT\.|AUTH\.STEP_UP)/);
    await f.ctx.detection?.flush();
    const [decision] = await decisionsOf(f.store.db, adviser.account.id);
    const signals = (decision?.details as { signals?: { name: string; value: unknown }[] } | undefined)?.signals ?? [];
    expect(signals.map((s) => s.name)).toEqual(expect.arrayContaining(['failed_lookups', 'paging']));
    // Each miss counted once: the gate's, not again by the HTTP layer.
    expect(signals.find((s) => s.name === 'failed_lookups')?.value).toBe(60);
  });

  it('counts lookups by identifier that found nobody, which never reach the gate', async () => {
    const { adviser, people, cookie } = await adviserWithPortfolio();
    const reason = 'Appel du demandeur à l’accueil';
    for (let i = 0; i < 60; i++) {
      const identifier = `${String(1_000_000 + i * 7919).padStart(7, '0')}Z`;
      const miss = await get(
        `/api/adviser/lookup?identifier=${identifier}&reason=${encodeURIComponent(reason)}`,
        cookie,
      );
      expect(miss.json().error.code).toBe('PERSON.NOT_FOUND');
    }
    for (let page = 1; page <= 30; page++) await get(`/api/adviser/portfolio?page=${page}&pageSize=1`, cookie);
    expect((await get(`/api/adviser/people/${people[0]}?purpose=portfolio_followup`, cookie)).statusCode).not.toBe(200);
    await f.ctx.detection?.flush();
    const [decision] = await decisionsOf(f.store.db, adviser.account.id);
    const signals = (decision?.details as { signals?: { name: string; value: unknown }[] } | undefined)?.signals ?? [];
    expect(signals.find((s) => s.name === 'failed_lookups')?.value).toBe(60);
  });
});
