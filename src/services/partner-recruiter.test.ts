import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/stores.js';
import { openScenario, readerFor } from '../test-support/scenario.js';
import type { OpenScenario } from '../test-support/scenario.js';
import { answerContactRequest, listContactRequestsForMe } from './me.js';
import { getCoManagedFile, listCoManagedFiles } from './partner-files.js';
import { listMyContactRequests, requestContact } from './recruiter-contact-requests.js';
import { searchProfiles } from './recruiter-profiles.js';
import { codeOf } from '../test-support/errors.js';

const IDENTIFYING = /Martin|Durand|Camille|\.example|\+33639|1990-04-12|2900475/;

describe.each(DIALECTS)('co-managing partner on %s', (dialect) => {
  let w: OpenScenario;
  beforeAll(async () => {
    w = await openScenario(dialect);
  });
  afterAll(() => w.dispose());
  const partner = () => readerFor(w.scenario.accounts.partner);

  it('lists the files co-managed today, and opens one; an ended co-management is closed', async () => {
    const page = await listCoManagedFiles(w.ctx, partner());
    expect(page.total).toBe(1);
    expect(page.items.map((p) => p.id)).toEqual([w.scenario.people.p2.id]);
    expect(page.items[0]?.fields.lastName).toBe('Martin2');
    expect(page.items[0]?.fields).not.toHaveProperty('nir');
    expect((await getCoManagedFile(w.ctx, partner(), w.scenario.people.p2.id)).fields.email).toBe(
      w.scenario.people.p2.email,
    );
    expect(await codeOf(getCoManagedFile(w.ctx, partner(), w.scenario.people.p3.id))).toBe('PERSON.NOT_FOUND');
    expect(await codeOf(getCoManagedFile(w.ctx, partner(), w.scenario.people.p1.id))).toBe('PERSON.NOT_FOUND');
    expect(await codeOf(listCoManagedFiles(w.ctx, readerFor(w.scenario.accounts.adviser1)))).toBe(
      'AUTH.ROLE_FORBIDDEN',
    );
  });
});

describe.each(DIALECTS)('recruiter and candidate on %s', (dialect) => {
  let w: OpenScenario;
  beforeAll(async () => {
    w = await openScenario(dialect);
  });
  afterAll(() => w.dispose());
  const recruiter = () => readerFor(w.scenario.accounts.recruiter);
  const seeker5 = () => readerFor(w.scenario.accounts.seeker5);

  it('finds registered candidates by ROME code and département, pseudonymised', async () => {
    const page = await searchProfiles(w.ctx, recruiter(), { rome: 'M1805', departement: '75' });
    const { p1, p2, p5 } = w.scenario.people;
    expect(page.items.map((p) => p.id).sort()).toEqual([p1.id, p2.id, p5.id].sort());
    expect(page.total).toBe(3);
    for (const item of page.items) {
      expect(Object.keys(item.fields).sort()).toEqual([
        'departement',
        'drivingLicences',
        'educationLevel',
        'romeCodes',
        'vehicle',
      ]);
    }
    expect(JSON.stringify(page)).not.toMatch(IDENTIFYING);
    const lyon = await searchProfiles(w.ctx, recruiter(), { rome: 'M1805', departement: '69' });
    expect(lyon.items.map((p) => p.id)).toEqual([w.scenario.people.p6.id]);
    const small = await searchProfiles(w.ctx, recruiter(), { rome: 'M1805', departement: '75', page: 2, pageSize: 2 });
    expect(small.items).toHaveLength(1);
  });

  it('validates the criteria and caps the page size at 50', async () => {
    expect(await codeOf(searchProfiles(w.ctx, recruiter(), { rome: 'M18', departement: '75' }))).toBe('ROME.INVALID');
    expect(await codeOf(searchProfiles(w.ctx, recruiter(), { rome: 'M1805', departement: '96' }))).toBe(
      'DEPARTEMENT.INVALID',
    );
    expect(await codeOf(searchProfiles(w.ctx, recruiter(), { rome: 'M1805', departement: '75', pageSize: 51 }))).toBe(
      'PAGE.INVALID',
    );
    expect(
      await codeOf(searchProfiles(w.ctx, readerFor(w.scenario.accounts.trainer), { rome: 'M1805', departement: '75' })),
    ).toBe('AUTH.ROLE_FORBIDDEN');
  });

  it('asks to contact a candidate once, reveals the contact details only after acceptance', async () => {
    const p5 = w.scenario.people.p5;
    const request = await requestContact(w.ctx, recruiter(), {
      personId: p5.id,
      romeCode: 'M1805',
      message: 'Bonjour, un poste de développeur vous intéresserait-il ?',
    });
    expect(request.status).toBe('pending');
    const second = requestContact(w.ctx, recruiter(), { personId: p5.id, romeCode: 'M1805', message: 'Relance' });
    expect(await codeOf(second)).toBe('CONTACT_REQUEST.ALREADY_PENDING');

    const pending = await listMyContactRequests(w.ctx, recruiter());
    expect(pending.items).toHaveLength(1);
    expect(pending.items[0]?.candidate).toBeNull();
    expect(JSON.stringify(pending)).not.toMatch(IDENTIFYING);

    const mine = await listContactRequestsForMe(w.ctx, seeker5());
    expect(mine).toEqual([
      expect.objectContaining({ id: request.id, employerName: 'Société Exemple SAS', status: 'pending' }),
    ]);
    const accepted = await answerContactRequest(w.ctx, seeker5(), request.id, 'accepted');
    expect(accepted.status).toBe('accepted');
    expect(await codeOf(answerContactRequest(w.ctx, seeker5(), request.id, 'accepted'))).toBe(
      'CONTACT_REQUEST.ALREADY_ANSWERED',
    );

    const reader = recruiter();
    const after = await listMyContactRequests(w.ctx, reader);
    expect(after.items[0]?.candidate?.fields).toMatchObject({ lastName: 'Martin5', email: p5.email });
    expect(after.items[0]?.candidate?.fields).not.toHaveProperty('nir');
    const log = await w.store.db
      .selectFrom('disclosures')
      .selectAll()
      .where('request_id', '=', reader.requestId)
      .execute();
    expect(log).toEqual([expect.objectContaining({ person_id: p5.id, purpose: 'candidate_contact' })]);

    await answerContactRequest(w.ctx, seeker5(), request.id, 'declined');
    const withdrawn = await listMyContactRequests(w.ctx, recruiter());
    expect(withdrawn.items[0]).toMatchObject({ status: 'declined', candidate: null });
    expect(await codeOf(answerContactRequest(w.ctx, seeker5(), request.id, 'accepted'))).toBe(
      'CONTACT_REQUEST.ALREADY_ANSWERED',
    );
  });

  it('keeps a declined request closed, and a request addressed to someone else invisible', async () => {
    const p1 = w.scenario.people.p1;
    const request = await requestContact(w.ctx, recruiter(), {
      personId: p1.id,
      romeCode: 'M1805',
      message: 'Bonjour',
    });
    expect(await codeOf(answerContactRequest(w.ctx, seeker5(), request.id, 'accepted'))).toBe(
      'CONTACT_REQUEST.NOT_FOUND',
    );
    await answerContactRequest(w.ctx, readerFor(w.scenario.accounts.seeker1), request.id, 'declined');
    const list = await listMyContactRequests(w.ctx, recruiter());
    const declined = list.items.find((r) => r.id === request.id);
    expect(declined).toMatchObject({ status: 'declined', candidate: null });
    expect(await listContactRequestsForMe(w.ctx, seeker5())).toHaveLength(1);
  });

  it('refuses a struck-off person, a person not seeking that ROME code, and empty messages', async () => {
    const ask = (personId: string, romeCode: string, message = 'Bonjour') =>
      codeOf(requestContact(w.ctx, recruiter(), { personId, romeCode, message }));
    expect(await ask(w.scenario.people.p4.id, 'M1805')).toBe('PERSON.NOT_FOUND');
    expect(await ask(w.scenario.people.p3.id, 'M1805')).toBe('PERSON.NOT_FOUND');
    expect(await ask(w.scenario.people.p3.id, 'G1602', '   ')).toBe('CONTACT_REQUEST.INVALID_MESSAGE');
    expect(await ask(w.scenario.people.p3.id, 'G1602', 'x'.repeat(1001))).toBe('CONTACT_REQUEST.INVALID_MESSAGE');
  });
});
