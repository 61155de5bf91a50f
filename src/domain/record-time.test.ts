import { describe, expect, it } from 'vitest';
import {
  CHECKIN_TIME_LIMITS,
  checkRecordTime,
  ENTRY_TIME_LIMITS,
  type RecordTimeCheck,
} from './record-time.ts';

const NOW = Date.parse('2021-08-20T10:00:00+07:00');
const DAY = 86_400_000;
const officer = { mayBackdate: true, reason: 'Sổ giấy chốt Km 5 ngày 02/07' };
const field = (r: RecordTimeCheck) => (r.ok ? null : r.field);

describe('when a record may say it happened (issue 13 item 7)', () => {
  it('takes an entry exactly 30 days old as live, and one a millisecond older as a past record', () => {
    const edge = NOW - 30 * DAY;
    expect(checkRecordTime(edge, NOW, ENTRY_TIME_LIMITS, { mayBackdate: false })).toEqual({
      ok: true,
      backdated: false,
    });
    expect(field(checkRecordTime(edge - 1, NOW, ENTRY_TIME_LIMITS, { mayBackdate: false }))).toBe(
      'at',
    );
    expect(checkRecordTime(edge - 1, NOW, ENTRY_TIME_LIMITS, officer)).toEqual({
      ok: true,
      backdated: true,
    });
  });

  it('keeps check-ins to 24 hours unless an officer gives a reason', () => {
    const r = checkRecordTime(NOW - 25 * 3_600_000, NOW, CHECKIN_TIME_LIMITS, {
      mayBackdate: false,
    });
    expect(r).toMatchObject({
      ok: false,
      field: 'at',
      message: { vi: 'Thời điểm quá 24 giờ trước' },
    });
    expect(checkRecordTime(NOW - 3 * DAY, NOW, CHECKIN_TIME_LIMITS, officer)).toMatchObject({
      ok: true,
      backdated: true,
    });
  });

  it('asks for a reason of at least 10 characters, blanks not counted', () => {
    const old = NOW - 40 * DAY;
    for (const reason of [undefined, null, '', '   sổ giấy   ', '123456789'])
      expect(
        field(checkRecordTime(old, NOW, ENTRY_TIME_LIMITS, { mayBackdate: true, reason })),
      ).toBe('backdateReason');
    expect(
      checkRecordTime(old, NOW, ENTRY_TIME_LIMITS, { mayBackdate: true, reason: '1234567890' }).ok,
    ).toBe(true);
  });

  it('refuses the future beyond five minutes of clock skew, even to an officer', () => {
    expect(checkRecordTime(NOW + 5 * 60_000, NOW, ENTRY_TIME_LIMITS, officer).ok).toBe(true);
    expect(field(checkRecordTime(NOW + 5 * 60_000 + 1, NOW, ENTRY_TIME_LIMITS, officer))).toBe(
      'at',
    );
  });

  it('refuses a past record before 01/01/2020 (Vietnam time) as a typing error', () => {
    const first = Date.parse('2020-01-01T00:00:00+07:00');
    expect(checkRecordTime(first, NOW, ENTRY_TIME_LIMITS, officer).ok).toBe(true);
    expect(checkRecordTime(first - 1, NOW, ENTRY_TIME_LIMITS, officer)).toMatchObject({
      ok: false,
      field: 'at',
      message: { en: 'Before 01/01/2020: check the date' },
    });
  });
});
