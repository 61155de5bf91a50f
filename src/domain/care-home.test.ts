import { describe, expect, it } from 'vitest';
import { followUpDue, type FollowUpDueFacts } from './care-home.ts';

// A 7-day home quarantine from 01/02 (ends 07/02), monitoring to 14/02, tests on days 1 and 7.
const home: FollowUpDueFacts = {
  action: 'home_quarantine',
  testDates: ['2022-02-01', '2022-02-07'],
  testsDone: 1,
  monitoringEnds: '2022-02-14',
  quarantineEnds: '2022-02-07',
  checksFrom: '2022-02-01',
  lastCheckOn: null,
};

describe('followUpDue (home quarantine daily checks)', () => {
  it('is due on the first day of checks when none was made', () => {
    expect(followUpDue(home)).toBe('2022-02-01');
    expect(followUpDue({ ...home, checksFrom: '2022-02-03' })).toBe('2022-02-03');
  });
  it('is due the day after the last check', () => {
    expect(followUpDue({ ...home, lastCheckOn: '2022-02-03' })).toBe('2022-02-04');
  });
  it('a check older than the first day of checks does not count', () => {
    expect(followUpDue({ ...home, checksFrom: '2022-02-03', lastCheckOn: '2022-02-02' })).toBe(
      '2022-02-03',
    );
  });
  it('a test due before the next check comes first', () => {
    expect(followUpDue({ ...home, testsDone: 0, lastCheckOn: '2022-02-01' })).toBe('2022-02-01');
  });
  it('the last check is on the last day of quarantine (day 7), then the plan resumes', () => {
    expect(followUpDue({ ...home, testsDone: 2, lastCheckOn: '2022-02-06' })).toBe('2022-02-07');
    expect(followUpDue({ ...home, testsDone: 2, lastCheckOn: '2022-02-07' })).toBe('2022-02-14');
    expect(followUpDue({ ...home, testsDone: 1, lastCheckOn: '2022-02-07' })).toBe('2022-02-07');
  });
  it('other measures are due at their tests and end only', () => {
    expect(followUpDue({ ...home, action: 'self_monitoring' })).toBe('2022-02-07');
    expect(followUpDue({ ...home, action: 'centralised_quarantine', testsDone: 2 })).toBe(
      '2022-02-14',
    );
    expect(followUpDue({ ...home, quarantineEnds: null })).toBe('2022-02-07');
  });
});
