/**
 * A working day of a member of staff, Paris time: arrival, lunch, departure, and instants drawn
 * inside the hours actually worked. Monday mornings are busier.
 */
import type { IsoDate } from '../../domain/dates.js';
import type { Rng } from '../population/rng.js';
import { atParis, isWorkingDay, weekdayOf } from './calendar.js';

export interface WorkDay {
  readonly date: IsoDate;
  /** Worked intervals, in minutes after Paris midnight. */
  readonly blocks: readonly (readonly [number, number])[];
  readonly monday: boolean;
}

/** The day's hours, or null when this person does not work today (weekend, holiday, leave). */
export function workDay(date: IsoDate, rng: Rng, leave = 0.04): WorkDay | null {
  if (!isWorkingDay(date) || rng.chance(leave)) return null;
  const arrive = rng.int(8 * 60 + 30, 9 * 60 + 30);
  const lunch = rng.int(12 * 60, 12 * 60 + 45);
  const back = lunch + rng.int(45, 80);
  const leaveAt = rng.int(16 * 60 + 45, 18 * 60 + 15);
  return {
    date,
    blocks: [
      [arrive, lunch],
      [back, leaveAt],
    ],
    monday: weekdayOf(date) === 1,
  };
}

const lengthOf = (blocks: WorkDay['blocks']): number => blocks.reduce((sum, [a, b]) => sum + (b - a), 0);

/** One instant drawn uniformly in the worked hours (minute resolution, plus seconds). */
export function instantIn(day: WorkDay, rng: Rng, blocks: WorkDay['blocks'] = day.blocks): number {
  let u = rng.below(Math.max(1, lengthOf(blocks)));
  for (const [a, b] of blocks) {
    if (u < b - a) return atParis(day.date, a + u) + rng.below(60) * 1000;
    u -= b - a;
  }
  return atParis(day.date, blocks[0]?.[0] ?? 9 * 60);
}

/** `n` instants in the worked hours, in order. */
export const instantsIn = (day: WorkDay, rng: Rng, n: number): number[] =>
  Array.from({ length: n }, () => instantIn(day, rng)).sort((a, b) => a - b);

/** The first minutes of the day: a sign-in at arrival. */
export const arrival = (day: WorkDay): number => atParis(day.date, day.blocks[0]?.[0] ?? 9 * 60);

/** The morning block only (sessions starting, lists opened on arrival). */
export const morning = (day: WorkDay): WorkDay['blocks'] => day.blocks.slice(0, 1);
