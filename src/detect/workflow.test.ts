import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reader } from '../disclosure/reader.js';
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
import { decisionsOf } from './decisions.js';
import { sessionsStartOn } from './test-sessions.js';
import { traineeInWorkflow } from './workflow.js';

describe('a trainee in the workflow of the day (pure)', () => {
  const t = (over: Partial<Parameters<typeof traineeInWorkflow>[0]>) => ({
    person_id: 'p',
    status: 'prescribed',
    starts_on: '2026-09-01',
    exited_on: null,
    ...over,
  });
  it.each([
    [{ starts_on: '2026-03-06' }, '2026-03-03', true], // session starting this week
    [{ starts_on: '2026-02-25' }, '2026-03-03', true], // started last week
    [{ starts_on: '2026-09-01' }, '2026-03-03', false], // months away
    [{ status: 'in_training', starts_on: '2026-01-05' }, '2026-03-03', true], // attendance due early in the month
    [{ status: 'in_training', starts_on: '2026-01-05' }, '2026-03-17', false], // mid-month: nothing due
    [{ status: 'completed', starts_on: '2025-11-03', exited_on: '2026-02-27' }, '2026-03-03', true], // exit to declare
    [{ status: 'completed', starts_on: '2025-11-03', exited_on: '2026-01-30' }, '2026-03-03', false],
  ] as const)('%o on %s → %s', (row, today, expected) => {
    expect(traineeInWorkflow(t(row), today)).toBe(expected);
  });
});

describe.each(DIALECTS)('the budget of people outside the usual workflow on %s', (dialect) => {
  let f: DetectionFixture;
  let agency = '';
  let training = '';
  let adviser: TestAccount;
  let portfolio: string[] = [];
  let others: string[] = [];
  let starting: string[] = [];
  let later: string[] = [];

  beforeAll(async () => {
    f = await openDetectionFixture(dialect);
    agency = await addOrganisation(f.store.db, 'agency');
    adviser = await addAccount(f.store.db, 'adviser', agency);
    portfolio = await addPeople(f, agency, 60, { adviserId: adviser.id });
    others = await addPeople(f, agency, 40);
    training = await addOrganisation(f.store.db, 'training');
    starting = await addPeople(f, agency, 35, { trainingOrg: training });
    await sessionsStartOn(f.store.db, training, '2026-03-06');
    later = await addPeople(f, agency, 20, { trainingOrg: training }); // sessions starting in September
  });
  afterAll(() => f.dispose());

  const lookup = (reader: Reader, person: string) =>
    f.gate.disclose({
      reader,
      purpose: 'agency_lookup',
      people: [person],
      reason: 'Accueil sans rendez-vous : demande de l’usager',
    });

  it('lets an adviser work the whole portfolio, but slows, masks, then suspends agency lookups beyond it (2021 insider export)', async () => {
    f.clock.set(DETECT_START);
    const reader = readerOf(adviser, { assurance: 'mfa' });
    expect(
      (await f.gate.disclose({ reader, purpose: 'portfolio_followup', people: portfolio.slice(0, 50) })).every(
        (p) => !p.masked,
      ),
    ).toBe(true);
    for (const p of others.slice(0, 6)) expect((await lookup(reader, p))[0]?.masked).toBe(false);
    expect(await errorOf(lookup(reader, others[6] ?? ''))).toMatchObject({ code: 'DETECT.SLOW_DOWN' });
    f.clock.advance(3_600_000);
    for (const p of others.slice(6, 12)) expect((await lookup(reader, p))[0]?.masked).toBe(false);
    expect((await lookup(reader, others[12] ?? ''))[0]?.masked).toBe(true); // 13 in the day: masked
    expect(await errorOf(lookup(reader, others[13] ?? ''))).toMatchObject({ code: 'DETECT.CREDENTIAL_SUSPENDED' });
    await f.detection.flush();
    const rules = (await decisionsOf(f.store.db, adviser.id)).map((d) => `${d.action}/${d.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining(['slow_down/beyond_hour', 'mask/beyond_day', 'suspend_credential/beyond_pressure']),
    );
    const slowed = (await decisionsOf(f.store.db, adviser.id)).find((d) => d.rule === 'beyond_hour');
    expect(slowed?.details['beyondWorkflow']).toMatchObject({
      people: 1,
      exceeded: 'hour',
      windows: expect.arrayContaining([{ window: 'hour', count: 7, limit: 6 }]),
    });
  });

  it('lets a training organisation open a starting session’s trainees, and masks a whole list of trainees with no workflow reason before anything is decrypted', async () => {
    f.clock.set(DETECT_START);
    const trainer = await addAccount(f.store.db, 'trainer', training);
    const reader = readerOf(trainer, { assurance: 'mfa' });
    expect(
      (await f.gate.disclose({ reader, purpose: 'training_followup', people: starting.slice(0, 30) })).every(
        (p) => !p.masked,
      ),
    ).toBe(true);
    const exported = await f.gate.disclose({ reader, purpose: 'training_contact', people: later.slice(0, 20) });
    expect(exported.every((p) => p.masked && p.fields.lastName === undefined && p.fields.email === undefined)).toBe(
      true,
    );
    await f.detection.flush();
    const [decision] = await decisionsOf(f.store.db, trainer.id);
    expect(decision).toMatchObject({
      action: 'mask',
      rule: 'beyond_week',
      people: 20,
      details: { beyondWorkflow: { contact: true } },
    }); // 20 contact details: over a week's 15
    expect(
      (await f.gate.disclose({ reader, purpose: 'training_followup', people: later.slice(0, 3) })).every(
        (p) => !p.masked,
      ),
    ).toBe(true); // a few: fine
    expect(
      await errorOf(f.gate.disclose({ reader, purpose: 'training_followup', people: later.slice(3, 11) })),
    ).toMatchObject({ code: 'DETECT.SLOW_DOWN' }); // 11 in the hour
  });

  it('allows contact details of five people outside the workflow a day, then masks them (contact with no follow-up declared)', async () => {
    f.clock.set(DETECT_START + 2 * 3_600_000);
    const trainer = await addAccount(f.store.db, 'trainer', training);
    const reader = readerOf(trainer, { assurance: 'mfa' });
    const contact = (person: string) => f.gate.disclose({ reader, purpose: 'training_contact', people: [person] });
    for (const p of later.slice(0, 5)) expect((await contact(p))[0]?.masked).toBe(false);
    expect((await contact(later[5] ?? ''))[0]?.masked).toBe(true);
    expect((await f.gate.disclose({ reader, purpose: 'training_followup', people: [later[5] ?? ''] }))[0]?.masked).toBe(
      false,
    ); // follow-up fields: fine
    expect((await contact(starting[0] ?? ''))[0]?.masked).toBe(false); // a trainee of the starting session: the workflow
    await f.detection.flush();
    const [decision] = await decisionsOf(f.store.db, trainer.id);
    expect(decision?.details['beyondWorkflow']).toMatchObject({ contact: true, exceeded: 'day' });
  });

  it('lets an adviser whose history has twenty agency lookups a day (a reception desk) do as many, within its learned budget', async () => {
    const desk = await addAccount(f.store.db, 'adviser', agency);
    await addHistory(
      f.store.db,
      desk.id,
      others,
      Array.from({ length: 25 }, () => 20),
      DETECT_START - DAY,
    );
    await f.store.db
      .updateTable('disclosures')
      .set({ purpose: 'agency_lookup' })
      .where('reader_id', '=', desk.id)
      .execute();
    f.clock.set(DETECT_START);
    await f.detection.recomputeBaselines();
    const reader = readerOf(desk, { assurance: 'mfa' });
    for (const p of others.slice(0, 15)) expect((await lookup(reader, p))[0]?.masked).toBe(false); // the floor would slow the 7th
    for (const p of others.slice(15, 18)) expect(await errorOf(lookup(reader, p))).toBeNull();
    expect(await errorOf(lookup(reader, others[18] ?? ''))).toMatchObject({ code: 'DETECT.SLOW_DOWN' }); // 19 in the hour: over 18
  });
});
