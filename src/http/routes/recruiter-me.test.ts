import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/stores.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';

const IDENTIFYING = /Martin|Durand|Camille|\.example|\+33639|1990-04-12|"nir"|"birthDate"|"email"|"phone"/;

describe.each(DIALECTS)('recruiter and job seeker API on %s', (dialect) => {
  let h: HttpScenario;
  let recruiter: Record<string, string>;
  let seeker5: Record<string, string>;
  beforeAll(async () => {
    h = await openHttpScenario(dialect);
    recruiter = await h.as(h.scenario.accounts.recruiter);
    seeker5 = await h.as(h.scenario.accounts.seeker5);
  });
  afterAll(() => h.dispose());

  const get = (url: string, headers: Record<string, string>) => h.app.inject({ method: 'GET', url, headers });
  const post = (url: string, headers: Record<string, string>, payload?: unknown) =>
    h.app.inject({
      method: 'POST',
      url,
      headers,
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });

  it('searches pseudonymised profiles: no name, contact, birth date or NIR', async () => {
    const page = await get('/api/recruiter/profiles?rome=M1805&departement=75&pageSize=50', recruiter);
    expect(page.statusCode).toBe(200);
    expect(page.json().total).toBe(3);
    expect(page.body).not.toMatch(IDENTIFYING);
    for (const item of page.json().items)
      expect(Object.keys(item.fields).sort()).toEqual([
        'departement',
        'drivingLicences',
        'educationLevel',
        'romeCodes',
        'vehicle',
      ]);
    const bad: Array<[string, string]> = [
      ['/api/recruiter/profiles?rome=M1805&departement=75&pageSize=51', 'REQUEST.INVALID'],
      ['/api/recruiter/profiles?rome=M1805', 'REQUEST.INVALID'],
      ['/api/recruiter/profiles?rome=1805&departement=75', 'REQUEST.INVALID'],
      ['/api/recruiter/profiles?rome=A0000&departement=75', 'ROME.INVALID'],
    ];
    for (const [url, code] of bad) expect((await get(url, recruiter)).json().error.code).toBe(code);
  });

  it('reveals the contact details only once the candidate accepts', async () => {
    const p5 = h.scenario.people.p5;
    const created = await post('/api/recruiter/contact-requests', recruiter, {
      personId: p5.id,
      romeCode: 'M1805',
      message: 'Bonjour, seriez-vous disponible pour un entretien ?',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(
      (
        await post('/api/recruiter/contact-requests', recruiter, {
          personId: p5.id,
          romeCode: 'M1805',
          message: 'Relance',
        })
      ).statusCode,
    ).toBe(409);
    const before = await get('/api/recruiter/contact-requests', recruiter);
    expect(before.json().items[0]).toMatchObject({ id, status: 'pending', candidate: null });
    expect(before.body).not.toMatch(IDENTIFYING);

    const mine = await get('/api/me/contact-requests', seeker5);
    expect(mine.json().requests).toEqual([
      expect.objectContaining({ id, employerName: 'Société Exemple SAS', status: 'pending' }),
    ]);
    expect((await post(`/api/me/contact-requests/${id}/accept`, seeker5)).json().status).toBe('accepted');
    expect((await post(`/api/me/contact-requests/${id}/accept`, seeker5)).json().error.code).toBe(
      'CONTACT_REQUEST.ALREADY_ANSWERED',
    );

    const after = await get('/api/recruiter/contact-requests', recruiter);
    expect(after.json().items[0].candidate.fields).toMatchObject({ lastName: 'Martin5', email: p5.email });
    expect(after.json().items[0].candidate.fields).not.toHaveProperty('nir');
  });

  it('keeps a job seeker to their own data', async () => {
    const seeker1 = await h.as(h.scenario.accounts.seeker1);
    const me = await get('/api/me', seeker1);
    expect(me.json().id).toBe(h.scenario.people.p1.id);
    expect((await get('/api/me/trainings', seeker1)).json().trainings).toHaveLength(1);
    expect((await get('/api/me/trainings', seeker5)).json().trainings).toHaveLength(0);
    const [request] = (await get('/api/recruiter/contact-requests', recruiter)).json().items;
    const foreign = await post(`/api/me/contact-requests/${request.id}/decline`, seeker1);
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'CONTACT_REQUEST.NOT_FOUND']);
    for (const url of [
      `/api/adviser/people/${h.scenario.people.p5.id}`,
      `/api/partner/files/${h.scenario.people.p5.id}`,
      `/api/training/trainees/${h.scenario.people.p5.id}`,
      '/api/recruiter/profiles?rome=M1805&departement=75',
    ]) {
      expect((await get(url, seeker1)).statusCode, url).toBe(403);
    }
    expect((await post('/api/me/contact-requests/nope/accept', seeker1)).json().error.code).toBe('REQUEST.INVALID');
  });

  it('validates contact updates with stable codes, never half-applied', async () => {
    const patch = (payload: unknown) =>
      h.app.inject({ method: 'PATCH', url: '/api/me/contact', headers: seeker5, payload: JSON.stringify(payload) });
    const before = await h.store.db
      .selectFrom('people')
      .select(['s_contact', 's_address', 'bi_email', 'departement'])
      .where('id', '=', h.scenario.people.p5.id)
      .executeTakeFirstOrThrow();
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'CONTACT.NOTHING_TO_UPDATE'],
      [{ contact: { email: 'x' } }, 400, 'REQUEST.INVALID'],
      [{ contact: { email: 'pas une adresse', phone: null } }, 400, 'CONTACT.INVALID_EMAIL'],
      [{ contact: { email: null, phone: 'abc' } }, 400, 'CONTACT.INVALID_PHONE'],
      [{ address: { addressLine: '1 rue X', postalCode: '7501', communeInsee: '75111' } }, 400, 'REQUEST.INVALID'],
      [
        { address: { addressLine: '1 rue X', postalCode: '69003', communeInsee: '75111' } },
        400,
        'COMMUNE.POSTAL_CODE_MISMATCH',
      ],
      [
        {
          contact: { email: 'nouvelle@adresse.example', phone: null },
          address: { addressLine: '1 rue X', postalCode: '69003', communeInsee: '75111' },
        },
        400,
        'COMMUNE.POSTAL_CODE_MISMATCH',
      ],
    ];
    for (const [payload, status, code] of cases) {
      const response = await patch(payload);
      expect([response.statusCode, response.json().error.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    const after = await h.store.db
      .selectFrom('people')
      .select(['s_contact', 's_address', 'bi_email', 'departement'])
      .where('id', '=', h.scenario.people.p5.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('updates contact details and address end to end: re-sealed under the same key, shown back through the gate', async () => {
    const p5 = h.scenario.people.p5;
    const before = await h.store.db
      .selectFrom('people')
      .select(['wrapped_key', 's_contact', 's_identity'])
      .where('id', '=', p5.id)
      .executeTakeFirstOrThrow();
    const response = await h.app.inject({
      method: 'PATCH',
      url: '/api/me/contact',
      headers: seeker5,
      payload: JSON.stringify({
        contact: { email: 'nouveau@messagerie.example', phone: '06 39 98 12 34' },
        address: { addressLine: '3 place Bellecour', postalCode: '69002', communeInsee: '69382' },
      }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().fields).toMatchObject({
      email: 'nouveau@messagerie.example',
      addressLine: '3 place Bellecour',
      postalCode: '69002',
      departement: '69',
      lastName: 'Martin5',
    });
    const after = await h.store.db
      .selectFrom('people')
      .select(['wrapped_key', 's_contact', 's_identity', 'departement'])
      .where('id', '=', p5.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.compare(after.wrapped_key!, before.wrapped_key!)).toBe(0);
    expect(Buffer.compare(after.s_identity!, before.s_identity!)).toBe(0);
    expect(Buffer.compare(after.s_contact!, before.s_contact!)).not.toBe(0);
    expect(after.departement).toBe('69');
    const mine = await h.app.inject({ method: 'GET', url: '/api/me', headers: seeker5 });
    expect(mine.json().fields.email).toBe('nouveau@messagerie.example');
  });
});
