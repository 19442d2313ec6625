import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/stores.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';

const REASON = encodeURIComponent('Appel de la personne à l’accueil');

describe.each(DIALECTS)('adviser, partner and catalogue API on %s', (dialect) => {
  let h: HttpScenario;
  let adviser: Record<string, string>;
  beforeAll(async () => {
    h = await openHttpScenario(dialect);
    adviser = await h.as(h.scenario.accounts.adviser1);
  });
  afterAll(() => h.dispose());

  const get = (url: string, headers = adviser) => h.app.inject({ method: 'GET', url, headers });
  const codeOf = async (url: string, headers = adviser) => {
    const response = await get(url, headers);
    return [response.statusCode, response.json().error?.code ?? 'ok'];
  };

  it('pages through my portfolio', async () => {
    const page = await get('/api/adviser/portfolio?page=1&pageSize=50');
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ page: 1, pageSize: 50, total: 2 });
    expect(
      page
        .json()
        .items.map((p: { fields: { lastName: string } }) => p.fields.lastName)
        .sort(),
    ).toEqual(['Martin1', 'Martin2']);
    expect(page.body).not.toContain('"nir"');
    expect(await codeOf('/api/adviser/portfolio?pageSize=51')).toEqual([400, 'REQUEST.INVALID']);
    expect(await codeOf('/api/adviser/portfolio?page=abc')).toEqual([400, 'REQUEST.INVALID']);
  });

  it('opens a person of my agency only with a reason, and finds one by identifier', async () => {
    const { p3, p5, p6 } = h.scenario.people;
    expect(await codeOf(`/api/adviser/people/${p3.id}`)).toEqual([404, 'PERSON.NOT_FOUND']);
    expect(await codeOf(`/api/adviser/people/${p3.id}?purpose=agency_lookup`)).toEqual([
      400,
      'DISCLOSURE.REASON_REQUIRED',
    ]);
    const p3File = await get(`/api/adviser/people/${p3.id}?purpose=agency_lookup&reason=${REASON}`);
    expect(p3File.json().fields.lastName).toBe('Martin3');
    const found = await get(`/api/adviser/lookup?identifier=${p5.identifier}&reason=${REASON}`);
    expect(found.json().id).toBe(p5.id);
    expect(await codeOf(`/api/adviser/lookup?identifier=${p6.identifier}&reason=${REASON}`)).toEqual([
      404,
      'PERSON.NOT_FOUND',
    ]);
    expect(await codeOf(`/api/adviser/lookup?identifier=abc&reason=${REASON}`)).toEqual([400, 'IDENTIFIER.INVALID']);
    expect(await codeOf(`/api/adviser/lookup?identifier=${p5.identifier}`)).toEqual([400, 'REQUEST.INVALID']);
    expect(await codeOf('/api/adviser/people/not-a-uuid')).toEqual([400, 'REQUEST.INVALID']);
  });

  it('searches the catalogue, validating ROME code and département', async () => {
    const paris = await get('/api/training-sessions?rome=M1805&departement=75');
    expect(paris.statusCode).toBe(200);
    expect(paris.json().items.map((s: { title: string }) => s.title)).toEqual([
      'Développeur web et web mobile',
      'Secrétaire assistant',
    ]);
    expect(await codeOf('/api/training-sessions?rome=M18')).toEqual([400, 'REQUEST.INVALID']);
    expect(await codeOf('/api/training-sessions?rome=Z9999')).toEqual([400, 'REQUEST.INVALID']);
    expect(await codeOf('/api/training-sessions?rome=A0000')).toEqual([400, 'ROME.INVALID']);
    expect(await codeOf('/api/training-sessions?departement=20')).toEqual([400, 'DEPARTEMENT.INVALID']);
    const seeker = await h.as(h.scenario.accounts.seeker5);
    expect((await get('/api/training-sessions', seeker)).statusCode).toBe(200);
  });

  it('prescribes a training, with 4xx codes for every refusal', async () => {
    const prescribe = (payload: unknown) =>
      h.app.inject({
        method: 'POST',
        url: '/api/adviser/prescriptions',
        headers: adviser,
        payload: JSON.stringify(payload),
      });
    const { p4, p5, p6 } = h.scenario.people;
    const created = await prescribe({ personId: p5.id, sessionId: h.scenario.sessions.catalogue });
    expect(created.statusCode).toBe(201);
    expect(created.json().enrolment).toMatchObject({ status: 'prescribed', personId: p5.id });
    const refusals: Array<[unknown, number, string]> = [
      [{ personId: p5.id, sessionId: h.scenario.sessions.catalogue }, 409, 'ENROLMENT.ALREADY_EXISTS'],
      [{ personId: p6.id, sessionId: h.scenario.sessions.catalogue }, 404, 'PERSON.NOT_FOUND'],
      [{ personId: p4.id, sessionId: h.scenario.sessions.catalogue }, 409, 'PERSON.NOT_REGISTERED'],
      [{ personId: p5.id, sessionId: h.scenario.sessions.past }, 409, 'TRAINING_SESSION.ENDED'],
      [{ personId: p5.id }, 400, 'REQUEST.INVALID'],
      [{ personId: 'x', sessionId: h.scenario.sessions.main }, 400, 'REQUEST.INVALID'],
    ];
    for (const [payload, status, code] of refusals) {
      const response = await prescribe(payload);
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
    }
  });

  it('lets a partner list and open the files it co-manages, and nothing else', async () => {
    const partner = await h.as(h.scenario.accounts.partner);
    const files = await get('/api/partner/files', partner);
    expect(files.json()).toMatchObject({ total: 1, items: [{ id: h.scenario.people.p2.id }] });
    expect((await get(`/api/partner/files/${h.scenario.people.p2.id}`, partner)).json().fields.email).toBe(
      h.scenario.people.p2.email,
    );
    expect(await codeOf(`/api/partner/files/${h.scenario.people.p3.id}`, partner)).toEqual([404, 'PERSON.NOT_FOUND']);
    expect(await codeOf('/api/adviser/portfolio', partner)).toEqual([403, 'AUTH.ROLE_FORBIDDEN']);
    expect(await codeOf('/api/partner/files')).toEqual([403, 'AUTH.ROLE_FORBIDDEN']);
  });
});
