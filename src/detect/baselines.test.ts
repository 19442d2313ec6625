import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectionFixture, TestAccount } from '../test-support/detection-fixtures.js';
import {
  addAccount,
  addHistory,
  addOrganisation,
  addPeople,
  DAY,
  DETECT_START,
  errorOf,
  openDetectionFixture,
  readerOf,
} from '../test-support/detection-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { sessionsStartOn } from './test-sessions.js';
import { erasePerson } from '../storage/people-repo.js';
import { learnLimits, peerGroupOf, quantile, sizeBand } from './learn-limits.js';
import { readPopulations } from './population.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const days = (n: number, perDay: number) => Array.from({ length: n }, () => perDay);

describe('learning limits (pure)', () => {
  it('takes the 95th percentile of active periods, nearest rank', () => {
    expect(quantile([])).toBeUndefined();
    expect(quantile([5])).toBe(5);
    expect(quantile([...days(19, 10), 100])).toBe(10);
    expect(quantile([...days(18, 10), 100, 100])).toBe(100);
  });

  it('blends own history and peers by the number of active days, with headroom, floors and the portfolio', () => {
    const own = { day: days(5, 10), hour: days(5, 10), week: [10], contact: [] };
    const peer = { day: days(90, 60), hour: days(90, 60), week: days(12, 60), contact: days(10, 4) };
    const learned = learnLimits({ role: 'trainer', own, peer, portfolio: 20, historyDays: 5 });
    expect(learned.basis.weight).toBe(0.25);
    expect(learned.limits.day).toBe(82); // 1.5 × (0.25 × 10 + 0.75 × 60) + 10
    expect(learned.limits.session).toBe(82);
    expect(learned.limits.minute).toBe(60); // the trainer floor
    expect(learned.contactDay).toBe(11); // 1.5 × 4 + 5: no own contact history, the peers' stands in
    const adviser = learnLimits({
      role: 'adviser',
      own: { day: [], hour: [], week: [], contact: [] },
      peer: null,
      portfolio: 300,
      historyDays: 0,
    });
    expect(adviser.limits.day).toBe(340); // a whole portfolio of 300 fits in a day
    expect(adviser.limits.hour).toBe(310);
  });

  it('learns an adviser’s budget outside the portfolio from its days of agency lookups; floors without them', () => {
    const empty = { day: [], hour: [], week: [], contact: [] };
    const desk = learnLimits({
      role: 'adviser',
      own: { ...empty, beyond: days(30, 20) },
      peer: null,
      portfolio: 300,
      historyDays: 30,
    });
    expect(desk.beyond).toEqual({ minute: 1_000_000, hour: 18, day: 35, week: 88, session: 1_000_000 }); // 1.5 × 20 + 5
    expect(desk.basis.beyond).toMatchObject({ own: 20, peer: null });
    const usual = learnLimits({
      role: 'adviser',
      own: { ...empty, beyond: days(30, 2) },
      peer: null,
      portfolio: 300,
      historyDays: 30,
    });
    expect(usual.beyond).toMatchObject({ hour: 6, day: 12, week: 30 }); // the floors
    expect(learnLimits({ role: 'trainer', own: empty, peer: null, portfolio: 30, historyDays: 0 }).beyond).toBeNull();
  });

  it('groups peers by role, organisation kind and size band', () => {
    expect([0, 3, 4, 15, 16, 63, 64, 300].map(sizeBand)).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    expect(peerGroupOf('trainer', 'training', 20)).toBe('trainer/training/2');
  });
});

describe.each(DIALECTS)('recomputeBaselines on %s', (dialect) => {
  let f: DetectionFixture;
  let small = '';
  let peersOrg = '';
  const accounts: Record<string, TestAccount> = {};

  beforeAll(async () => {
    f = await openDetectionFixture(dialect);
    const agency = await addOrganisation(f.store.db, 'agency');
    small = await addOrganisation(f.store.db, 'training');
    peersOrg = await addOrganisation(f.store.db, 'training');
    await addPeople(f, agency, 5, { trainingOrg: small });
    await addPeople(f, agency, 20, { trainingOrg: peersOrg });
    accounts['own'] = await addAccount(f.store.db, 'trainer', small);
    for (const k of ['peer1', 'peer2', 'peer3', 'young', 'probation'])
      accounts[k] = await addAccount(f.store.db, 'trainer', peersOrg, k === 'probation' ? { status: 'probation' } : {});
    await addHistory(f.store.db, accounts['own']!.id, ids('own', 50), days(30, 50), DETECT_START);
    for (const k of ['peer1', 'peer2', 'peer3'])
      await addHistory(f.store.db, accounts[k]!.id, ids(k, 60), days(30, 60), DETECT_START);
    await addHistory(f.store.db, accounts['young']!.id, ids('young', 10), days(5, 10), DETECT_START);
    for (const d of [1, 2, 3]) {
      await f.store.db
        .insertInto('detection_decisions')
        .values({
          at: DETECT_START - d * DAY,
          account_id: accounts['own']!.id,
          organisation_id: small,
          session_ref: null,
          request_id: `r${d}`,
          purpose: 'training_followup',
          action: 'mask',
          code: null,
          rule: 'day',
          score: 0,
          people: 1,
          details: '{}',
        })
        .execute();
    }
    f.clock.set(DETECT_START);
    await f.detection.recomputeBaselines();
  });
  afterAll(() => f.dispose());

  const row = (k: string) =>
    f.store.db
      .selectFrom('detection_baselines')
      .selectAll()
      .where('account_id', '=', accounts[k]!.id)
      .executeTakeFirstOrThrow();

  it('learns from the account’s own history when it has enough of it', async () => {
    const own = await row('own');
    expect(own).toMatchObject({
      peer_group: 'trainer/training/1',
      portfolio: 5,
      reachable: 5,
      history_days: 30,
      day_limit: 85,
      hour_limit: 85,
      week_limit: 170,
      strikes: 3,
    });
    expect(JSON.parse(own.basis)).toMatchObject({ weight: 1, own: { day: 50, hour: 50, week: 50 } });
  });

  it('leans on the peer group (same role, organisation kind and size) when its own history is short', async () => {
    const young = await row('young');
    expect(young).toMatchObject({ peer_group: 'trainer/training/2', history_days: 5, day_limit: 82 });
    expect(JSON.parse(young.basis)).toMatchObject({ weight: 0.25, own: { day: 10 }, peer: { day: 60 } });
  });

  it('learns the usual hours of the week, so that a habit outside office hours is no signal', async () => {
    const own = await row('own');
    expect(own.usual_hours).toHaveLength(168);
    expect(own.usual_hours?.[5 * 24 + 11]).toBe('1'); // Saturday 11 h (every day at 11 h in Paris)
    f.clock.set(Date.UTC(2026, 2, 7, 10, 0)); // Saturday 11:00 in Paris
    const [someone] = await addPeople(f, await addOrganisation(f.store.db, 'agency'), 1, { trainingOrg: small });
    expect(
      await f.gate.disclose({ reader: readerOf(accounts['own']!), purpose: 'training_followup', people: [someone!] }),
    ).toHaveLength(1);
    const other = await addAccount(f.store.db, 'trainer', small);
    expect(
      (await errorOf(f.gate.disclose({ reader: readerOf(other), purpose: 'training_followup', people: [someone!] })))
        ?.code,
    ).toBe('AUTH.STEP_UP_REQUIRED');
  });

  it('keeps an account in probation at the small default whatever its peers read', async () => {
    expect((await row('probation')).day_limit).toBe(100); // no history of its own: its peers' 60 a day, with headroom
    f.clock.set(DETECT_START + DAY);
    const people = await addPeople(f, await addOrganisation(f.store.db, 'agency'), 31, { trainingOrg: peersOrg });
    await sessionsStartOn(f.store.db, peersOrg, '2026-03-06');
    const reader = readerOf(accounts['probation']!, { assurance: 'mfa' });
    expect(await f.gate.disclose({ reader, purpose: 'training_followup', people: people.slice(0, 20) })).toHaveLength(
      20,
    );
    f.clock.advance(3_600_000);
    expect(
      (await f.gate.disclose({ reader, purpose: 'training_followup', people: people.slice(20, 31) })).every(
        (p) => p.masked,
      ),
    ).toBe(true);
  });
});

describe.each(DIALECTS)('populations on %s', (dialect) => {
  let f: DetectionFixture;
  afterAll(() => f.dispose());

  it('counts an adviser’s portfolio and agency without the people erased', async () => {
    f = await openDetectionFixture(dialect);
    const agency = await addOrganisation(f.store.db, 'agency');
    const adviser = await addAccount(f.store.db, 'adviser', agency);
    const portfolio = await addPeople(f, agency, 4, { adviserId: adviser.id });
    await addPeople(f, agency, 3);
    await erasePerson(f.store.db, portfolio[0] ?? '', DETECT_START);
    const populations = await readPopulations(
      f.store.db,
      [{ id: adviser.id, role: 'adviser', organisationId: agency }],
      '2026-03-03',
    );
    expect(populations.get(adviser.id)).toEqual({ portfolio: 3, reachable: 6 });
    const recruiter = await addAccount(f.store.db, 'recruiter', await addOrganisation(f.store.db, 'employer'));
    expect(
      (
        await readPopulations(f.store.db, [{ id: recruiter.id, role: 'recruiter', organisationId: null }], '2026-03-03')
      ).get(recruiter.id)?.reachable,
    ).toBe(6); // registered, not erased
  });
});
