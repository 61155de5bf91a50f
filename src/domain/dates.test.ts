import { describe, expect, it } from 'vitest';
import {
  addDays,
  compare,
  dateOfDay,
  dateOfInstant,
  dayNumber,
  daysBetween,
  formatViDate,
  fromDayIndex,
  hoursBetween,
  isValidIsoDate,
  isWithin,
  parseInstant,
  startOfDayInstant,
  toDayIndex,
} from './dates.ts';

describe('isValidIsoDate', () => {
  it.each([
    ['2021-10-06', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2021-02-29', false],
    ['1900-02-29', false],
    ['2100-02-29', false],
    ['2021-04-31', false],
    ['2021-13-01', false],
    ['2021-00-10', false],
    ['2021-01-00', false],
    ['2021-1-5', false],
    ['06/10/2021', false],
    ['2021-10-06T00:00:00Z', false],
    ['', false],
  ])('%s → %s', (value, ok) => expect(isValidIsoDate(value)).toBe(ok));

  it('refuses what is not a string', () => {
    expect(isValidIsoDate(undefined)).toBe(false);
    expect(isValidIsoDate(20211006)).toBe(false);
  });
});

describe('day index', () => {
  it('counts from 1970-01-01', () => {
    expect(toDayIndex('1970-01-01')).toBe(0);
    expect(toDayIndex('1969-12-31')).toBe(-1);
    expect(toDayIndex('2000-03-01')).toBe(11017);
    expect(fromDayIndex(18906)).toBe('2021-10-06');
  });

  it('round-trips every day of 1999–2101', () => {
    const wrong: string[] = [];
    let idx = toDayIndex('1999-01-01');
    for (let y = 1999; y <= 2101; y++) {
      const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
      const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      lengths.forEach((dim, i) => {
        for (let d = 1; d <= dim; d++) {
          const iso = `${y}-${String(i + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          if (toDayIndex(iso) !== idx || fromDayIndex(idx) !== iso) wrong.push(iso);
          idx++;
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(idx).toBe(toDayIndex('2102-01-01'));
  });

  it('throws on a date that does not exist', () => {
    expect(() => toDayIndex('2021-02-29')).toThrow(RangeError);
    expect(() => addDays('2021-02-30', 1)).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2021-10-06', 1, '2021-10-07'],
    ['2021-10-31', 1, '2021-11-01'],
    ['2021-12-31', 1, '2022-01-01'],
    ['2022-01-01', -1, '2021-12-31'],
    ['2021-02-28', 1, '2021-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2021-10-20', 27, '2021-11-16'],
    ['2021-10-06', 0, '2021-10-06'],
    ['2020-01-01', 366, '2021-01-01'],
  ])('%s + %i = %s', (date, n, out) => expect(addDays(date, n)).toBe(out));
});

describe('daysBetween, compare, isWithin', () => {
  it('counts whole days across months, years and 29 February', () => {
    expect(daysBetween('2021-10-06', '2021-10-06')).toBe(0);
    expect(daysBetween('2021-10-06', '2021-10-20')).toBe(14);
    expect(daysBetween('2021-10-20', '2021-10-06')).toBe(-14);
    expect(daysBetween('2021-12-25', '2022-01-08')).toBe(14);
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(daysBetween('2023-02-01', '2023-03-01')).toBe(28);
    expect(daysBetween('2021-01-01', '2022-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('compares as calendar dates', () => {
    expect(compare('2021-10-05', '2021-10-06')).toBe(-1);
    expect(compare('2021-10-06', '2021-10-06')).toBe(0);
    expect(compare('2022-01-01', '2021-12-31')).toBe(1);
    expect(['2022-01-01', '2021-12-31', '2021-02-01'].sort(compare)).toEqual([
      '2021-02-01',
      '2021-12-31',
      '2022-01-01',
    ]);
  });

  it('includes both ends; null is open-ended', () => {
    expect(isWithin('2021-07-01', '2021-07-01', '2021-10-05')).toBe(true);
    expect(isWithin('2021-10-05', '2021-07-01', '2021-10-05')).toBe(true);
    expect(isWithin('2021-06-30', '2021-07-01', '2021-10-05')).toBe(false);
    expect(isWithin('2021-10-06', '2021-07-01', '2021-10-05')).toBe(false);
    expect(isWithin('2030-01-01', '2021-10-06', null)).toBe(true);
  });
});

describe('dayNumber / dateOfDay (the start day is day 1)', () => {
  it('numbers days from 1', () => {
    expect(dayNumber('2021-10-20', '2021-10-20')).toBe(1);
    expect(dayNumber('2021-10-20', '2021-10-26')).toBe(7);
    expect(dayNumber('2021-10-20', '2021-11-02')).toBe(14);
    expect(dayNumber('2021-12-25', '2022-01-07')).toBe(14);
    expect(dayNumber('2024-02-23', '2024-03-07')).toBe(14);
    expect(dayNumber('2023-02-23', '2023-03-08')).toBe(14);
  });

  it('is the inverse of dateOfDay', () => {
    for (const start of ['2021-10-20', '2021-12-25', '2024-02-23', '2023-02-23']) {
      for (let d = 1; d <= 40; d++) expect(dayNumber(start, dateOfDay(start, d))).toBe(d);
    }
    expect(dateOfDay('2024-02-23', 7)).toBe('2024-02-29');
    expect(dateOfDay('2023-02-23', 7)).toBe('2023-03-01');
  });
});

describe('formatViDate', () => {
  it('writes dd/mm/yyyy', () => {
    expect(formatViDate('2021-10-06')).toBe('06/10/2021');
    expect(formatViDate('2024-02-29')).toBe('29/02/2024');
    expect(() => formatViDate('2021-02-29')).toThrow(RangeError);
  });
});

describe('instants', () => {
  const utc = (s: string) => parseInstant(s, 0);

  it('reads an offset, Z, or Vietnam time when there is none', () => {
    expect(parseInstant('2021-07-20T08:00:00+07:00')).toBe(Date.UTC(2021, 6, 20, 1, 0, 0));
    expect(parseInstant('2021-07-20T01:00:00Z')).toBe(Date.UTC(2021, 6, 20, 1, 0, 0));
    expect(parseInstant('2021-07-20T08:00')).toBe(Date.UTC(2021, 6, 20, 1, 0, 0));
    expect(parseInstant('2021-07-20T08:00:00.250+0700')).toBe(Date.UTC(2021, 6, 20, 1, 0, 0, 250));
    expect(parseInstant('2021-07-20T00:00:00-05:00')).toBe(Date.UTC(2021, 6, 20, 5, 0, 0));
    expect(parseInstant('2021-07-20')).toBe(Date.UTC(2021, 6, 19, 17, 0, 0));
    expect(utc('2021-07-20T08:00')).toBe(Date.UTC(2021, 6, 20, 8, 0, 0));
  });

  it('refuses what is not a date-time', () => {
    for (const bad of ['', '2021-07-20T25:00', '2021-02-29T08:00', '20/07/2021 08:00', 'now']) {
      expect(parseInstant(bad)).toBeNull();
    }
  });

  it('knows the Vietnam calendar date of an instant', () => {
    expect(dateOfInstant(Date.UTC(2021, 6, 19, 17, 0, 0))).toBe('2021-07-20');
    expect(dateOfInstant(Date.UTC(2021, 6, 19, 16, 59, 59, 999))).toBe('2021-07-19');
    expect(startOfDayInstant('2021-07-20')).toBe(Date.UTC(2021, 6, 19, 17, 0, 0));
    expect(dateOfInstant(Date.UTC(2021, 11, 31, 17, 0, 0))).toBe('2022-01-01');
  });

  it('measures hours', () => {
    const a = parseInstant('2021-07-20T00:00+07:00')!;
    const b = parseInstant('2021-07-23T00:00+07:00')!;
    expect(hoursBetween(a, b)).toBe(72);
    expect(hoursBetween(b, a)).toBe(-72);
  });
});
