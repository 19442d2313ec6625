import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPeopleByIndex } from '../storage/people-repo.js';
import { DIALECTS } from '../test-support/stores.js';
import { openScenario, readerFor } from '../test-support/scenario.js';
import type { OpenScenario } from '../test-support/scenario.js';
import { blindIndex, normalisePhone } from '../vault/index.js';
import { getTrainee } from './trainer-sessions.js';
import { declareFollowUp } from './trainer-followup.js';
import { getMyFile, listMyTrainings } from './me.js';
import { updateMyContact } from './me-contact.js';
import { searchProfiles } from './recruiter-profiles.js';
import { codeOf } from '../test-support/errors.js';

describe.each(DIALECTS)('job seeker space on %s', (dialect) => {
  let w: OpenScenario;
  beforeAll(async () => {
    w = await openScenario(dialect);
  });
  afterAll(() => w.dispose());
  const seeker1 = () => readerFor(w.scenario.accounts.seeker1);
  const seeker5 = () => readerFor(w.scenario.accounts.seeker5);

  it('shows my own file through the gate, recorded, and nobody else’s', async () => {
    const reader = seeker1();
    const me = await getMyFile(w.ctx, reader);
    expect(me.id).toBe(w.scenario.people.p1.id);
    expect(me.fields).toMatchObject({
      lastName: 'Martin1',
      identifier: w.scenario.people.p1.identifier,
      birthDate: '1990-04-12',
    });
    expect(me.fields).not.toHaveProperty('adviserId');
    const log = await w.store.db
      .selectFrom('disclosures')
      .selectAll()
      .where('request_id', '=', reader.requestId)
      .execute();
    expect(log).toEqual([expect.objectContaining({ person_id: w.scenario.people.p1.id, purpose: 'self_service' })]);
    expect(await codeOf(getTrainee(w.ctx, reader, w.scenario.people.p2.id))).toBe('AUTH.ROLE_FORBIDDEN');
    expect(await codeOf(getMyFile(w.ctx, readerFor(w.scenario.accounts.adviser1)))).toBe('AUTH.ROLE_FORBIDDEN');
  });

  it('lists my trainings with their sessions and follow-up, and only mine', async () => {
    await declareFollowUp(w.ctx, readerFor(w.scenario.accounts.trainer), w.scenario.enrolments.p1Main, {
      kind: 'attendance',
      month: '2026-10',
      hoursAttended: 120,
      hoursAbsentJustified: 0,
      hoursAbsentUnjustified: 3,
    });
    const trainings = await listMyTrainings(w.ctx, seeker1());
    expect(trainings).toHaveLength(1);
    expect(trainings[0]?.enrolment).toMatchObject({ id: w.scenario.enrolments.p1Main, status: 'in_training' });
    expect(trainings[0]?.session).toMatchObject({
      title: 'Développeur web et web mobile',
      organisationName: 'Institut des Métiers du Numérique',
    });
    expect(trainings[0]?.events).toEqual([
      expect.objectContaining({ kind: 'attendance', month: '2026-10', hoursAbsentUnjustified: 3, late: true }),
    ]);
    expect(await listMyTrainings(w.ctx, seeker5())).toEqual([]);
  });

  it('updates my e-mail and phone: re-sealed, re-indexed, shown back through the gate', async () => {
    const p5 = w.scenario.people.p5;
    const file = await updateMyContact(w.ctx, seeker5(), {
      contact: { email: ' Nouvelle.Adresse@Messagerie.EXAMPLE ', phone: '06 39 98 12 34' },
    });
    expect(file.fields).toMatchObject({
      email: 'nouvelle.adresse@messagerie.example',
      phone: normalisePhone('06 39 98 12 34'),
      lastName: 'Martin5',
      nir: expect.stringMatching(/^2900475111/),
    });
    expect(
      await findPeopleByIndex(
        w.store.db,
        'bi_email',
        blindIndex(w.ctx.keys, 'email', 'nouvelle.adresse@messagerie.example'),
      ),
    ).toEqual([p5.id]);
    expect(await findPeopleByIndex(w.store.db, 'bi_email', blindIndex(w.ctx.keys, 'email', p5.email))).toEqual([]);
    expect(
      await findPeopleByIndex(w.store.db, 'bi_phone', blindIndex(w.ctx.keys, 'phone', '+33 6 39 98 12 34')),
    ).toEqual([p5.id]);
  });

  it('moves my address: the commune is checked, the département follows, searches follow', async () => {
    const p5 = w.scenario.people.p5;
    const file = await updateMyContact(w.ctx, seeker5(), {
      address: { addressLine: '  12  rue Duguesclin ', postalCode: '69003', communeInsee: '69383' },
    });
    expect(file.fields).toMatchObject({
      addressLine: '12 rue Duguesclin',
      postalCode: '69003',
      communeInsee: '69383',
      departement: '69',
      email: 'nouvelle.adresse@messagerie.example',
    });
    const lyon = await searchProfiles(w.ctx, readerFor(w.scenario.accounts.recruiter), {
      rome: 'M1805',
      departement: '69',
    });
    expect(lyon.items.map((p) => p.id)).toContain(p5.id);
  });

  it('refuses malformed contact details with stable codes, before touching anything', async () => {
    const update = (u: Parameters<typeof updateMyContact>[2]) => codeOf(updateMyContact(w.ctx, seeker1(), u));
    expect(await update({})).toBe('CONTACT.NOTHING_TO_UPDATE');
    expect(await update({ contact: { email: 'pas-une-adresse', phone: null } })).toBe('CONTACT.INVALID_EMAIL');
    expect(await update({ contact: { email: null, phone: '12' } })).toBe('CONTACT.INVALID_PHONE');
    expect(await update({ address: { addressLine: '1 rue X', postalCode: '75011', communeInsee: '69383' } })).toBe(
      'COMMUNE.POSTAL_CODE_MISMATCH',
    );
    expect(await update({ address: { addressLine: '1 rue X', postalCode: '75011', communeInsee: '99999' } })).toBe(
      'COMMUNE.UNKNOWN',
    );
    expect(await update({ address: { addressLine: ' ', postalCode: '75011', communeInsee: '75111' } })).toBe(
      'ADDRESS.INVALID_LINE',
    );
    expect((await getMyFile(w.ctx, seeker1())).fields.email).toBe(w.scenario.people.p1.email);
  });
});
