import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/stores.js';
import { openScenario, readerFor } from '../test-support/scenario.js';
import type { OpenScenario } from '../test-support/scenario.js';
import { getPerson, listPortfolio, lookupByIdentifier } from './adviser-people.js';
import { prescribeTraining } from './adviser-prescriptions.js';
import { searchCatalogue } from './training-catalogue.js';
import { codeOf } from '../test-support/errors.js';

const REASON = 'Rendez-vous téléphonique demandé par la personne';

describe.each(DIALECTS)('adviser workflows on %s', (dialect) => {
  let w: OpenScenario;
  beforeAll(async () => {
    w = await openScenario(dialect);
  });
  afterAll(() => w.dispose());

  const adviser1 = () => readerFor(w.scenario.accounts.adviser1);
  const disclosuresOf = (requestId: string) =>
    w.store.db.selectFrom('disclosures').selectAll().where('request_id', '=', requestId).execute();

  it('pages through my portfolio only, through the gate', async () => {
    const reader = adviser1();
    const page = await listPortfolio(w.ctx, reader, { page: 1, pageSize: 1 });
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    const second = await listPortfolio(w.ctx, adviser1(), { page: 2, pageSize: 1 });
    const ids = [...page.items, ...second.items].map((p) => p.id).sort();
    expect(ids).toEqual([w.scenario.people.p1.id, w.scenario.people.p2.id].sort());
    expect(page.items[0]?.fields).not.toHaveProperty('nir');
    expect(page.items[0]?.fields.lastName).toMatch(/^Martin[12]$/);
    expect(await disclosuresOf(reader.requestId)).toHaveLength(1);
    expect(await codeOf(listPortfolio(w.ctx, adviser1(), { pageSize: 51 }))).toBe('PAGE.INVALID');
    expect(await codeOf(listPortfolio(w.ctx, adviser1(), { page: 0 }))).toBe('PAGE.INVALID');
  });

  it('opens a person of my portfolio, and one of my agency only with a recorded reason', async () => {
    const mine = await getPerson(w.ctx, adviser1(), w.scenario.people.p1.id);
    expect(mine.fields.email).toBe(w.scenario.people.p1.email);
    expect(await codeOf(getPerson(w.ctx, adviser1(), w.scenario.people.p3.id))).toBe('PERSON.NOT_FOUND');
    expect(await codeOf(getPerson(w.ctx, adviser1(), w.scenario.people.p3.id, 'agency_lookup', 'court'))).toBe(
      'DISCLOSURE.REASON_REQUIRED',
    );
    const reader = adviser1();
    const agency = await getPerson(w.ctx, reader, w.scenario.people.p3.id, 'agency_lookup', REASON);
    expect(agency.fields.lastName).toBe('Martin3');
    expect(agency.fields).not.toHaveProperty('nir');
    const [record] = await disclosuresOf(reader.requestId);
    expect(record).toMatchObject({ person_id: w.scenario.people.p3.id, purpose: 'agency_lookup', reason: REASON });
    expect(await codeOf(getPerson(w.ctx, adviser1(), w.scenario.people.p6.id, 'agency_lookup', REASON))).toBe(
      'PERSON.NOT_FOUND',
    );
  });

  it('finds a person of my agency by exact France Travail identifier, never one of another agency', async () => {
    const found = await lookupByIdentifier(
      w.ctx,
      adviser1(),
      ` ${w.scenario.people.p5.identifier.toLowerCase()} `,
      REASON,
    );
    expect(found.id).toBe(w.scenario.people.p5.id);
    expect(await codeOf(lookupByIdentifier(w.ctx, adviser1(), w.scenario.people.p6.identifier, REASON))).toBe(
      'PERSON.NOT_FOUND',
    );
    expect(await codeOf(lookupByIdentifier(w.ctx, adviser1(), '9999999Z', REASON))).toBe('PERSON.NOT_FOUND');
    expect(await codeOf(lookupByIdentifier(w.ctx, adviser1(), '12345', REASON))).toBe('IDENTIFIER.INVALID');
    expect(await codeOf(lookupByIdentifier(w.ctx, adviser1(), w.scenario.people.p5.identifier, ''))).toBe(
      'DISCLOSURE.REASON_REQUIRED',
    );
  });

  it('searches the catalogue by ROME code and département, with seats left and no personal data', async () => {
    const all = await searchCatalogue(w.ctx, adviser1(), {});
    const { past: _past, ...open } = w.scenario.sessions;
    expect(all.items.map((s) => s.id).sort()).toEqual(Object.values(open).sort());
    const paris = await searchCatalogue(w.ctx, adviser1(), { rome: 'm1805', departement: '75' });
    expect(paris.items.map((s) => s.title)).toEqual(['Développeur web et web mobile', 'Secrétaire assistant']);
    expect(paris.items[0]).toMatchObject({ organisationName: 'Institut des Métiers du Numérique', seatsLeft: 10 });
    expect(JSON.stringify(paris)).not.toMatch(/Martin|\.example/);
    expect((await searchCatalogue(w.ctx, adviser1(), { departement: '69' })).items.map((s) => s.id)).toEqual([
      w.scenario.sessions.other,
    ]);
    expect(await codeOf(searchCatalogue(w.ctx, adviser1(), { rome: 'Z9999' }))).toBe('ROME.INVALID');
    expect(await codeOf(searchCatalogue(w.ctx, adviser1(), { departement: '00' }))).toBe('DEPARTEMENT.INVALID');
  });

  it('prescribes a training to a person of my agency, owned by the session’s organisation', async () => {
    const reader = adviser1();
    const { enrolment, person } = await prescribeTraining(w.ctx, reader, {
      personId: w.scenario.people.p5.id,
      sessionId: w.scenario.sessions.other,
    });
    expect(enrolment).toMatchObject({
      personId: w.scenario.people.p5.id,
      sessionId: w.scenario.sessions.other,
      status: 'prescribed',
      prescribedOn: '2026-11-20',
    });
    expect(person.fields).toMatchObject({ lastName: 'Martin5', status: 'registered' });
    const row = await w.store.db
      .selectFrom('enrolments')
      .selectAll()
      .where('id', '=', enrolment.id)
      .executeTakeFirstOrThrow();
    expect(row.organisation_id).toBe(w.scenario.orgs.otherTraining);
    expect(row.prescribed_by).toBe(reader.accountId);
    const again = prescribeTraining(w.ctx, adviser1(), {
      personId: w.scenario.people.p5.id,
      sessionId: w.scenario.sessions.other,
    });
    expect(await codeOf(again)).toBe('ENROLMENT.ALREADY_EXISTS');
  });

  it('refuses a person outside my agency, a struck-off person, an unknown or full session', async () => {
    const prescribe = (personId: string, sessionId: string) =>
      codeOf(prescribeTraining(w.ctx, adviser1(), { personId, sessionId }));
    expect(await prescribe(w.scenario.people.p6.id, w.scenario.sessions.main)).toBe('PERSON.NOT_FOUND');
    expect(await prescribe(w.scenario.people.p4.id, w.scenario.sessions.main)).toBe('PERSON.NOT_REGISTERED');
    expect(await prescribe(w.scenario.people.p5.id, '00000000-0000-4000-8000-000000000000')).toBe(
      'TRAINING_SESSION.NOT_FOUND',
    );
    await w.store.db
      .updateTable('training_sessions')
      .set({ capacity: 2 })
      .where('id', '=', w.scenario.sessions.catalogue)
      .execute();
    expect(await prescribe(w.scenario.people.p5.id, w.scenario.sessions.catalogue)).toBe('no error');
    expect(await prescribe(w.scenario.people.p3.id, w.scenario.sessions.catalogue)).toBe('no error');
    expect(await prescribe(w.scenario.people.p2.id, w.scenario.sessions.catalogue)).toBe('TRAINING_SESSION.FULL');
  });

  it('is closed to other roles', async () => {
    expect(await codeOf(listPortfolio(w.ctx, readerFor(w.scenario.accounts.trainer)))).toBe('AUTH.ROLE_FORBIDDEN');
    expect(
      await codeOf(
        prescribeTraining(w.ctx, readerFor(w.scenario.accounts.partner), {
          personId: w.scenario.people.p2.id,
          sessionId: w.scenario.sessions.main,
        }),
      ),
    ).toBe('AUTH.ROLE_FORBIDDEN');
  });
});
