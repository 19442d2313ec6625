import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../domain/clock.js';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';
import { insertJobSeekers, sampleJobSeeker, testKeyring } from '../test-support/people.js';
import { enrol, insertOrganisation, readerOf } from '../test-support/orgs.js';
import { createGate } from './gate.js';
import type { Gate } from './types.js';
import { codeOf as errorCode } from '../test-support/errors.js';

describe.each(DIALECTS)('the disclosure gate on %s', (dialect) => {
  let store: TestStore;
  let gate: Gate;
  const clock = manualClock(Date.UTC(2026, 10, 20, 10));
  const ids = { agency: '', training: '', other: '', enrolled: '', unrelated: '', exited: '' };

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const keys = testKeyring();
    gate = createGate({ store, keys, clock });
    ids.agency = await insertOrganisation(store.db, 'agency');
    ids.training = await insertOrganisation(store.db, 'training');
    ids.other = await insertOrganisation(store.db, 'training');
    const [enrolled, unrelated, exited] = [
      sampleJobSeeker(ids.agency),
      sampleJobSeeker(ids.agency),
      sampleJobSeeker(ids.agency),
    ];
    await insertJobSeekers(store.db, keys, [enrolled!, unrelated!, exited!]);
    Object.assign(ids, { enrolled: enrolled!.id, unrelated: unrelated!.id, exited: exited!.id });
    await enrol(store.db, ids.training, enrolled!.id, 'adviser-1');
    await enrol(store.db, ids.training, exited!.id, 'adviser-1', { status: 'completed', visibleUntil: '2026-11-19' });
  });
  afterAll(() => store.dispose());

  const disclosures = () => store.db.selectFrom('disclosures').selectAll().orderBy('seq').execute();

  it("gives a training organisation its trainee's name and identifier, and records it", async () => {
    const reader = readerOf('trainer', ids.training);
    const person = await gate.discloseOne({ reader, purpose: 'training_followup', person: ids.enrolled });
    expect(person.fields.lastName).toMatch(/^Testnom/);
    expect(person.fields.identifier).toMatch(/^\d{7}K$/);
    expect(person.fields).not.toHaveProperty('nir');
    expect(person.fields).not.toHaveProperty('birthDate');
    expect(person.fields).not.toHaveProperty('email');
    const log = (await disclosures()).filter((d) => d.request_id === reader.requestId);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      reader_id: reader.accountId,
      person_id: ids.enrolled,
      purpose: 'training_followup',
      organisation_id: ids.training,
      session_ref: 'sess-test',
      source_ip: '127.0.0.1',
      at: clock.now(),
    });
    expect(log[0]!.fields.split(',').sort()).toEqual(Object.keys(person.fields).sort());
    expect(log[0]!.leaf_hash).toHaveLength(32);
  });

  it('answers an unrelated person exactly like a person who does not exist, and records nothing', async () => {
    const reader = readerOf('trainer', ids.training);
    const unrelated = await errorCode(
      gate.discloseOne({ reader, purpose: 'training_followup', person: ids.unrelated }),
    );
    const missing = await errorCode(
      gate.discloseOne({ reader, purpose: 'training_followup', person: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unrelated).toBe('PERSON.NOT_FOUND');
    expect(missing).toBe(unrelated);
    expect((await disclosures()).filter((d) => d.request_id === reader.requestId)).toHaveLength(0);
  });

  it('closes the file three months after exit, and to other organisations', async () => {
    const mine = await gate.disclose({
      reader: readerOf('trainer', ids.training),
      purpose: 'training_followup',
      people: [ids.enrolled, ids.exited, ids.unrelated],
    });
    expect(mine.map((p) => p.id)).toEqual([ids.enrolled]);
    const other = await gate.disclose({
      reader: readerOf('trainer', ids.other),
      purpose: 'training_followup',
      people: [ids.enrolled],
    });
    expect(other).toEqual([]);
  });

  it('refuses fields the purpose does not need, and purposes the role does not have', async () => {
    const reader = readerOf('trainer', ids.training);
    expect(
      await errorCode(gate.disclose({ reader, purpose: 'training_followup', people: [ids.enrolled], fields: ['nir'] })),
    ).toBe('DISCLOSURE.FIELD_NOT_ALLOWED');
    expect(await errorCode(gate.disclose({ reader, purpose: 'portfolio_followup', people: [ids.enrolled] }))).toBe(
      'DISCLOSURE.PURPOSE_NOT_ALLOWED',
    );
    const adviser = readerOf('adviser', ids.agency);
    expect(
      await errorCode(
        gate.disclose({ reader: adviser, purpose: 'agency_lookup', people: [ids.enrolled], reason: 'court' }),
      ),
    ).toBe('DISCLOSURE.REASON_REQUIRED');
  });

  it('lets an adviser look up a person of the agency with a reason, recorded', async () => {
    const reader = readerOf('adviser', ids.agency);
    const person = await gate.discloseOne({
      reader,
      purpose: 'agency_lookup',
      person: ids.unrelated,
      reason: "Appel du demandeur à l'accueil",
    });
    expect(person.fields.email).toMatch(/@exemple\.fr$/);
    const [row] = (await disclosures()).filter((d) => d.request_id === reader.requestId);
    expect(row?.reason).toBe("Appel du demandeur à l'accueil");
  });

  it('gives recruiters pseudonymised profiles only', async () => {
    const [profile] = await gate.disclose({
      reader: readerOf('recruiter', null),
      purpose: 'candidate_search',
      people: [ids.unrelated],
    });
    expect(Object.keys(profile!.fields).sort()).toEqual([
      'departement',
      'drivingLicences',
      'educationLevel',
      'romeCodes',
      'vehicle',
    ]);
    expect(profile!.fields.drivingLicences).toEqual(['B']);
    expect(profile!.fields.vehicle).toBe(true);
  });

  it('lets a job seeker see only themselves', async () => {
    const reader = readerOf('job_seeker', null, { personId: ids.unrelated });
    const me = await gate.discloseOne({ reader, purpose: 'self_service', person: ids.unrelated });
    expect(me.fields.nir).toBe('290047511204567');
    expect(await gate.disclose({ reader, purpose: 'self_service', people: [ids.enrolled] })).toEqual([]);
  });
});
