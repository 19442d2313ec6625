/** Time, passed explicitly so that tests and the simulator can drive it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told: tests and simulations. */
export function manualClock(start: number): Clock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  return { now: () => t, set: (v) => void (t = v), advance: (ms) => void (t += ms) };
}

/** The calendar date of an instant in France (Europe/Paris), 'YYYY-MM-DD'. */
export function parisDate(epochMs: number): string {
  // Formatting with a time zone is slow; the date only changes at midnight, so keep the last answer
  // for the minute it was computed in (no minute straddles two dates in any time zone offset).
  const minute = Math.floor(epochMs / 60_000);
  if (minute !== lastMinute) {
    lastMinute = minute;
    lastDate = PARIS_DATE.format(new Date(epochMs));
  }
  return lastDate;
}
let lastMinute = Number.NaN;
let lastDate = '';
const PARIS_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
