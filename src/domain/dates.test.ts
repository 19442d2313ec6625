import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  ageOn,
  daysBetween,
  fromDayNumber,
  isIsoDate,
  isIsoMonth,
  lastDayOfMonth,
  toDayNumber,
} from './dates.js';

describe('dates', () => {
  it('validates calendar dates and months', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoMonth('2024-12')).toBe(true);
    expect(isIsoMonth('2024-00')).toBe(false);
  });

  it('round-trips day numbers and agrees with UTC', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    for (let n = -40000; n < 40000; n += 37) {
      const date = fromDayNumber(n);
      expect(toDayNumber(date)).toBe(n);
      expect(date).toBe(new Date(n * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('adds days and months across boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-31', -31)).toBe('2024-02-29');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2024-01-15', -1)).toBe('2023-12-15');
    expect(daysBetween('2024-03-30', '2024-04-02')).toBe(3);
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
  });

  it('computes completed years', () => {
    expect(ageOn('1990-05-10', '2024-05-09')).toBe(33);
    expect(ageOn('1990-05-10', '2024-05-10')).toBe(34);
  });
});
