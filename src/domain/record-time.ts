/**
 * When a record may say it happened (issue 13 item 7). A passage or a check-in recorded live (or
 * by a phone that was offline) is recent; records kept on paper, as the seeds describe, are
 * entered later. Those past records are allowed to officers who hold `records.backdate` and give
 * a reason; the reason goes to the audit trail, and tracing treats the record like a live one.
 *
 * Pure: the caller passes the instant (`at`), the clock (`now`) and what the actor may do.
 */

/** The limits one kind of record lives by. */
export interface RecordTimeLimits {
  /** How far back a live (or offline) record may go: 30 days for entries, 24 h for check-ins. */
  liveWindowMs: number;
  /** A clock a little ahead of the server's is tolerated: 5 minutes. */
  futureSkewMs: number;
  /**
   * No record of this epidemic is older than this instant (Vietnam's first cases were confirmed
   * on 23/01/2020; a paper record before 01/01/2020 is a typing error).
   */
  earliest: string;
}

export const ENTRY_TIME_LIMITS: RecordTimeLimits = {
  liveWindowMs: 30 * 86_400_000,
  futureSkewMs: 5 * 60_000,
  earliest: '2020-01-01T00:00:00+07:00',
};

export const CHECKIN_TIME_LIMITS: RecordTimeLimits = {
  liveWindowMs: 24 * 3_600_000,
  futureSkewMs: 5 * 60_000,
  earliest: ENTRY_TIME_LIMITS.earliest,
};

/** The shortest reason that says something ("sổ giấy chốt Km 5, ngày 02/08"). */
export const BACKDATE_REASON_MIN = 10;

export type RecordTimeCheck =
  | { ok: true; backdated: boolean }
  | { ok: false; field: 'at' | 'backdateReason'; message: { vi: string; en: string } };

const windowWords = (ms: number) =>
  ms > 86_400_000
    ? { vi: `${ms / 86_400_000} ngày`, en: `${ms / 86_400_000} days` }
    : { vi: `${ms / 3_600_000} giờ`, en: `${ms / 3_600_000} hours` };

/**
 * Whether a record may carry the instant `at`. Inside the live window: yes. Older: only for an
 * actor who may enter past records, with a reason of at least BACKDATE_REASON_MIN characters,
 * and never before `earliest` or in the future.
 */
export function checkRecordTime(
  at: number,
  now: number,
  limits: RecordTimeLimits,
  actor: { mayBackdate: boolean; reason?: string | null },
): RecordTimeCheck {
  if (at > now + limits.futureSkewMs)
    return {
      ok: false,
      field: 'at',
      message: { vi: 'Thời điểm ở tương lai', en: 'In the future' },
    };
  if (at >= now - limits.liveWindowMs) return { ok: true, backdated: false };
  const w = windowWords(limits.liveWindowMs);
  if (!actor.mayBackdate)
    return {
      ok: false,
      field: 'at',
      message: { vi: `Thời điểm quá ${w.vi} trước`, en: `More than ${w.en} ago` },
    };
  if (at < Date.parse(limits.earliest))
    return {
      ok: false,
      field: 'at',
      message: {
        vi: 'Thời điểm trước 01/01/2020: kiểm tra lại ngày',
        en: 'Before 01/01/2020: check the date',
      },
    };
  const reason = actor.reason?.trim() ?? '';
  if (reason.length < BACKDATE_REASON_MIN)
    return {
      ok: false,
      field: 'backdateReason',
      message: {
        vi: `Hồ sơ cũ hơn ${w.vi}: ghi lý do nhập muộn (ví dụ: sổ giấy của chốt, ngày…)`,
        en: `A record older than ${w.en}: give the reason it is entered late (e.g. the checkpoint's paper book, date…)`,
      },
    };
  return { ok: true, backdated: true };
}
