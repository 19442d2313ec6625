/**
 * Calendar facts of an instant in Europe/Paris, as detection needs them: day and week numbers for
 * the budget windows, the hour of the week for usual hours. Formatting with a time zone is slow and
 * the answer only changes at a minute boundary, so the last answer is kept for its minute.
 */
export interface ParisTime {
  /** Days since 1970-01-01 in Paris local time. */
  readonly day: number;
  /** Weeks (Monday to Sunday) since the week of 1970-01-01. */
  readonly week: number;
  /** 0 = Monday … 6 = Sunday. */
  readonly weekday: number;
  /** 0…23. */
  readonly hour: number;
  /** weekday × 24 + hour: 0 is Monday 00h, 167 Sunday 23h. */
  readonly hourOfWeek: number;
  /** Epoch ms of this Paris day's midnight and of this week's Monday midnight. */
  readonly dayStart: number;
  readonly weekStart: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const HOURS_PER_WEEK = 168;

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

function compute(minuteStart: number): ParisTime {
  const p: Record<string, number> = {};
  for (const part of PARTS.formatToParts(new Date(minuteStart))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const wall = Date.UTC(p['year'] ?? 1970, (p['month'] ?? 1) - 1, p['day'] ?? 1, p['hour'] ?? 0, p['minute'] ?? 0);
  const offset = wall - minuteStart;
  const day = Math.floor(wall / DAY_MS);
  const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const hour = p['hour'] ?? 0;
  return {
    day,
    week: Math.floor((day + 3) / 7),
    weekday,
    hour,
    hourOfWeek: weekday * 24 + hour,
    dayStart: day * DAY_MS - offset,
    weekStart: (day - weekday) * DAY_MS - offset,
  };
}

let lastMinute = Number.NaN;
let last: ParisTime = compute(0);

/** The Paris calendar facts of `epochMs` (cached for the minute). */
export function parisTime(epochMs: number): ParisTime {
  const minuteStart = Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
  if (minuteStart !== lastMinute) {
    lastMinute = minuteStart;
    last = compute(minuteStart);
  }
  return last;
}

/** "lundi 22 h" style label of an hour of the week, for explanations. */
export function hourOfWeekLabel(hourOfWeek: number): string {
  const days = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
  return `${days[Math.floor(hourOfWeek / 24)] ?? '?'} ${hourOfWeek % 24} h`;
}
