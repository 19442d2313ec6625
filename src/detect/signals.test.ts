import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reader } from '../disclosure/reader.js';
import type { Purpose } from '../domain/purposes.js';
import type { DetectionFixture, TestAccount } from '../test-support/detection-fixtures.js';
import {
  addAccount,
  addOrganisation,
  addPeople,
  addSession,
  DAY,
  DETECT_START,
  errorOf,
  openDetectionFixture,
  readerOf,
} from '../test-support/detection-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { decisionsOf } from './decisions.js';
import { sessionsStartOn } from './test-sessions.js';
import { sessionRefOf } from './session-facts.js';

interface SignalSeen {
  name: string;
  score: number;
  value: unknown;
  threshold: unknown;
  message: string;
}

describe.each(DIALECTS)('signals of the budget step on %s', (dialect) => {
  let f: DetectionFixture;
  let agency = '';
  let training = '';
  let trainees: string[] = [];

  beforeAll(async () => {
    f = await openDetectionFixture(dialect);
    agency = await addOrganisation(f.store.db, 'agency');
    training = await addOrganisation(f.store.db, 'training');
    trainees = await addPeople(f, agency, 110, { trainingOrg: training });
    await sessionsStartOn(f.store.db, training, '2026-03-06');
  });
  afterAll(() => f.dispose());

  const disclose = (reader: Reader, people: readonly string[], purpose: Purpose = 'training_followup') =>
    f.gate.disclose({ reader, purpose, people });
  const trainer = () => addAccount(f.store.db, 'trainer', training);
  const lastSignals = async (account: TestAccount): Promise<SignalSeen[]> => {
    await f.detection.flush();
    const [d] = await decisionsOf(f.store.db, account.id);
    return (d?.details['signals'] ?? []) as SignalSeen[];
  };
  /** Marks a session as having proven a second factor at `at`. */
  const proven = async (ref: string, at: number) => {
    const rows = await f.store.db.selectFrom('sessions').select('id_hash').execute();
    const row = rows.find((r) => sessionRefOf(Buffer.from(r.id_hash)) === ref);
    if (row)
      await f.store.db
        .updateTable('sessions')
        .set({ mfa_at: at, assurance: 'mfa' })
        .where('id_hash', '=', row.id_hash)
        .execute();
  };
  const baseline = (
    account: TestAccount,
    values: Partial<Record<'minute_limit' | 'reachable' | 'portfolio', number>>,
  ) =>
    f.store.db
      .insertInto('detection_baselines')
      .values({
        account_id: account.id,
        organisation_id: account.organisationId,
        role: account.role,
        peer_group: 'test',
        reachable: 1000,
        portfolio: 0,
        minute_limit: 1000,
        hour_limit: 1000,
        day_limit: 1000,
        week_limit: 5000,
        session_limit: 1000,
        contact_day_limit: 10,
        usual_hours: null,
        history_days: 30,
        strikes: 0,
        basis: '{}',
        computed_at: f.clock.now(),
        ...values,
      })
      .execute();

  it('new device or network: step-up with a password, allowed under a proven second factor', async () => {
    f.clock.set(DETECT_START);
    const t = await trainer();
    await proven(await addSession(f.store.db, t.id, DETECT_START - 5 * DAY, '10.0.0.1'), DETECT_START - 5 * DAY);
    const ref = await addSession(f.store.db, t.id, DETECT_START - 60_000, '203.0.113.7', 'curl/8.5');
    const reader = readerOf(t, { sessionRef: ref, sourceIp: '203.0.113.7' });
    expect((await errorOf(disclose(reader, trainees.slice(0, 2))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([
      expect.objectContaining({ name: 'new_device', score: 1, value: 'réseau + appareil' }),
    ]);
    expect(await disclose({ ...reader, assurance: 'mfa' }, trainees.slice(0, 2))).toHaveLength(2);
  });

  it('new device: a thief’s password-only session, refused at the step-up, does not make its network known for the next one', async () => {
    f.clock.set(DETECT_START);
    const t = await trainer();
    await proven(await addSession(f.store.db, t.id, DETECT_START - 5 * DAY, '10.0.0.1'), DETECT_START - 5 * DAY);
    const first = await addSession(f.store.db, t.id, DETECT_START - 3_600_000, '203.0.113.7', 'curl/8.5');
    expect(
      (await errorOf(disclose(readerOf(t, { sessionRef: first, sourceIp: '203.0.113.7' }), trainees.slice(0, 1))))
        ?.code,
    ).toBe('AUTH.STEP_UP_REQUIRED');
    const second = await addSession(f.store.db, t.id, DETECT_START - 60_000, '203.0.113.7', 'curl/8.5');
    expect(
      (await errorOf(disclose(readerOf(t, { sessionRef: second, sourceIp: '203.0.113.7' }), trainees.slice(0, 1))))
        ?.code,
    ).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([
      expect.objectContaining({ name: 'new_device', score: 1, value: 'réseau + appareil' }),
    ]);
    // once a second factor was proven from that network, it is known
    await proven(second, DETECT_START);
    const third = await addSession(f.store.db, t.id, DETECT_START, '203.0.113.7', 'curl/8.5');
    expect(
      await disclose(readerOf(t, { sessionRef: third, sourceIp: '203.0.113.7' }), trainees.slice(0, 1)),
    ).toHaveLength(1);
  });

  it('hours outside the pattern: a Saturday night, not a Tuesday morning', async () => {
    const t = await trainer();
    f.clock.set(Date.UTC(2026, 2, 7, 22, 0)); // Saturday 23:00 in Paris
    expect((await errorOf(disclose(readerOf(t), trainees.slice(0, 1))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([
      expect.objectContaining({ name: 'off_hours', score: 1, value: 'samedi 23 h' }),
    ]);
    f.clock.set(Date.UTC(2026, 2, 10, 9, 0));
    expect(await disclose(readerOf(t), trainees.slice(0, 1))).toHaveLength(1);
  });

  it('pace: beyond the per-minute limit the reader is slowed down until the next minute; far beyond, it is a signal', async () => {
    f.clock.set(DETECT_START + 30_000);
    const t = await trainer();
    await baseline(t, { minute_limit: 10 });
    const slowed = await errorOf(disclose(readerOf(t), trainees.slice(0, 25)));
    expect(slowed).toEqual({ code: 'DETECT.SLOW_DOWN', details: { retryAfterSeconds: 30 } });
    expect(await lastSignals(t)).toEqual([expect.objectContaining({ name: 'pace', value: 25, threshold: 20 })]);
    f.clock.advance(30_000);
    expect(await disclose(readerOf(t), trainees.slice(0, 10))).toHaveLength(10);
  });

  it('breadth: a large share of the reachable population beyond the portfolio', async () => {
    f.clock.set(DETECT_START);
    const t = await trainer();
    await baseline(t, { reachable: 100, portfolio: 10 });
    expect(await disclose(readerOf(t), trainees.slice(0, 40))).toHaveLength(40); // (40 - 10) / 100: 0.5 point only
    expect((await errorOf(disclose(readerOf(t), trainees.slice(40, 70))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([expect.objectContaining({ name: 'breadth', score: 1, value: 0.6 })]);
  });

  it('breadth for a recruiter: searches spread over many ROME codes and départements', async () => {
    const employer = await addOrganisation(f.store.db, 'employer');
    const recruiter = await addAccount(f.store.db, 'recruiter', employer);
    const reader = readerOf(recruiter);
    for (const rome of ['A1101', 'B1101', 'C1101', 'D1101', 'E1101', 'F1101', 'G1101'])
      f.detection.recordListing(reader, 'candidates', 1, { rome, departement: '75' });
    expect(await disclose(reader, trainees.slice(0, 5), 'candidate_search')).toHaveLength(5); // pseudonymised profiles, 7 ROME codes
    f.detection.recordListing(reader, 'candidates', 1, { rome: 'H1101', departement: '13' });
    expect((await errorOf(disclose(reader, trainees.slice(5, 10), 'candidate_search')))?.code).toBe(
      'AUTH.STEP_UP_REQUIRED',
    );
    expect(await lastSignals(recruiter)).toEqual([
      expect.objectContaining({
        name: 'breadth',
        score: 1,
        value: '8 codes ROME, 2 départements (semaine : 8 codes ROME, 2 départements)',
      }),
    ]);
  });

  it('breadth for a recruiter: 24 ROME codes in a day is harvesting, and suspends even under a second factor', async () => {
    const recruiter = await addAccount(f.store.db, 'recruiter', await addOrganisation(f.store.db, 'employer'));
    const reader = readerOf(recruiter, { assurance: 'mfa' });
    for (let i = 0; i < 23; i++)
      f.detection.recordListing(reader, 'candidates', 1, { rome: `K${1100 + i}`, departement: '75' });
    expect(await disclose(reader, trainees.slice(0, 5), 'candidate_search')).toHaveLength(5); // 23 codes: 2 points, allowed under MFA
    f.detection.recordListing(reader, 'candidates', 1, { rome: 'K1200', departement: '75' });
    expect((await errorOf(disclose(reader, trainees.slice(5, 10), 'candidate_search')))?.code).toBe(
      'DETECT.CREDENTIAL_SUSPENDED',
    );
    expect(await lastSignals(recruiter)).toEqual([
      expect.objectContaining({
        name: 'breadth',
        score: 4,
        value: '24 codes ROME, 1 départements (semaine : 24 codes ROME, 1 départements)',
      }),
    ]);
  });

  it('breadth for a recruiter over the week: 40 ROME codes across days and sessions is a paced harvest', async () => {
    const recruiter = await addAccount(f.store.db, 'recruiter', await addOrganisation(f.store.db, 'employer'));
    f.clock.set(DETECT_START); // Tuesday
    const first = readerOf(recruiter, { assurance: 'mfa', sessionRef: 's-tuesday' });
    for (let i = 0; i < 20; i++)
      f.detection.recordListing(first, 'candidates', 1, { rome: `M${1100 + i}`, departement: '75' });
    expect(await disclose(first, trainees.slice(0, 5), 'candidate_search')).toHaveLength(5); // 20 codes today: 2 points, allowed under MFA
    f.clock.set(DETECT_START + DAY);
    const second = readerOf(recruiter, { assurance: 'mfa', sessionRef: 's-wednesday' });
    for (let i = 20; i < 39; i++)
      f.detection.recordListing(second, 'candidates', 1, { rome: `M${1100 + i}`, departement: '75' });
    expect(await disclose(second, trainees.slice(0, 5), 'candidate_search')).toHaveLength(5); // 39 this week
    f.detection.recordListing(second, 'candidates', 1, { rome: 'M1200', departement: '75' });
    expect((await errorOf(disclose(second, trainees.slice(5, 10), 'candidate_search')))?.code).toBe(
      'DETECT.CREDENTIAL_SUSPENDED',
    );
    expect(await lastSignals(recruiter)).toEqual([
      expect.objectContaining({
        name: 'breadth',
        score: 4,
        value: '20 codes ROME, 1 départements (semaine : 40 codes ROME, 1 départements)',
      }),
    ]);
  });

  it('paging: a sequential walk through a listing, to its last page', async () => {
    const t = await trainer();
    const reader = readerOf(t);
    for (let page = 1; page <= 12; page++) f.detection.recordListing(reader, 'trainees', page, { pageCount: 12 });
    expect((await errorOf(disclose(reader, trainees.slice(0, 1))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([expect.objectContaining({ name: 'paging', score: 1.5 })]);
  });

  it('failed lookups: many searches that found nobody in the hour', async () => {
    const t = await trainer();
    f.detection.recordLookupMiss(readerOf(t), 9);
    expect(await disclose(readerOf(t), trainees.slice(0, 1))).toHaveLength(1);
    f.detection.recordLookupMiss(readerOf(t), 3);
    expect((await errorOf(disclose(readerOf(t), trainees.slice(0, 1))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([
      expect.objectContaining({ name: 'failed_lookups', value: 12, threshold: 10 }),
    ]);
    const other = await trainer();
    f.detection.hook.miss?.(readerOf(other), 10, f.clock.now()); // what the gate reports of people it did not return
    expect((await errorOf(disclose(readerOf(other), trainees.slice(0, 1))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
  });

  it('contact details beyond the usual workflow', async () => {
    const t = await trainer();
    expect(await disclose(readerOf(t), trainees.slice(0, 10), 'training_contact')).toHaveLength(10);
    expect((await errorOf(disclose(readerOf(t), trainees.slice(10, 11), 'training_contact')))?.code).toBe(
      'AUTH.STEP_UP_REQUIRED',
    );
    expect(await lastSignals(t)).toEqual([
      expect.objectContaining({ name: 'contact_beyond_workflow', value: 11, threshold: 10 }),
    ]);
  });

  it('a new account reading in bulk', async () => {
    const t = await addAccount(f.store.db, 'trainer', training, { createdAt: f.clock.now() - 3_600_000 });
    expect(await disclose(readerOf(t), trainees.slice(0, 20))).toHaveLength(20);
    expect((await errorOf(disclose(readerOf(t), trainees.slice(20, 21))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([expect.objectContaining({ name: 'new_account_bulk', value: 21 })]);
  });

  it('a session reused from another address than the one it was opened from', async () => {
    const t = await trainer();
    await proven(await addSession(f.store.db, t.id, f.clock.now() - 3 * DAY, '10.0.0.1'), f.clock.now() - 3 * DAY);
    const ref = await addSession(f.store.db, t.id, f.clock.now() - 60_000, '10.0.0.1');
    expect(await disclose(readerOf(t, { sessionRef: ref, sourceIp: '10.0.0.1' }), trainees.slice(0, 1))).toHaveLength(
      1,
    );
    expect(
      (await errorOf(disclose(readerOf(t, { sessionRef: ref, sourceIp: '198.51.100.9' }), trainees.slice(0, 1))))?.code,
    ).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(t)).toEqual([expect.objectContaining({ name: 'session_reuse', score: 1 })]);
  });

  it('many job seekers’ accounts used from one network in the hour (credential stuffing)', async () => {
    const people = await addPeople(f, agency, 20);
    const accounts = await Promise.all(people.map((p) => addAccount(f.store.db, 'job_seeker', null, { personId: p })));
    const read = (a: TestAccount) =>
      f.gate.disclose({
        reader: readerOf(a, { sourceIp: '192.0.2.50' }),
        purpose: 'self_service',
        people: [a.personId ?? ''],
      });
    for (const a of accounts.slice(0, 19)) expect(await read(a)).toHaveLength(1);
    expect((await errorOf(read(accounts[19]!)))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await lastSignals(accounts[19]!)).toEqual([expect.objectContaining({ name: 'network_fanout', value: 20 })]);
  });
});
