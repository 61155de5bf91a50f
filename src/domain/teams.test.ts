import { describe, expect, it } from 'vitest';
import { startOfDayInstant } from './dates.ts';
import {
  daysOverdue,
  followUpStep,
  readingDueDay,
  taskState,
  unvaccinatedDue,
  weekOf,
} from './teams.ts';

describe('community team tasks', () => {
  it('due today vs overdue at the day edge', () => {
    expect(taskState('2026-12-08', '2026-12-08')).toBe('today');
    expect(taskState('2026-12-07', '2026-12-08')).toBe('overdue');
    expect(taskState('2026-12-09', '2026-12-08')).toBe('later');
    expect(daysOverdue('2026-12-07', '2026-12-08')).toBe(1);
    expect(daysOverdue('2026-12-08', '2026-12-08')).toBe(0);
    expect(daysOverdue('2026-11-30', '2026-12-01')).toBe(1);
  });

  it('a reading due at 23:59 Vietnam time is due that day; at 00:00 the next', () => {
    const midnight = startOfDayInstant('2026-12-09'); // 17:00 UTC on the 8th
    expect(readingDueDay(midnight - 60_000)).toBe('2026-12-08');
    expect(readingDueDay(midnight)).toBe('2026-12-09');
    // so at 00:00 on the 9th a reading due 23:59 on the 8th is overdue
    expect(taskState(readingDueDay(midnight - 60_000), '2026-12-09')).toBe('overdue');
  });

  it('an unvaccinated person is visited again 7 days after the last visit', () => {
    expect(unvaccinatedDue(null, '2026-12-08')).toBe('2026-12-08');
    expect(unvaccinatedDue('2026-12-01', '2026-12-08')).toBe('2026-12-08');
    expect(taskState(unvaccinatedDue('2026-12-02', '2026-12-08'), '2026-12-08')).toBe('later');
    expect(taskState(unvaccinatedDue('2026-11-30', '2026-12-08'), '2026-12-08')).toBe('overdue');
  });

  it('a follow-up task is a test, the close of monitoring or a check', () => {
    const f = {
      testDates: ['2026-12-03', '2026-12-07'],
      testsDone: 1,
      monitoringEnds: '2026-12-14',
    };
    expect(followUpStep({ ...f, due: '2026-12-07' })).toBe('test');
    expect(followUpStep({ ...f, due: '2026-12-06' })).toBe('check');
    expect(followUpStep({ ...f, testsDone: 2, due: '2026-12-14' })).toBe('close');
  });

  it('a week runs Monday to Sunday', () => {
    expect(weekOf('2026-12-07')).toEqual({ from: '2026-12-07', to: '2026-12-14' }); // Monday
    expect(weekOf('2026-12-13')).toEqual({ from: '2026-12-07', to: '2026-12-14' }); // Sunday
    expect(weekOf('2026-12-14')).toEqual({ from: '2026-12-14', to: '2026-12-21' });
  });
});
