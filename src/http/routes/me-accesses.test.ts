/**
 * A job seeker sees who looked at their file: when, which organisation and role (never the agent),
 * for what purpose, which fields, and the stated reason; no one else's accesses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { DIALECTS } from '../../test-support/stores.js';

describe.each(DIALECTS)('my file’s access history on %s', (dialect) => {
  let h: HttpScenario;
  let seeker: Record<string, string>;
  let trainer: Record<string, string>;
  let adviser: Record<string, string>;

  beforeAll(async () => {
    h = await openHttpScenario(dialect);
    seeker = await h.as(h.scenario.accounts.seeker1);
    trainer = await h.as(h.scenario.accounts.trainer);
    adviser = await h.as(h.scenario.accounts.adviser1);
  });
  afterAll(() => h.dispose());

  const get = (url: string, headers: Record<string, string>) => h.app.inject({ method: 'GET', url, headers });

  it('lists each read of my file, newest first, in words, without naming the agent', async () => {
    const p1 = h.scenario.people.p1;
    expect((await get(`/api/training/trainees/${p1.id}`, trainer)).statusCode).toBe(200);
    h.clock.advance(60_000);
    const reason = 'Rendez-vous téléphonique du jour';
    expect(
      (await get(`/api/adviser/people/${p1.id}?purpose=agency_lookup&reason=${encodeURIComponent(reason)}`, adviser))
        .statusCode,
    ).toBe(200);
    h.clock.advance(60_000);
    const page = (await get('/api/me/accesses?pageSize=50', seeker)).json();
    const [lookup, training] = page.items.filter((a: { self: boolean; who: string }) => a.who !== 'vous-même');
    expect(lookup).toMatchObject({
      purposeCode: 'agency_lookup',
      purpose: "Consultation d'un dossier de l'agence",
      reason,
      who: expect.stringMatching(/, conseiller France Travail$/),
    });
    expect(lookup.fields).toContain('nom d’usage');
    expect(training).toMatchObject({
      purposeCode: 'training_followup',
      reason: null,
      who: expect.stringMatching(/, organisme de formation$/),
    });
    expect(training.fieldCodes).not.toContain('nir');
    expect(Date.parse(lookup.at)).toBeGreaterThan(Date.parse(training.at));
    const body = JSON.stringify(page);
    expect(body).not.toContain(h.scenario.accounts.adviser1.id);
    expect(body).not.toContain(h.scenario.accounts.adviser1.login);
    expect(page.total).toBeGreaterThanOrEqual(2);
  });

  it('shows my own reads as mine, and nobody else’s file', async () => {
    expect((await get('/api/me', seeker)).statusCode).toBe(200);
    const items = (await get('/api/me/accesses', seeker)).json().items as { who: string; purposeCode: string }[];
    expect(items[0]).toMatchObject({ who: 'vous-même', purposeCode: 'self_service' });
    const other = await h.as(h.scenario.accounts.seeker5);
    const theirs = (await get('/api/me/accesses?pageSize=50', other)).json().items as { who: string }[];
    expect(theirs.every((a) => a.who === 'vous-même')).toBe(true);
  });

  it('is for job seekers only, and pages with limits', async () => {
    expect((await get('/api/me/accesses', trainer)).json().error.code).toBe('AUTH.ROLE_FORBIDDEN');
    expect((await get('/api/me/accesses?pageSize=500', seeker)).json().error.code).toBe('REQUEST.INVALID');
  });
});
