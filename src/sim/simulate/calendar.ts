/**
 * Simulated time in France (Europe/Paris): day starts, wall-clock minutes, week days and public
 * holidays, so that legitimate traffic keeps office hours and attacks can choose theirs.
 */
import { addDays, fromDayNumber, toDayNumber } from '../../domain/dates.js';
import type { IsoDate } from '../../domain/dates.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Minutes Paris is ahead of UTC at this instant (60 in winter, 120 in summer). */
export function parisOffsetMinutes(epochMs: number): number {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(
    Number(p['year']),
    Number(p['month']) - 1,
    Number(p['day']),
    Number(p['hour']),
    Number(p['minute']),
  );
  return Math.round((wall - Math.floor(epochMs / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** The instant of `minutes` after midnight, Paris time, on `date`. */
export function atParis(date: IsoDate, minutes: number): number {
  const naive = toDayNumber(date) * DAY_MS + minutes * MINUTE_MS;
  const guess = naive - parisOffsetMinutes(naive) * MINUTE_MS;
  return naive - parisOffsetMinutes(guess) * MINUTE_MS;
}

export interface ParisMoment {
  readonly date: IsoDate;
  /** Minutes since Paris midnight. */
  readonly minutes: number;
  /** 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
}

export function parisMoment(epochMs: number): ParisMoment {
  const local = epochMs + parisOffsetMinutes(epochMs) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  return {
    date: fromDayNumber(day),
    minutes: Math.floor((local - day * DAY_MS) / MINUTE_MS),
    weekday: ((day + 3) % 7) + 1,
  };
}

/** Easter Sunday (anonymous Gregorian algorithm). */
function easter(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((8 * b + 13) / 25)) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const FIXED_HOLIDAYS = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'];

/** French public holidays (jours fériés) of metropolitan France. */
export function isHoliday(date: IsoDate): boolean {
  if (FIXED_HOLIDAYS.includes(date.slice(5))) return true;
  const e = easter(Number(date.slice(0, 4)));
  return [1, 39, 50].some((d) => addDays(e, d) === date);
}

/** A working day: Monday to Friday, not a public holiday. */
export const isWorkingDay = (date: IsoDate): boolean => {
  const weekday = ((toDayNumber(date) + 3) % 7) + 1;
  return weekday <= 5 && !isHoliday(date);
};

export const weekdayOf = (date: IsoDate): number => ((toDayNumber(date) + 3) % 7) + 1;
