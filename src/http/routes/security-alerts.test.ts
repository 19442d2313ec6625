import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetHook } from '../../detect/budget.js';
import { createDetection } from '../../detect/detection.js';
import type { Detection } from '../../detect/detection.js';
import { createOrgWithAccount } from '../../test-support/access-fixtures.js';
import { addPeople, errorOf, readerOf } from '../../test-support/detection-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { JSON_HEADERS, openHttpFixture, signIn } from '../../test-support/http-fixtures.js';
import { DIALECTS } from '../../test-support/stores.js';

describe.each(DIALECTS)('security alert routes on %s', (dialect) => {
  let f: HttpFixture;
  let detection: Detection;
  let officerCookie = '';
  let trainerCookie = '';
  let trainerId = '';
  let alertId = '';
  let containmentId = '';

  beforeAll(async () => {
    const budget: BudgetHook = { assess: (question, q) => detection.hook.assess(question, q) }; // bound once the store exists
    f = await openHttpFixture(dialect, { budget });
    detection = createDetection({ store: f.store, clock: f.clock });
    const { app, ctx } = f;
    const gate = ctx.gate;
    const officer = await createOrgWithAccount(f.access, 'national', 'security_officer');
    const trainer = await createOrgWithAccount(f.access, 'training', 'trainer');
    const suspect = await createOrgWithAccount(f.access, 'training', 'trainer');
    officerCookie = await signIn(app, officer.login, officer.password);
    trainerCookie = await signIn(app, trainer.login, trainer.password);
    trainerId = suspect.account.id;
    const agency = await createOrgWithAccount(f.access, 'agency', 'adviser');
    const people = await addPeople(f, agency.organisationId, 2, { trainingOrg: suspect.organisationId });
    const reader = readerOf({
      id: suspect.account.id,
      role: 'trainer',
      organisationId: suspect.organisationId,
      personId: null,
    });
    detection.recordLookupMiss(reader, 60);
    for (let page = 1; page <= 30; page++) detection.recordListing(reader, 'trainees', page);
    expect((await errorOf(gate.disclose({ reader, purpose: 'training_followup', people })))?.code).toBe(
      'DETECT.CREDENTIAL_SUSPENDED',
    );
    await detection.flush();
  });
  afterAll(async () => {
    await detection.close();
    await f.dispose();
  });

  const get = (url: string, cookie = officerCookie) => f.app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, payload: object) =>
    f.app.inject({ method: 'POST', url, headers: { ...JSON_HEADERS, cookie: officerCookie }, payload });

  it('lists alerts for security officers only', async () => {
    expect((await get('/api/security/alerts', trainerCookie)).json().error.code).toBe('AUTH.ROLE_FORBIDDEN');
    const response = await get('/api/security/alerts?severity=high');
    expect(response.statusCode).toBe(200);
    const [alert] = response.json().alerts;
    expect(alert).toMatchObject({
      severity: 'high',
      action: 'suspend_credential',
      rule: 'risk',
      accountId: trainerId,
      deliveredAt: null,
    });
    expect(alert.details.explanation.signals.map((s: { name: string }) => s.name).sort()).toEqual([
      'failed_lookups',
      'paging',
    ]);
    alertId = alert.id;
    containmentId = alert.containmentId;
  });

  it('shows one alert with its containment', async () => {
    const response = await get(`/api/security/alerts/${alertId}`);
    expect(response.json()).toMatchObject({
      alert: { id: alertId },
      containment: { id: containmentId, kind: 'credential', status: 'active', accountId: trainerId },
    });
    expect((await get('/api/security/alerts/00000000-0000-4000-8000-000000000000')).json().error.code).toBe(
      'ALERT.NOT_FOUND',
    );
    expect((await get('/api/security/containments?status=active')).json().containments).toHaveLength(1);
  });

  it('lifts a suspension with a reason, once, and the account gets its status back', async () => {
    expect((await post(`/api/security/containments/${containmentId}/lift`, { reason: 'court' })).statusCode).toBe(400);
    const lifted = await post(`/api/security/containments/${containmentId}/lift`, {
      reason: 'Faux positif vérifié avec l’organisme',
    });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json().containment).toMatchObject({
      status: 'lifted',
      reviewReason: 'Faux positif vérifié avec l’organisme',
    });
    expect(
      (
        await post(`/api/security/containments/${containmentId}/confirm`, { reason: 'Deuxième avis sur la mesure' })
      ).json().error.code,
    ).toBe('CONTAINMENT.ALREADY_REVIEWED');
    const account = await f.store.db
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', trainerId)
      .executeTakeFirstOrThrow();
    expect(account.status).toBe('active');
    const events = await f.store.db
      .selectFrom('security_events')
      .select(['kind', 'details'])
      .where('kind', 'like', 'detect.%')
      .execute();
    expect(events.map((e) => e.kind).sort()).toEqual(['detect.containment_lifted', 'detect.credential_suspended']);
  });
});
