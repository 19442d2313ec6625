import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/stores.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';

describe.each(DIALECTS)('training organisation API on %s', (dialect) => {
  let h: HttpScenario;
  let trainer: Record<string, string>;
  beforeAll(async () => {
    h = await openHttpScenario(dialect);
    trainer = await h.as(h.scenario.accounts.trainer);
  });
  afterAll(() => h.dispose());

  const get = (url: string, headers = trainer) => h.app.inject({ method: 'GET', url, headers });
  const post = (url: string, payload: unknown, headers = trainer) =>
    h.app.inject({ method: 'POST', url, headers, payload: JSON.stringify(payload) });

  it('lists my sessions and the trainees of one, with names but no contact details', async () => {
    const sessions = await get('/api/training/sessions');
    expect(sessions.statusCode).toBe(200);
    expect(sessions.json().sessions).toHaveLength(3);
    const trainees = await get(`/api/training/sessions/${h.scenario.sessions.main}/trainees`);
    expect(trainees.statusCode).toBe(200);
    const people = trainees
      .json()
      .trainees.map((t: { person: { fields: Record<string, unknown> } }) => t.person.fields);
    expect(people.map((f: { lastName: string }) => f.lastName).sort()).toEqual(['Martin1', 'Martin2']);
    expect(trainees.body).not.toMatch(/\.example|nir|birthDate/);
  });

  it('opens a trainee’s contact details for training_contact only', async () => {
    const url = `/api/training/trainees/${h.scenario.people.p1.id}`;
    expect((await get(url)).json().person.fields).not.toHaveProperty('email');
    expect((await get(`${url}?purpose=training_contact`)).json().person.fields.email).toBe(h.scenario.people.p1.email);
    const other = await get(`/api/training/trainees/${h.scenario.people.p6.id}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('PERSON.NOT_FOUND');
    expect((await get(`${url}?purpose=portfolio_followup`)).json().error.code).toBe('REQUEST.INVALID');
  });

  it('declares entry, attendance and exit; late ones are flagged; the exit opens 3 months', async () => {
    const base = `/api/training/enrolments/${h.scenario.enrolments.p2Main}`;
    const entry = await post(`${base}/entry`, { date: '2026-11-19' });
    expect(entry.statusCode).toBe(201);
    expect(entry.json().event).toMatchObject({ kind: 'entry', late: false, declaredAt: '2026-11-20T09:00:00.000Z' });
    const attendance = await post(`/api/training/enrolments/${h.scenario.enrolments.p1Main}/attendance`, {
      month: '2026-10',
      hoursAttended: 140,
      hoursAbsentJustified: 0,
      hoursAbsentUnjustified: 3.5,
    });
    expect(attendance.statusCode).toBe(201);
    expect(attendance.json().event).toMatchObject({ month: '2026-10', late: true, hoursAbsentUnjustified: 3.5 });
    const exit = await post(`${base}/exit`, { date: '2026-11-20', reason: 'completed_not_certified' });
    expect(exit.json().enrolment).toMatchObject({
      status: 'completed',
      exitedOn: '2026-11-20',
      visibleUntil: '2027-02-20',
    });
    const twice = await post(`${base}/interruption`, { date: '2026-11-20', reason: 'health' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'FOLLOWUP.ALREADY_EXITED']);
  });

  it('answers an enrolment of another organisation exactly like a missing one', async () => {
    const other = await post(`/api/training/enrolments/${h.scenario.enrolments.p3Other}/entry`, { date: '2026-11-19' });
    const missing = await post('/api/training/enrolments/00000000-0000-4000-8000-000000000000/entry', {
      date: '2026-11-19',
    });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('ENROLMENT.NOT_FOUND');
    expect(missing.json().error.code).toBe(other.json().error.code);
    expect(missing.json().error.message).toBe(other.json().error.message);
  });

  it('rejects malformed input with 400 and a stable code, never a 500', async () => {
    const base = `/api/training/enrolments/${h.scenario.enrolments.p1Main}`;
    const cases: Array<[string, unknown]> = [
      ['/api/training/enrolments/not-a-uuid/entry', { date: '2026-11-19' }],
      [`${base}/entry`, { date: '19/11/2026' }],
      [`${base}/entry`, {}],
      [
        `${base}/attendance`,
        { month: '2026-13', hoursAttended: 1, hoursAbsentJustified: 0, hoursAbsentUnjustified: 0 },
      ],
      [
        `${base}/attendance`,
        { month: '2026-11', hoursAttended: -1, hoursAbsentJustified: 0, hoursAbsentUnjustified: 0 },
      ],
      [
        `${base}/attendance`,
        { month: '2026-11', hoursAttended: 1000, hoursAbsentJustified: 0, hoursAbsentUnjustified: 0 },
      ],
      [`${base}/exit`, { date: '2026-11-19', reason: 'bored' }],
    ];
    for (const [url, payload] of cases) {
      const response = await post(url, payload);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code).toBe('REQUEST.INVALID');
    }
    expect((await get('/api/training/sessions/123/trainees')).json().error.code).toBe('REQUEST.INVALID');
    const future = await post(`${base}/exit`, { date: '2027-01-01', reason: 'completed_certified' });
    expect([future.statusCode, future.json().error.code]).toEqual([400, 'FOLLOWUP.FACT_IN_FUTURE']);
  });

  it('is closed to other roles and to anonymous callers', async () => {
    const adviser = await h.as(h.scenario.accounts.adviser1);
    expect((await get('/api/training/sessions', adviser)).json().error.code).toBe('AUTH.ROLE_FORBIDDEN');
    expect((await h.app.inject({ method: 'GET', url: '/api/training/sessions' })).statusCode).toBe(401);
  });
});
