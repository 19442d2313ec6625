import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/stores.js';
import { openScenario, readerFor, SCENARIO_NOW } from '../test-support/scenario.js';
import type { OpenScenario } from '../test-support/scenario.js';
import { declareFollowUp } from './trainer-followup.js';
import { getTrainee, listMySessions, listSessionTrainees } from './trainer-sessions.js';
import { codeOf } from '../test-support/errors.js';

const DAY = 86_400_000;

describe.each(DIALECTS)('training organisation workflows on %s', (dialect) => {
  let w: OpenScenario;
  beforeAll(async () => {
    w = await openScenario(dialect);
  });
  afterAll(() => w.dispose());

  const trainer = () => readerFor(w.scenario.accounts.trainer);
  const disclosuresOf = (requestId: string) =>
    w.store.db.selectFrom('disclosures').selectAll().where('request_id', '=', requestId).execute();

  it('lists my sessions with enrolment counts, and nobody else’s', async () => {
    const sessions = await listMySessions(w.ctx, trainer());
    expect(sessions.map((s) => s.id).sort()).toEqual(
      [w.scenario.sessions.main, w.scenario.sessions.catalogue, w.scenario.sessions.past].sort(),
    );
    const main = sessions.find((s) => s.id === w.scenario.sessions.main);
    expect(main?.counts).toEqual({ prescribed: 1, in_training: 1, interrupted: 0, completed: 0, cancelled: 0 });
    expect(sessions.find((s) => s.id === w.scenario.sessions.past)?.counts.completed).toBe(1);
    expect(main?.romeCodes).toEqual(['M1805']);
  });

  it('lists the trainees of my session through the gate, without those past the visibility window', async () => {
    const reader = trainer();
    const trainees = await listSessionTrainees(w.ctx, reader, w.scenario.sessions.main);
    expect(trainees.map((t) => t.person.id).sort()).toEqual([w.scenario.people.p1.id, w.scenario.people.p2.id].sort());
    const p1 = trainees.find((t) => t.person.id === w.scenario.people.p1.id);
    expect(p1?.person.fields.lastName).toBe('Martin1');
    expect(p1?.person.fields).not.toHaveProperty('email');
    expect(p1?.person.fields).not.toHaveProperty('nir');
    expect(p1?.enrolment.status).toBe('in_training');
    const log = await disclosuresOf(reader.requestId);
    expect(log.map((d) => d.person_id).sort()).toEqual(trainees.map((t) => t.person.id).sort());
    expect(new Set(log.map((d) => d.purpose))).toEqual(new Set(['training_followup']));
  });

  it('answers another organisation’s session like a missing one', async () => {
    expect(await codeOf(listSessionTrainees(w.ctx, trainer(), w.scenario.sessions.other))).toBe(
      'TRAINING_SESSION.NOT_FOUND',
    );
    expect(await codeOf(listSessionTrainees(w.ctx, trainer(), '00000000-0000-4000-8000-000000000000'))).toBe(
      'TRAINING_SESSION.NOT_FOUND',
    );
  });

  it('opens one trainee’s file, with contact details only for training_contact', async () => {
    const followup = await getTrainee(w.ctx, trainer(), w.scenario.people.p1.id);
    expect(followup.person.fields).not.toHaveProperty('phone');
    expect(followup.enrolments.map((e) => e.id)).toEqual([w.scenario.enrolments.p1Main]);
    const contact = await getTrainee(w.ctx, trainer(), w.scenario.people.p1.id, 'training_contact');
    expect(contact.person.fields.email).toBe(w.scenario.people.p1.email);
    expect(await codeOf(getTrainee(w.ctx, trainer(), w.scenario.people.p3.id))).toBe('PERSON.NOT_FOUND');
    expect(await codeOf(getTrainee(w.ctx, trainer(), w.scenario.people.p4.id))).toBe('PERSON.NOT_FOUND');
  });

  it('refuses other roles', async () => {
    expect(await codeOf(listMySessions(w.ctx, readerFor(w.scenario.accounts.adviser1)))).toBe('AUTH.ROLE_FORBIDDEN');
    expect(await codeOf(getTrainee(w.ctx, readerFor(w.scenario.accounts.seeker1), w.scenario.people.p1.id))).toBe(
      'AUTH.ROLE_FORBIDDEN',
    );
  });
});

describe.each(DIALECTS)('follow-up declarations on %s', (dialect) => {
  let w: OpenScenario;
  beforeAll(async () => {
    w = await openScenario(dialect);
  });
  afterAll(() => w.dispose());

  const trainer = () => readerFor(w.scenario.accounts.trainer);

  it('declares entry on time, then refuses a second entry', async () => {
    w.clock.set(SCENARIO_NOW);
    const result = await declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p2Main, {
      kind: 'entry',
      date: '2026-11-18',
    });
    expect(result.enrolment).toMatchObject({ status: 'in_training', enteredOn: '2026-11-18', visibleUntil: null });
    expect(result.event).toMatchObject({ kind: 'entry', factDate: '2026-11-18', late: false });
    expect(
      await codeOf(
        declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p2Main, { kind: 'entry', date: '2026-11-19' }),
      ),
    ).toBe('FOLLOWUP.ALREADY_ENTERED');
  });

  it('accepts monthly attendance, flags it late after 3 days, and refuses the same month twice', async () => {
    w.clock.set(SCENARIO_NOW);
    const october = await declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, {
      kind: 'attendance',
      month: '2026-10',
      hoursAttended: 140,
      hoursAbsentJustified: 7,
      hoursAbsentUnjustified: 0,
    });
    expect(october.event).toMatchObject({
      kind: 'attendance',
      month: '2026-10',
      factDate: '2026-10-31',
      hoursAttended: 140,
      late: true,
    });
    const again = {
      kind: 'attendance',
      month: '2026-10',
      hoursAttended: 1,
      hoursAbsentJustified: 0,
      hoursAbsentUnjustified: 0,
    } as const;
    expect(await codeOf(declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, again))).toBe(
      'FOLLOWUP.MONTH_ALREADY_DECLARED',
    );
    const tooMany = {
      kind: 'attendance',
      month: '2026-11',
      hoursAttended: 800,
      hoursAbsentJustified: 0,
      hoursAbsentUnjustified: 0,
    } as const;
    w.clock.set(Date.UTC(2026, 11, 1, 9));
    expect(await codeOf(declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, tooMany))).toBe(
      'FOLLOWUP.INVALID_HOURS',
    );
    const november = await declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, {
      ...tooMany,
      hoursAttended: 120,
    });
    expect(november.event.late).toBe(false);
  });

  it('declares the exit, opens a 3-month window, then the enrolment disappears for the organisation', async () => {
    w.clock.set(Date.UTC(2026, 11, 2, 9));
    expect(
      await codeOf(
        declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, {
          kind: 'exit',
          date: '2026-12-01',
          reason: 'employment',
        }),
      ),
    ).toBe('FOLLOWUP.REASON_MISMATCH');
    expect(
      await codeOf(
        declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, {
          kind: 'exit',
          date: '2026-12-01',
          reason: 'nope',
        }),
      ),
    ).toBe('FOLLOWUP.INVALID_REASON');
    const exit = await declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, {
      kind: 'interruption',
      date: '2026-12-01',
      reason: 'employment',
    });
    expect(exit.enrolment).toMatchObject({
      status: 'interrupted',
      exitedOn: '2026-12-01',
      exitReason: 'employment',
      visibleUntil: '2027-03-01',
    });
    w.clock.set(Date.UTC(2027, 2, 1, 12));
    expect((await getTrainee(w.ctx, trainer(), w.scenario.people.p1.id)).enrolments).toHaveLength(1);
    w.clock.set(Date.UTC(2027, 2, 2, 12));
    expect(await codeOf(getTrainee(w.ctx, trainer(), w.scenario.people.p1.id))).toBe('PERSON.NOT_FOUND');
    const late = {
      kind: 'attendance',
      month: '2026-12',
      hoursAttended: 7,
      hoursAbsentJustified: 0,
      hoursAbsentUnjustified: 0,
    } as const;
    expect(await codeOf(declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p1Main, late))).toBe(
      'ENROLMENT.NOT_FOUND',
    );
  });

  it('answers another organisation’s enrolment exactly like a missing one', async () => {
    w.clock.set(SCENARIO_NOW + DAY);
    const other = await codeOf(
      declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p3Other, {
        kind: 'exit',
        date: '2026-11-20',
        reason: 'completed_certified',
      }),
    );
    const missing = await codeOf(
      declareFollowUp(w.ctx, trainer(), '00000000-0000-4000-8000-000000000000', {
        kind: 'exit',
        date: '2026-11-20',
        reason: 'completed_certified',
      }),
    );
    expect(other).toBe('ENROLMENT.NOT_FOUND');
    expect(missing).toBe(other);
    const events = await w.store.db
      .selectFrom('followup_events')
      .select('id')
      .where('enrolment_id', '=', w.scenario.enrolments.p3Other)
      .execute();
    expect(events).toHaveLength(0);
  });

  it('refuses a fact in the future and a malformed date', async () => {
    w.clock.set(SCENARIO_NOW);
    expect(
      await codeOf(
        declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p2Main, {
          kind: 'exit',
          date: '2026-12-24',
          reason: 'completed_certified',
        }),
      ),
    ).toBe('FOLLOWUP.FACT_IN_FUTURE');
    expect(
      await codeOf(
        declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p2Main, {
          kind: 'exit',
          date: '2026-02-30',
          reason: 'completed_certified',
        }),
      ),
    ).toBe('FOLLOWUP.INVALID_DATE');
  });

  it('serialises concurrent declarations of the same month: exactly one wins', async () => {
    w.clock.set(Date.UTC(2026, 11, 1, 9));
    const declare = () =>
      declareFollowUp(w.ctx, trainer(), w.scenario.enrolments.p2Main, {
        kind: 'attendance',
        month: '2026-11',
        hoursAttended: 70,
        hoursAbsentJustified: 0,
        hoursAbsentUnjustified: 0,
      });
    const results = await Promise.allSettled([declare(), declare(), declare()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rows = await w.store.db
      .selectFrom('followup_events')
      .select('id')
      .where('enrolment_id', '=', w.scenario.enrolments.p2Main)
      .where('month', '=', '2026-11')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
