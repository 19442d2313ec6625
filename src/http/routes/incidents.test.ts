import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistContainment } from '../../detect/containment.js';
import { createOrgWithAccount } from '../../test-support/access-fixtures.js';
import { addPeople, readerOf } from '../../test-support/detection-fixtures.js';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { JSON_HEADERS, openHttpFixture, signIn } from '../../test-support/http-fixtures.js';
import { DIALECTS } from '../../test-support/stores.js';

describe.each(DIALECTS)('incident routes on %s', (dialect) => {
  let f: HttpFixture;
  let officer = '';
  let trainerCookie = '';
  let suspectId = '';
  let suspectOrg = '';
  let people: string[] = [];

  beforeAll(async () => {
    f = await openHttpFixture(dialect);
    const o = await createOrgWithAccount(f.access, 'national', 'security_officer');
    const trainer = await createOrgWithAccount(f.access, 'training', 'trainer');
    const suspect = await createOrgWithAccount(f.access, 'training', 'trainer');
    officer = await signIn(f.app, o.login, o.password);
    trainerCookie = await signIn(f.app, trainer.login, trainer.password);
    [suspectId, suspectOrg] = [suspect.account.id, suspect.organisationId];
    const agency = await createOrgWithAccount(f.access, 'agency', 'adviser');
    people = await addPeople(f, agency.organisationId, 4, { trainingOrg: suspect.organisationId });
    const reader = readerOf({ id: suspectId, role: 'trainer', organisationId: suspectOrg, personId: null });
    await f.ctx.gate.disclose({ reader, purpose: 'training_contact', people: people.slice(0, 3) });
    f.clock.advance(60_000);
  });
  afterAll(() => f.dispose());

  const call = (method: 'GET' | 'POST', url: string, payload?: object, cookie = officer) =>
    f.app.inject({ method, url, headers: { ...JSON_HEADERS, cookie }, ...(payload ? { payload } : {}) });
  const from = () => new Date(f.clock.now() - 86_400_000).toISOString();

  it('opens, scopes, names the people (recorded) and closes an incident', async () => {
    const opened = await call('POST', '/api/incidents', {
      title: 'Identifiant d’organisme de formation volé',
      from: from(),
      credentials: [{ accountId: suspectId }],
    });
    expect(opened.statusCode).toBe(201);
    const { incident } = opened.json();
    expect(incident).toMatchObject({
      status: 'open',
      source: { kind: 'manual' },
      reference: expect.stringMatching(/^VIG-\d{4}-0001$/),
    });
    expect(incident.clock.remainingMinutes).toBe(72 * 60);

    const scoped = await call('POST', `/api/incidents/${incident.id}/scope`);
    expect(scoped.statusCode).toBe(200);
    expect(scoped.json().scope).toMatchObject({ number: 1, people: 3, identifyingPeople: 3, rows: 3 });
    expect(scoped.json().scope.byCategory).toMatchObject({ identity: 3, email: 3, phone: 3, nir: 0 });

    const listed = await call('GET', `/api/incidents/${incident.id}/people?limit=2`);
    expect(listed.statusCode).toBe(200);
    const page = listed.json();
    expect(page.people).toHaveLength(2);
    expect(page.people[0].name.lastName).toMatch(/^Testnom/);
    expect(page.people[0].fields).toEqual(expect.arrayContaining(['email', 'phone', 'lastName']));
    const recorded = await f.store.db
      .selectFrom('disclosures')
      .select('person_id')
      .where('purpose', '=', 'breach_response')
      .execute();
    expect(recorded.map((r) => r.person_id).sort()).toEqual(
      page.people.map((p: { personId: string }) => p.personId).sort(),
    );

    const shown = (await call('GET', `/api/incidents/${incident.id}`)).json();
    expect(shown.incident.status).toBe('scoped');
    expect(shown.events.map((e: { action: string }) => e.action)).toEqual(['opened', 'scoped', 'people_read']);
    const kinds = await f.store.db
      .selectFrom('security_events')
      .select('kind')
      .where('kind', 'like', 'incident.%')
      .orderBy('seq')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['incident.opened', 'incident.scoped', 'incident.people_read']);

    expect((await call('POST', `/api/incidents/${incident.id}/close`, { reason: 'court' })).statusCode).toBe(400);
    const closed = await call('POST', `/api/incidents/${incident.id}/close`, {
      reason: 'Personnes informées, CNIL notifiée.',
    });
    expect(closed.json().incident.status).toBe('closed');
    const again = await call('POST', `/api/incidents/${incident.id}/scope`);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'INCIDENT.CLOSED']);
    // Closed: the gate no longer names anyone in it.
    const after = (await call('GET', `/api/incidents/${incident.id}/people`)).json();
    expect(after.people.every((p: { name: unknown }) => p.name === null)).toBe(true);
  });

  it('opens an incident from a containment with its credential and a 30-day window', async () => {
    const containmentId = randomUUID();
    await persistContainment(f.store.db, {
      id: containmentId,
      at: f.clock.now(),
      kind: 'credential',
      accountId: suspectId,
      organisationId: suspectOrg,
      sessionRef: null,
      sourceIp: null,
      rule: 'risk',
      alertId: null,
    });
    const opened = await call('POST', '/api/incidents', { title: 'Suspension automatique confirmée', containmentId });
    expect(opened.statusCode).toBe(201);
    const { incident } = opened.json();
    expect(incident.source).toEqual({ kind: 'containment', id: containmentId });
    expect(incident.credentials).toEqual([{ kind: 'account', accountId: suspectId, sessionRef: null }]);
    expect(Date.parse(incident.clock.awareAt) - Date.parse(incident.window.from)).toBe(30 * 86_400_000);
  });

  it('answers bad input and strangers with stable codes', async () => {
    const cases: Array<[object, number, string]> = [
      [{ title: 'Sans critère', from: from() }, 400, 'INCIDENT.NO_CRITERIA'],
      [
        { title: 'Compte inconnu', from: from(), credentials: [{ accountId: randomUUID() }] },
        400,
        'INCIDENT.ACCOUNT_UNKNOWN',
      ],
      [
        { title: 'Futur', from: new Date(f.clock.now() + 86_400_000).toISOString(), organisationId: suspectOrg },
        400,
        'INCIDENT.WINDOW_INVALID',
      ],
      [{ title: 'Alerte inconnue', alertId: randomUUID() }, 404, 'INCIDENT.SOURCE_NOT_FOUND'],
      [{ title: 'x', from: from(), organisationId: suspectOrg }, 400, 'REQUEST.INVALID'],
    ];
    for (const [payload, status, code] of cases) {
      const r = await call('POST', '/api/incidents', payload);
      expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
    }
    expect((await call('GET', `/api/incidents/${randomUUID()}`)).json().error.code).toBe('INCIDENT.NOT_FOUND');
    expect((await call('GET', '/api/incidents', undefined, trainerCookie)).json().error.code).toBe(
      'AUTH.ROLE_FORBIDDEN',
    );
  });
});
