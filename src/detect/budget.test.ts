import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectionFixture } from '../test-support/detection-fixtures.js';
import {
  addAccount,
  addOrganisation,
  addPeople,
  DAY,
  DETECT_START,
  errorOf,
  openDetectionFixture,
  readerOf,
} from '../test-support/detection-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { decisionsOf } from './decisions.js';
import { sessionsStartOn } from './test-sessions.js';
import { listAlerts } from './alerts.js';

describe.each(DIALECTS)('exposure budget in the gate on %s', (dialect) => {
  let f: DetectionFixture;
  let agency = '';
  let training = '';
  let trainees: string[] = [];

  beforeAll(async () => {
    f = await openDetectionFixture(dialect);
    agency = await addOrganisation(f.store.db, 'agency');
    training = await addOrganisation(f.store.db, 'training');
    trainees = await addPeople(f, agency, 60, { trainingOrg: training });
    await sessionsStartOn(f.store.db, training, '2026-03-06');
  });
  afterAll(() => f.dispose());

  const read = (reader: ReturnType<typeof readerOf>, people: readonly string[]) =>
    f.gate.disclose({ reader, purpose: 'training_followup', people });

  it('lets a training organisation open 30 files on a Monday morning, then masks identifying fields beyond its day budget', async () => {
    f.clock.set(DETECT_START - DAY); // Monday 2 March, 10:00
    const trainer = await addAccount(f.store.db, 'trainer', training);
    const reader = readerOf(trainer);
    const first = await read(reader, trainees.slice(0, 30));
    expect(first).toHaveLength(30);
    expect(first.every((p) => !p.masked && typeof p.fields.lastName === 'string')).toBe(true);
    f.clock.advance(2 * 3_600_000);
    expect((await read(reader, trainees.slice(30, 40))).every((p) => !p.masked)).toBe(true); // 40: the trainer floor
    const over = await read(reader, trainees.slice(40, 45));
    expect(over.every((p) => p.masked && p.fields.lastName === undefined && p.fields.status !== undefined)).toBe(true);
    expect((await read(reader, trainees.slice(0, 10))).every((p) => !p.masked)).toBe(true); // already seen today: free
    await f.detection.flush();
    const [decision] = await decisionsOf(f.store.db, trainer.id);
    expect(decision).toMatchObject({ action: 'mask', rule: 'day', people: 5 });
    const budget = (decision?.details['budget'] as Array<{ window: string; count: number; limit: number }>).find(
      (b) => b.window === 'day',
    );
    expect(budget).toEqual({ window: 'day', count: 45, limit: 40 });
    const alerts = await listAlerts(f.store.db, { accountId: trainer.id });
    expect(alerts[0]).toMatchObject({ severity: 'medium', action: 'mask', rule: 'day' });
  });

  it('gives an account in probation a small default: slowed beyond 20 an hour, masked beyond 30 a day', async () => {
    f.clock.set(DETECT_START);
    const trainer = await addAccount(f.store.db, 'trainer', training, { status: 'probation' });
    const reader = readerOf(trainer);
    expect(await read(reader, trainees.slice(0, 20))).toHaveLength(20);
    const slowed = await errorOf(read(reader, trainees.slice(20, 21)));
    expect(slowed?.code).toBe('DETECT.SLOW_DOWN');
    expect(slowed?.details?.['retryAfterSeconds']).toBe(3_600); // until 11:00 in Paris
    f.clock.advance(3_600_000);
    expect((await errorOf(read(reader, trainees.slice(20, 30))))?.code).toBe('AUTH.STEP_UP_REQUIRED'); // a new account reading in bulk
    const proven = readerOf(trainer, { assurance: 'mfa' });
    expect((await read(proven, trainees.slice(20, 30))).every((p) => !p.masked)).toBe(true);
    expect((await read(proven, trainees.slice(30, 31)))[0]?.masked).toBe(true);
  });

  it('asks a new account reading in bulk for its second factor, then lets it work within its small default', async () => {
    f.clock.set(DETECT_START);
    const trainer = await addAccount(f.store.db, 'trainer', training, { createdAt: DETECT_START - DAY });
    expect((await errorOf(read(readerOf(trainer), trainees.slice(0, 40))))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect(await read(readerOf(trainer, { assurance: 'mfa' }), trainees.slice(0, 40))).toHaveLength(40);
    const beyond = await read(readerOf(trainer, { assurance: 'mfa' }), trainees.slice(40, 41));
    expect(beyond[0]?.masked).toBe(true); // the trainer floor (40 a day) is below NEW_ACCOUNT_LIMITS
  });

  it('lets a new adviser work thirty-odd files of the portfolio every day of the first week', async () => {
    const agencyId = await addOrganisation(f.store.db, 'agency');
    const adviser = await addAccount(f.store.db, 'adviser', agencyId, { createdAt: DETECT_START - DAY });
    const portfolio = await addPeople(f, agencyId, 200, { adviserId: adviser.id });
    const reader = readerOf(adviser, { assurance: 'mfa' });
    for (let day = 0; day < 5; day++) {
      f.clock.set(DETECT_START - DAY + day * DAY); // Monday to Friday, 10:00
      const files = portfolio.slice(day * 40, day * 40 + 40);
      const seen = await f.gate.disclose({ reader, purpose: 'portfolio_followup', people: files });
      expect(
        seen.every((p) => !p.masked),
        `day ${day + 1}`,
      ).toBe(true);
    }
  });

  it('lets a job seeker read their own file', async () => {
    const [me] = await addPeople(f, agency, 1);
    const seeker = await addAccount(f.store.db, 'job_seeker', null, { personId: me });
    const mine = await f.gate.disclose({ reader: readerOf(seeker), purpose: 'self_service', people: [me!] });
    expect(mine[0]?.masked).toBe(false);
  });

  it('rebuilds the counters of an account from the disclosure log after a restart', async () => {
    f.clock.set(DETECT_START + 2 * DAY);
    const trainer = await addAccount(f.store.db, 'trainer', training);
    expect(await read(readerOf(trainer), trainees.slice(0, 40))).toHaveLength(40);
    const { createDetection } = await import('./detection.js');
    const { createGate } = await import('../disclosure/gate.js');
    const restarted = createDetection({ store: f.store, clock: f.clock });
    const gate = createGate({ store: f.store, keys: f.keys, clock: f.clock, budget: restarted.hook });
    const after = await gate.disclose({
      reader: readerOf(trainer),
      purpose: 'training_followup',
      people: trainees.slice(40, 41),
    });
    expect(after[0]?.masked).toBe(true);
    await restarted.close();
  });
});
