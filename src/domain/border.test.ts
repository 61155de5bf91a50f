import { describe, expect, it } from 'vitest';
import {
  BORDER_TIME_LIMITS,
  borderCohort,
  borderReportProblems,
  MAX_PATROL_MS,
  MAX_PEOPLE_PER_REPORT,
  quarantineGround,
} from './border.ts';

const now = Date.parse('2021-08-20T10:00:00+07:00');
const DAY = 86_400_000;
const paths = (r: Parameters<typeof borderReportProblems>[0]) =>
  borderReportProblems(r, now).map((p) => p.path);
const entry = { kind: 'illegal_entry' as const, peopleCount: 3, facilityId: 'f' };

describe('border reports', () => {
  it('accepts an entry exactly 7 days old and refuses one a minute older', () => {
    expect(paths({ ...entry, occurredAt: now - BORDER_TIME_LIMITS.liveWindowMs })).toEqual([]);
    expect(paths({ ...entry, occurredAt: now - 7 * DAY - 60_000 })).toEqual(['occurredAt']);
  });
  it('tolerates a clock 5 minutes ahead, not 6', () => {
    expect(paths({ ...entry, occurredAt: now + 5 * 60_000 })).toEqual([]);
    expect(paths({ ...entry, occurredAt: now + 6 * 60_000 })).toEqual(['occurredAt']);
  });
  it('needs 1 to 60 people and a facility for an entry or a hand-over', () => {
    expect(paths({ ...entry, occurredAt: now, peopleCount: 0 })).toEqual(['people']);
    expect(paths({ ...entry, occurredAt: now, peopleCount: 1 })).toEqual([]);
    expect(paths({ ...entry, occurredAt: now, peopleCount: MAX_PEOPLE_PER_REPORT })).toEqual([]);
    expect(paths({ ...entry, occurredAt: now, peopleCount: MAX_PEOPLE_PER_REPORT + 1 })).toEqual([
      'people',
    ]);
    expect(
      paths({ kind: 'handed_over', occurredAt: now, peopleCount: 2, facilityId: null }),
    ).toEqual(['facilityId']);
  });
  it('bounds a patrol: ends after it starts, lasts at most 24 h, lists nobody', () => {
    const start = now - 30 * 3_600_000;
    const patrol = { kind: 'patrol' as const, occurredAt: start, peopleCount: 0 };
    expect(paths({ ...patrol, endedAt: start + MAX_PATROL_MS })).toEqual([]);
    expect(paths({ ...patrol, endedAt: start + MAX_PATROL_MS + 60_000 })).toEqual(['endedAt']);
    expect(paths({ ...patrol, endedAt: start })).toEqual(['endedAt']);
    expect(paths({ ...patrol, endedAt: null })).toEqual(['endedAt']);
    expect(paths({ ...patrol, endedAt: start + 3_600_000, peopleCount: 1 })).toEqual(['people']);
    expect(paths({ ...patrol, occurredAt: now - 3_600_000, endedAt: now + 10 * 60_000 })).toEqual([
      'endedAt',
    ]);
  });
  it('keeps a report’s people as one cohort and words the ground in both languages', () => {
    expect(borderCohort('abc')).toBe('batch:border:abc');
    const g = quarantineGround('illegal_entry', 'mốc 120', '20/08/2021 03:10');
    expect(g.vi).toContain('Nhập cảnh trái phép tại mốc 120');
    expect(g.en).toContain('Illegal entry at mốc 120');
  });
});
