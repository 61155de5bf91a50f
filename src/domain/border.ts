/**
 * Border posts (issue 17 item 5): what a border officer records on a phone — a patrol, a group
 * caught crossing illegally, or a group the other side handed back — and the rules such a report
 * must meet before anything is written. The people of an illegal entry or a hand-over are
 * registered and sent to centralised quarantine (seed 000: "bàn giao lực lượng chức năng đưa đi
 * cách ly tập trung 14 ngày đối với tất cả các trường hợp vượt biên, xuất nhập cảnh trái phép").
 *
 * Pure: the caller passes the clock.
 */
import { checkRecordTime, type RecordTimeLimits } from './record-time.ts';

/** The seed's words: "phát hiện, bắt giữ … nhập cảnh trái phép", "tiếp nhận phía đối diện trao trả", "tuần tra". */
export const BORDER_REPORT_KINDS = ['illegal_entry', 'handed_over', 'patrol'] as const;
export type BorderReportKind = (typeof BORDER_REPORT_KINDS)[number];

export const BORDER_REPORT_LABELS: Record<BorderReportKind, { vi: string; en: string }> = {
  illegal_entry: { vi: 'Nhập cảnh trái phép', en: 'Illegal entry' },
  handed_over: { vi: 'Phía đối diện trao trả', en: 'Handed back by the other side' },
  patrol: { vi: 'Tuần tra', en: 'Patrol' },
};

/** Kinds whose people go to quarantine. */
export const kindHasPeople = (k: BorderReportKind) => k !== 'patrol';

/** The most people one report registers (the seed's largest hand-over: 43 in 4 groups). */
export const MAX_PEOPLE_PER_REPORT = 60;
/** The longest patrol one report covers. */
export const MAX_PATROL_MS = 24 * 3_600_000;

/**
 * A post reports when the patrol is back or the group is handed to the health side: up to 7 days
 * late (a post deep in the mountains without signal), never in the future beyond a clock's skew.
 */
export const BORDER_TIME_LIMITS: RecordTimeLimits = {
  liveWindowMs: 7 * 86_400_000,
  futureSkewMs: 5 * 60_000,
  earliest: '2020-01-01T00:00:00+07:00',
};

export interface BorderReportInput {
  kind: BorderReportKind;
  occurredAt: number;
  endedAt?: number | null;
  peopleCount: number;
  facilityId?: string | null;
}

export interface BorderProblem {
  path: string;
  message: { vi: string; en: string };
}

/**
 * What is wrong with a report, field by field (empty when nothing is): its time within the post's
 * reporting window; a patrol that ends after it starts, within 24 h, and registers nobody; an
 * entry or hand-over with 1–60 people and the quarantine facility they go to.
 */
export function borderReportProblems(r: BorderReportInput, now: number): BorderProblem[] {
  const out: BorderProblem[] = [];
  const t = checkRecordTime(r.occurredAt, now, BORDER_TIME_LIMITS, { mayBackdate: false });
  if (!t.ok) out.push({ path: 'occurredAt', message: t.message });
  if (r.kind === 'patrol') {
    if (r.endedAt == null)
      out.push({
        path: 'endedAt',
        message: { vi: 'Nhập thời điểm kết thúc tuần tra', en: 'Enter when the patrol ended' },
      });
    else if (r.endedAt <= r.occurredAt)
      out.push({
        path: 'endedAt',
        message: {
          vi: 'Kết thúc phải sau khi bắt đầu',
          en: 'The end must come after the start',
        },
      });
    else if (r.endedAt - r.occurredAt > MAX_PATROL_MS)
      out.push({
        path: 'endedAt',
        message: { vi: 'Một lượt tuần tra tối đa 24 giờ', en: 'One patrol lasts at most 24 hours' },
      });
    else if (r.endedAt > now + BORDER_TIME_LIMITS.futureSkewMs)
      out.push({
        path: 'endedAt',
        message: { vi: 'Thời điểm ở tương lai', en: 'In the future' },
      });
    if (r.peopleCount > 0)
      out.push({
        path: 'people',
        message: {
          vi: 'Báo cáo tuần tra không ghi người; người vượt biên ghi ở vụ nhập cảnh trái phép',
          en: 'A patrol report lists nobody; people crossing go in an illegal-entry report',
        },
      });
    return out;
  }
  if (r.peopleCount < 1)
    out.push({
      path: 'people',
      message: { vi: 'Ghi ít nhất một người', en: 'List at least one person' },
    });
  else if (r.peopleCount > MAX_PEOPLE_PER_REPORT)
    out.push({
      path: 'people',
      message: {
        vi: `Tối đa ${MAX_PEOPLE_PER_REPORT} người một vụ; tách thành nhiều vụ`,
        en: `At most ${MAX_PEOPLE_PER_REPORT} people per report; split it`,
      },
    });
  if (!r.facilityId)
    out.push({
      path: 'facilityId',
      message: {
        vi: 'Chọn cơ sở cách ly tập trung tiếp nhận',
        en: 'Choose the quarantine facility that takes them',
      },
    });
  return out;
}

/**
 * The people of one report are one arrival batch: the placement rule set keeps them together and
 * apart from other cohorts (care.ts `placeAdmission`).
 */
export const borderCohort = (reportId: string) => `batch:border:${reportId}`;

/** Why these people were sent to quarantine, in words kept with the report. */
export function quarantineGround(kind: BorderReportKind, place: string, at: string) {
  const k = BORDER_REPORT_LABELS[kind];
  return {
    vi: `${k.vi} tại ${place}, ${at}: bàn giao đưa đi cách ly tập trung`,
    en: `${k.en} at ${place}, ${at}: handed over to centralised quarantine`,
  };
}
