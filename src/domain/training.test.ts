import { describe, expect, it } from 'vitest';
import type { AppError } from './errors.js';
import { isAppError } from './errors.js';
import {
  applyFollowUp,
  followUpFactDate,
  isLateDeclaration,
  isLateFollowUp,
  newEnrolment,
  trainerMayStillSee,
  trainerVisibleUntil,
} from './training.js';
import type { AttendanceEvent, Enrolment, FollowUpEvent } from './training-events.js';
import { EXIT_REASONS, EXIT_REASON_NAMES } from './training-events.js';

const prescribed = newEnrolment('2024-01-10');

const ok = <E extends Enrolment>(r: E | AppError): E => {
  if (isAppError(r)) throw new Error(`unexpected ${r.code}`);
  return r;
};
const codeOf = (r: Enrolment | AppError): string => (isAppError(r) ? r.code : 'ok');

const entry = (factDate: string, declaredOn = factDate): FollowUpEvent => ({ kind: 'entry', factDate, declaredOn });
const attendance = (month: string, declaredOn: string, hours: Partial<AttendanceEvent> = {}): AttendanceEvent => ({
  kind: 'attendance',
  month,
  declaredOn,
  hoursAttended: 140,
  justifiedAbsenceHours: 7,
  unjustifiedAbsenceHours: 0,
  ...hours,
});

const entered = ok(applyFollowUp(prescribed, entry('2024-02-05', '2024-02-06')));

describe('transitions', () => {
  it('prescribed → in_training on entry', () => {
    expect(entered).toMatchObject({ state: 'in_training', enteredOn: '2024-02-05' });
    expect(prescribed.state).toBe('prescribed');
  });

  it('in_training → completed on exit with an end reason', () => {
    const done = ok(
      applyFollowUp(entered, {
        kind: 'exit',
        factDate: '2024-06-28',
        reason: 'completed_certified',
        declaredOn: '2024-06-28',
      }),
    );
    expect(done).toMatchObject({ state: 'completed', exitedOn: '2024-06-28', exitReason: 'completed_certified' });
  });

  it('in_training → interrupted on interruption with an early reason', () => {
    const stopped = ok(
      applyFollowUp(entered, {
        kind: 'interruption',
        factDate: '2024-03-12',
        reason: 'employment',
        declaredOn: '2024-03-13',
      }),
    );
    expect(stopped).toMatchObject({ state: 'interrupted', exitedOn: '2024-03-12', exitReason: 'employment' });
  });

  it('prescribed → cancelled, and nothing after', () => {
    const cancelled = ok(
      applyFollowUp(prescribed, { kind: 'cancellation', factDate: '2024-01-20', declaredOn: '2024-01-20' }),
    );
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelledOn: '2024-01-20' });
    expect(codeOf(applyFollowUp(cancelled, entry('2024-02-01')))).toBe('FOLLOWUP.CANCELLED');
    expect(
      codeOf(applyFollowUp(cancelled, { kind: 'cancellation', factDate: '2024-01-21', declaredOn: '2024-01-21' })),
    ).toBe('FOLLOWUP.CANCELLED');
  });

  it('keeps the other properties of the enrolment', () => {
    const stored = { ...prescribed, id: 'e1', sessionId: 's1' };
    expect(ok(applyFollowUp(stored, entry('2024-02-05')))).toMatchObject({ id: 'e1', sessionId: 's1' });
  });

  it('records attendance once per month, between entry and exit', () => {
    const feb = ok(applyFollowUp(entered, attendance('2024-02', '2024-03-01')));
    const both = ok(applyFollowUp(feb, attendance('2024-04', '2024-05-02')));
    const all = ok(applyFollowUp(both, attendance('2024-03', '2024-05-02')));
    expect(all.attendanceMonths).toEqual(['2024-02', '2024-03', '2024-04']);
    expect(codeOf(applyFollowUp(all, attendance('2024-03', '2024-05-03')))).toBe('FOLLOWUP.MONTH_ALREADY_DECLARED');
  });

  it('allows the last month after exit, not a later one', () => {
    const done = ok(
      applyFollowUp(entered, {
        kind: 'exit',
        factDate: '2024-04-12',
        reason: 'completed_not_certified',
        declaredOn: '2024-04-12',
      }),
    );
    expect(ok(applyFollowUp(done, attendance('2024-04', '2024-04-13'))).attendanceMonths).toEqual(['2024-04']);
    expect(codeOf(applyFollowUp(done, attendance('2024-05', '2024-06-01')))).toBe('FOLLOWUP.MONTH_OUTSIDE_TRAINING');
  });
});

describe('refusals', () => {
  const exit = (factDate: string, reason: keyof typeof EXIT_REASONS = 'completed_certified'): FollowUpEvent => ({
    kind: 'exit',
    factDate,
    reason,
    declaredOn: '2024-12-31',
  });

  it.each<[string, Enrolment, FollowUpEvent]>([
    ['FOLLOWUP.ALREADY_ENTERED', entered, entry('2024-02-07')],
    ['FOLLOWUP.ALREADY_ENTERED', entered, { kind: 'cancellation', factDate: '2024-02-07', declaredOn: '2024-02-07' }],
    ['FOLLOWUP.NOT_ENTERED', prescribed, attendance('2024-02', '2024-03-01')],
    ['FOLLOWUP.NOT_ENTERED', prescribed, exit('2024-03-01')],
    [
      'FOLLOWUP.NOT_ENTERED',
      prescribed,
      { kind: 'interruption', factDate: '2024-03-01', reason: 'health', declaredOn: '2024-03-01' },
    ],
    ['FOLLOWUP.FACT_IN_FUTURE', prescribed, entry('2024-02-05', '2024-02-04')],
    ['FOLLOWUP.FACT_IN_FUTURE', entered, attendance('2024-02', '2024-02-28')],
    [
      'FOLLOWUP.FACT_IN_FUTURE',
      entered,
      { kind: 'exit', factDate: '2024-06-01', reason: 'completed_certified', declaredOn: '2024-05-31' },
    ],
    ['FOLLOWUP.FACT_BEFORE_PRESCRIPTION', prescribed, entry('2024-01-09')],
    ['FOLLOWUP.MONTH_OUTSIDE_TRAINING', entered, attendance('2024-01', '2024-03-01')],
    ['FOLLOWUP.EXIT_BEFORE_ENTRY', entered, exit('2024-02-04')],
    ['FOLLOWUP.REASON_MISMATCH', entered, exit('2024-03-01', 'abandonment')],
    [
      'FOLLOWUP.REASON_MISMATCH',
      entered,
      { kind: 'interruption', factDate: '2024-03-01', reason: 'completed_certified', declaredOn: '2024-03-01' },
    ],
    ['FOLLOWUP.INVALID_HOURS', entered, attendance('2024-02', '2024-03-01', { hoursAttended: -1 })],
    ['FOLLOWUP.INVALID_HOURS', entered, attendance('2024-02', '2024-03-01', { unjustifiedAbsenceHours: Number.NaN })],
    ['FOLLOWUP.INVALID_HOURS', entered, attendance('2024-02', '2024-03-01', { hoursAttended: 800 })],
    ['FOLLOWUP.INVALID_DATE', entered, entry('2024-02-30')],
    ['FOLLOWUP.INVALID_DATE', entered, attendance('2024-13', '2024-03-01')],
  ])('%s', (code, enrolment, event) => {
    const r = applyFollowUp(enrolment, event);
    expect(codeOf(r)).toBe(code);
    expect(isAppError(r) && r.message.length).toBeGreaterThan(10);
  });

  it('refuses a second exit and an entry after exit', () => {
    const done = ok(applyFollowUp(entered, exit('2024-05-31')));
    expect(codeOf(applyFollowUp(done, exit('2024-06-01')))).toBe('FOLLOWUP.ALREADY_EXITED');
    expect(codeOf(applyFollowUp(done, entry('2024-06-01')))).toBe('FOLLOWUP.ALREADY_ENTERED');
  });

  it('refuses an exit before a month whose attendance is declared', () => {
    const may = ok(applyFollowUp(entered, attendance('2024-05', '2024-06-01')));
    expect(codeOf(applyFollowUp(may, exit('2024-04-30')))).toBe('FOLLOWUP.ATTENDANCE_AFTER_EXIT');
  });

  it('refuses an unknown reason', () => {
    const event = {
      kind: 'exit',
      factDate: '2024-03-01',
      reason: 'bored',
      declaredOn: '2024-03-01',
    } as unknown as FollowUpEvent;
    expect(codeOf(applyFollowUp(entered, event))).toBe('FOLLOWUP.INVALID_REASON');
  });

  it('labels every exit reason in French', () => {
    for (const reason of EXIT_REASON_NAMES) expect(EXIT_REASONS[reason].label).toMatch(/^[A-ZÉ]/);
  });
});

describe('late declarations', () => {
  it('is due within 3 calendar days of the fact', () => {
    expect(isLateDeclaration('2024-02-05', '2024-02-05')).toBe(false);
    expect(isLateDeclaration('2024-02-05', '2024-02-08')).toBe(false);
    expect(isLateDeclaration('2024-02-05', '2024-02-09')).toBe(true);
    expect(isLateDeclaration('2024-02-27', '2024-03-01')).toBe(false);
    expect(isLateDeclaration('2023-02-27', '2023-03-03')).toBe(true);
    expect(isLateDeclaration('2024-12-30', '2025-01-02')).toBe(false);
  });

  it('dates attendance at the end of the month, or at the exit', () => {
    expect(followUpFactDate(entered, attendance('2024-02', '2024-03-01'))).toBe('2024-02-29');
    expect(isLateFollowUp(entered, attendance('2024-02', '2024-03-03'))).toBe(false);
    expect(isLateFollowUp(entered, attendance('2024-02', '2024-03-04'))).toBe(true);
    const done = ok(
      applyFollowUp(entered, {
        kind: 'exit',
        factDate: '2024-04-12',
        reason: 'completed_certified',
        declaredOn: '2024-04-12',
      }),
    );
    expect(followUpFactDate(done, attendance('2024-04', '2024-04-13'))).toBe('2024-04-12');
    expect(isLateFollowUp(done, attendance('2024-04', '2024-04-16'))).toBe(true);
  });

  it('flags each kind of event', () => {
    expect(isLateFollowUp(prescribed, entry('2024-02-05', '2024-02-10'))).toBe(true);
    expect(
      isLateFollowUp(entered, {
        kind: 'exit',
        factDate: '2024-06-28',
        reason: 'completed_certified',
        declaredOn: '2024-07-01',
      }),
    ).toBe(false);
    expect(
      isLateFollowUp(entered, {
        kind: 'interruption',
        factDate: '2024-06-28',
        reason: 'health',
        declaredOn: '2024-07-02',
      }),
    ).toBe(true);
  });
});

describe('trainer visibility window', () => {
  const done = ok(
    applyFollowUp(entered, {
      kind: 'exit',
      factDate: '2024-05-31',
      reason: 'completed_certified',
      declaredOn: '2024-05-31',
    }),
  );

  it('opens at prescription and stays open while in training', () => {
    expect(trainerMayStillSee(prescribed, '2024-01-09')).toBe(false);
    expect(trainerMayStillSee(prescribed, '2024-01-10')).toBe(true);
    expect(trainerMayStillSee(entered, '2026-01-01')).toBe(true);
  });

  it('closes 3 months after exit', () => {
    expect(trainerVisibleUntil(done)).toBe('2024-08-31');
    expect(trainerMayStillSee(done, '2024-08-31')).toBe(true);
    expect(trainerMayStillSee(done, '2024-09-01')).toBe(false);
  });

  it('is closed for a cancelled enrolment', () => {
    const cancelled = ok(
      applyFollowUp(prescribed, { kind: 'cancellation', factDate: '2024-01-11', declaredOn: '2024-01-11' }),
    );
    expect(trainerMayStillSee(cancelled, '2024-01-12')).toBe(false);
  });
});
