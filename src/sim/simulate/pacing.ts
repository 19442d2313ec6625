/**
 * When an attacker sends its next request: round the clock (bulk), inside office hours at a
 * holder's pace (quiet), or in the evenings and at weekends (the 2024 takeover).
 */
import type { Rng } from '../population/rng.js';
import { addDays } from '../../domain/dates.js';
import { atParis, isWorkingDay, parisMoment } from './calendar.js';

export type Pace = (now: number, rng: Rng) => number;

type Window = (date: string, weekday: number) => readonly (readonly [number, number])[];

const OFFICE: Window = (date) =>
  isWorkingDay(date)
    ? [
        [9 * 60, 12 * 60],
        [13 * 60 + 30, 17 * 60 + 30],
      ]
    : [];
const OFF_HOURS: Window = (date, weekday) =>
  weekday >= 6 || !isWorkingDay(date) ? [[8 * 60, 24 * 60]] : [[19 * 60, 24 * 60]];

/** The first instant at or after `t` inside the window (searching a fortnight ahead). */
function inside(t: number, window: Window, rng: Rng): number {
  const m = parisMoment(t);
  for (let d = 0; d < 15; d++) {
    const date = addDays(m.date, d);
    const weekday = ((m.weekday - 1 + d) % 7) + 1;
    for (const [a, b] of window(date, weekday)) {
      if (d === 0 && m.minutes >= b) continue;
      if (d === 0 && m.minutes >= a) return t;
      return atParis(date, a) + rng.below(20 * 60) * 1000;
    }
  }
  return t;
}

const gap = (rng: Rng, minSeconds: number, maxSeconds: number): number =>
  Math.round((minSeconds + rng.next() * (maxSeconds - minSeconds)) * 1000);

export const roundTheClock =
  (minSeconds: number, maxSeconds: number): Pace =>
  (now, rng) =>
    now + gap(rng, minSeconds, maxSeconds);

export const officeHours =
  (minSeconds: number, maxSeconds: number): Pace =>
  (now, rng) =>
    inside(now + gap(rng, minSeconds, maxSeconds), OFFICE, rng);

export const offHours =
  (minSeconds: number, maxSeconds: number): Pace =>
  (now, rng) =>
    inside(now + gap(rng, minSeconds, maxSeconds), OFF_HOURS, rng);

/** A pace that spreads `perDay` requests over the 6.5 office hours of a working day. */
export const officePerDay = (perDay: number): Pace => officeHours((0.5 * 23_400) / perDay, (1.5 * 23_400) / perDay);

/** The first office-hours instant at or after `t`. */
export const nextOfficeInstant = (t: number, rng: Rng): number => inside(t, OFFICE, rng);
export const nextOffHoursInstant = (t: number, rng: Rng): number => inside(t, OFF_HOURS, rng);
