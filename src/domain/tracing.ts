/**
 * Contact tracing rules, pure: the infectious period of an F0, whether two presences at one place
 * make a contact (windows per source as rule-set data, kind 'contact_tracing'), how strong it is,
 * the window in which an F1's own contacts are F2, and the quarantine order of a confirmed F1
 * (kind 'f1_quarantine', the dated versions of RULES.md).
 *
 * Instants are ms since the epoch; calendar dates 'YYYY-MM-DD' in Vietnam time.
 */
import {
  addDays,
  compare,
  daysBetween,
  formatViDate,
  isValidIsoDate,
  startOfDayInstant,
  type IsoDate,
} from './dates.ts';
import { rulesetInForce, type Confidence, type LegalBasis } from './rulesets.ts';

const MIN = 60_000;

export const CONTACT_SOURCES = [
  'household',
  'vehicle',
  'checkpoint',
  'lodging',
  'venue',
  'workplace',
  'interview',
] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

export const CONTACT_SOURCE_LABELS: Record<ContactSource, { vi: string; en: string }> = {
  household: { vi: 'Cùng hộ gia đình', en: 'Same household' },
  vehicle: { vi: 'Cùng chuyến xe', en: 'Same vehicle trip' },
  checkpoint: { vi: 'Cùng hàng chờ tại chốt', en: 'Same checkpoint queue' },
  lodging: { vi: 'Cùng cơ sở lưu trú', en: 'Same lodging' },
  venue: { vi: 'Cùng địa điểm (quét QR)', en: 'Same venue (QR check-in)' },
  workplace: { vi: 'Cùng nơi làm việc / lớp học, ca', en: 'Same workplace / class and shift' },
  interview: { vi: 'Khai thác dịch tễ (điều tra viên)', en: 'Interview by a tracer' },
};

export type CaseStatus =
  'unisolated' | 'home_isolation' | 'facility' | 'hospital' | 'recovered' | 'died';
export const CASE_STATUSES: readonly CaseStatus[] = [
  'unisolated',
  'home_isolation',
  'facility',
  'hospital',
  'recovered',
  'died',
];
export const CASE_STATUS_LABELS: Record<CaseStatus, { vi: string; en: string }> = {
  unisolated: { vi: 'Chưa cách ly', en: 'Not yet isolated' },
  home_isolation: { vi: 'Cách ly, điều trị tại nhà', en: 'Isolated at home' },
  facility: { vi: 'Cách ly tại cơ sở thu dung', en: 'In an isolation facility' },
  hospital: { vi: 'Điều trị tại bệnh viện', en: 'In hospital' },
  recovered: { vi: 'Khỏi bệnh', en: 'Recovered' },
  died: { vi: 'Tử vong', en: 'Died' },
};
export const FOUND_BY_LABELS: Record<string, { vi: string; en: string }> = {
  community: { vi: 'Phát hiện trong cộng đồng', en: 'Found in the community' },
  quarantine: { vi: 'Phát hiện trong khu cách ly', en: 'Found in quarantine' },
  entry: { vi: 'Phát hiện tại chốt / khi nhập cảnh', en: 'Found at entry' },
  imported: { vi: 'Ca bệnh từ tỉnh khác chuyển về', en: 'Imported from another province' },
  screening: { vi: 'Phát hiện qua xét nghiệm sàng lọc', en: 'Found by screening' },
};

/** Is `next` a status a case may move to from `current`? Closed cases stay closed. */
export function statusChangeAllowed(current: CaseStatus, next: CaseStatus): boolean {
  if (current === 'recovered' || current === 'died') return false;
  if (next === 'unisolated') return current === 'unisolated';
  return true;
}

// ---------------------------------------------------------------------------------------------
// Infectious period

export interface InfectiousPeriod {
  /** First instant (00:00 Vietnam time of the start date). */
  start: number;
  startDate: IsoDate;
  /** Isolation, or `now` while the case is not isolated. */
  end: number;
  basis: 'onset' | 'sample';
  ongoing: boolean;
  explanation: { vi: string; en: string };
}

/**
 * From `daysBefore` days before symptom onset (asymptomatic: before the date of the positive
 * sample), from 00:00 of that day, until isolation (still running when not isolated).
 */
export function infectiousPeriod(input: {
  onsetDate: IsoDate | null;
  positiveSampleDate: IsoDate;
  isolatedAt: number | null;
  now: number;
  daysBefore: number;
}): InfectiousPeriod {
  const basis = input.onsetDate ? 'onset' : 'sample';
  const anchor = input.onsetDate ?? input.positiveSampleDate;
  const startDate = addDays(anchor, -input.daysBefore);
  const start = startOfDayInstant(startDate);
  const ongoing = input.isolatedAt === null;
  const end = Math.max(start, input.isolatedAt ?? input.now);
  const anchorVi =
    basis === 'onset'
      ? `ngày khởi phát triệu chứng ${formatViDate(anchor)}`
      : `ngày lấy mẫu dương tính ${formatViDate(anchor)} (không triệu chứng)`;
  const anchorEn =
    basis === 'onset'
      ? `symptom onset on ${anchor}`
      : `the positive sample on ${anchor} (asymptomatic)`;
  return {
    start,
    startDate,
    end,
    basis,
    ongoing,
    explanation: {
      vi: `Thời kỳ lây nhiễm từ ${formatViDate(startDate)} (${input.daysBefore} ngày trước ${anchorVi}) đến ${
        ongoing ? 'nay (chưa cách ly)' : 'khi được cách ly'
      }`,
      en: `Infectious from ${startDate} (${input.daysBefore} days before ${anchorEn}) until ${
        ongoing ? 'now (not isolated yet)' : 'isolation'
      }`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Contact tracing rule set (kind 'contact_tracing')

/** How one source of co-presence makes a contact. */
export interface SourceRule {
  /**
   * 'window': two passages (points in time) at the same place within windowMinutes of each other
   * (a checkpoint queue, a vehicle trip). 'overlap': two stays overlapping at least
   * minOverlapMaskedMinutes when masked (or unknown), minOverlapUnmaskedMinutes when unmasked.
   * 'always': any co-presence (household).
   */
  mode: 'window' | 'overlap' | 'always';
  windowMinutes: number;
  minOverlapMaskedMinutes: number;
  minOverlapUnmaskedMinutes: number;
  /** Strength (0–100) of a contact from this source. */
  strength: number;
  /** Longest stay this source records (bounds the index range read). */
  maxSpanHours: number;
  confidence: Confidence;
  notes: string;
}

export interface ContactTracingRuleSet {
  id: string;
  kind: 'contact_tracing';
  name: string;
  legalBasis: LegalBasis;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
  /** Infectious period starts this many days before onset / positive sample. */
  infectiousDaysBefore: number;
  sources: Record<Exclude<ContactSource, 'household'>, SourceRule>;
  householdStrength: number;
}

export const RULESET_TRACING_2021: ContactTracingRuleSet = {
  id: 'contact-tracing-byt-2021',
  kind: 'contact_tracing',
  name: 'Xác định F1, F2 từ dữ liệu cùng có mặt (định nghĩa F0/F1/F2 của Bộ Y tế)',
  legalBasis: {
    number: 'QĐ 2686/QĐ-BCĐQG',
    date: '2021-05-31',
    title: 'Quy định đánh giá nguy cơ, xác định F1, F2 (định nghĩa tiếp xúc gần: 2 m, ≥ 15 phút)',
  },
  validFrom: '2020-01-01',
  validTo: null,
  confidence: 'reconstructed',
  notes:
    'F1: tiếp xúc trong 2 m ≥ 15 phút khi đeo khẩu trang, hoặc bất kỳ thời gian nào khi không đeo; cùng không gian kín. Ngưỡng 15 phút là chắc chắn; cửa sổ thời gian cho hàng chờ tại chốt và chuyến xe là dữ liệu địa phương, tái dựng — quản trị viên chỉnh được.',
  infectiousDaysBefore: 2,
  householdStrength: 95,
  sources: {
    vehicle: {
      mode: 'window',
      windowMinutes: 30,
      minOverlapMaskedMinutes: 0,
      minOverlapUnmaskedMinutes: 0,
      strength: 85,
      maxSpanHours: 0,
      confidence: 'reconstructed',
      notes: 'Cùng biển số qua chốt trong vòng 30 phút = cùng chuyến (không gian kín).',
    },
    checkpoint: {
      mode: 'window',
      windowMinutes: 10,
      minOverlapMaskedMinutes: 0,
      minOverlapUnmaskedMinutes: 0,
      strength: 30,
      maxSpanHours: 0,
      confidence: 'reconstructed',
      notes: 'Qua cùng chốt trong vòng 10 phút: cùng hàng chờ khai báo, đo thân nhiệt.',
    },
    lodging: {
      mode: 'overlap',
      windowMinutes: 0,
      minOverlapMaskedMinutes: 15,
      minOverlapUnmaskedMinutes: 1,
      strength: 50,
      // stays are stored in pieces of at most 3 days (migration 0005, presence_from_entry)
      maxSpanHours: 72,
      confidence: 'reconstructed',
      notes: 'Lưu trú cùng cơ sở với thời gian trùng nhau.',
    },
    venue: {
      mode: 'overlap',
      windowMinutes: 0,
      minOverlapMaskedMinutes: 15,
      minOverlapUnmaskedMinutes: 1,
      strength: 45,
      maxSpanHours: 12,
      confidence: 'sure',
      notes: 'Quét QR vào/ra cùng địa điểm; đeo khẩu trang: trùng ≥ 15 phút.',
    },
    workplace: {
      mode: 'overlap',
      windowMinutes: 0,
      minOverlapMaskedMinutes: 15,
      minOverlapUnmaskedMinutes: 1,
      strength: 70,
      maxSpanHours: 12,
      confidence: 'sure',
      notes: 'Cùng lớp học / ca làm việc (không gian kín).',
    },
    interview: {
      mode: 'overlap',
      windowMinutes: 0,
      minOverlapMaskedMinutes: 15,
      minOverlapUnmaskedMinutes: 1,
      strength: 80,
      maxSpanHours: 31 * 24,
      confidence: 'sure',
      notes: 'Tiếp xúc do điều tra viên khai thác; tiếp xúc trực tiếp luôn là F1.',
    },
  },
};

export const DEFAULT_TRACING_RULESETS: readonly ContactTracingRuleSet[] = [RULESET_TRACING_2021];

export function validateTracingRuleSet(rs: ContactTracingRuleSet): string[] {
  const issues: string[] = [];
  if (rs.kind !== 'contact_tracing') issues.push('kind');
  if (!isValidIsoDate(rs.validFrom)) issues.push('validFrom');
  if (rs.validTo !== null && (!isValidIsoDate(rs.validTo) || compare(rs.validTo, rs.validFrom) < 0))
    issues.push('validTo');
  if (!(rs.infectiousDaysBefore >= 0 && rs.infectiousDaysBefore <= 14))
    issues.push('infectiousDaysBefore');
  for (const [k, s] of Object.entries(rs.sources)) {
    if (!['window', 'overlap', 'always'].includes(s.mode)) issues.push(`sources.${k}.mode`);
    for (const f of [
      'windowMinutes',
      'minOverlapMaskedMinutes',
      'minOverlapUnmaskedMinutes',
    ] as const)
      if (!(s[f] >= 0 && s[f] <= 24 * 60)) issues.push(`sources.${k}.${f}`);
    if (!(s.strength >= 0 && s.strength <= 100)) issues.push(`sources.${k}.strength`);
    if (!(s.maxSpanHours >= 0 && s.maxSpanHours <= 31 * 24))
      issues.push(`sources.${k}.maxSpanHours`);
  }
  return issues;
}

export const tracingRulesetInForce = (sets: readonly ContactTracingRuleSet[], date: IsoDate) =>
  rulesetInForce(sets, 'contact_tracing', date);

// ---------------------------------------------------------------------------------------------
// One exposure: two presences at one place

export interface Interval {
  start: number;
  end: number;
  /** false: not masked; true or null/undefined: masked or not known. */
  masked?: boolean | null;
  /** Physical contact (interview). */
  physical?: boolean;
}

export interface Exposure {
  contact: boolean;
  /** Minutes both were there (negative: the gap between them). */
  overlapMinutes: number;
  /** When the exposure happened (clipped to both intervals; for a gap, the later passage). */
  from: number;
  to: number;
  strength: number;
  reason: { vi: string; en: string };
}

const fmtMinutes = (m: number) => `${Math.round(m)} phút`;

/**
 * Do an F0 interval (already clipped to its infectious period) and another person's interval at
 * the same place of source `source` make a contact under `rule`?
 */
export function assessExposure(
  source: Exclude<ContactSource, 'household'>,
  rule: SourceRule,
  f0: Interval,
  other: Interval,
): Exposure {
  const lo = Math.max(f0.start, other.start);
  const hi = Math.min(f0.end, other.end);
  const overlap = (hi - lo) / MIN;
  const from = Math.min(lo, hi);
  const to = Math.max(lo, hi);
  const label = CONTACT_SOURCE_LABELS[source];
  if (rule.mode === 'always') {
    return {
      contact: true,
      overlapMinutes: overlap,
      from,
      to,
      strength: rule.strength,
      reason: { vi: label.vi, en: label.en },
    };
  }
  if (rule.mode === 'window') {
    const gap = Math.max(0, -overlap);
    const contact = gap <= rule.windowMinutes;
    return {
      contact,
      overlapMinutes: overlap,
      from,
      to,
      strength: contact
        ? Math.round(rule.strength * (1 - (0.5 * gap) / Math.max(1, rule.windowMinutes)))
        : 0,
      reason: contact
        ? {
            vi: `${label.vi}: cách nhau ${fmtMinutes(gap)} (ngưỡng ${rule.windowMinutes} phút)`,
            en: `${label.en}: ${Math.round(gap)} min apart (threshold ${rule.windowMinutes} min)`,
          }
        : {
            vi: `${label.vi}: cách nhau ${fmtMinutes(gap)}, quá ngưỡng ${rule.windowMinutes} phút`,
            en: `${label.en}: ${Math.round(gap)} min apart, over the ${rule.windowMinutes} min threshold`,
          },
    };
  }
  const unmasked = f0.masked === false || other.masked === false;
  const physical = !!(f0.physical || other.physical);
  const need = unmasked ? rule.minOverlapUnmaskedMinutes : rule.minOverlapMaskedMinutes;
  const contact = overlap > 0 && (physical || overlap >= need);
  // Longer together is stronger: +1 per 10 minutes beyond the threshold, at most +30.
  const bonus = contact ? Math.min(30, Math.floor(Math.max(0, overlap - need) / 10)) : 0;
  const strength = contact
    ? Math.min(100, rule.strength + bonus + (physical ? 20 : 0) + (unmasked ? 10 : 0))
    : 0;
  const how = physical
    ? { vi: 'tiếp xúc trực tiếp', en: 'physical contact' }
    : unmasked
      ? { vi: 'không đeo khẩu trang', en: 'unmasked' }
      : { vi: 'có đeo khẩu trang', en: 'masked' };
  return {
    contact,
    overlapMinutes: overlap,
    from,
    to,
    strength,
    reason: contact
      ? {
          vi: `${label.vi}: cùng có mặt ${fmtMinutes(overlap)}, ${how.vi}${physical ? '' : ` (ngưỡng ${need} phút)`}`,
          en: `${label.en}: together ${Math.round(overlap)} min, ${how.en}${physical ? '' : ` (threshold ${need} min)`}`,
        }
      : overlap > 0
        ? {
            vi: `${label.vi}: cùng có mặt ${fmtMinutes(overlap)}, ${how.vi}, chưa đủ ${need} phút`,
            en: `${label.en}: together ${Math.round(overlap)} min, ${how.en}, under ${need} min`,
          }
        : {
            vi: `${label.vi}: không trùng thời gian`,
            en: `${label.en}: no overlap in time`,
          },
  };
}

/** The strength of a contact from all its exposures: the strongest, +5 per further one. */
export function combineStrength(strengths: readonly number[]): number {
  if (strengths.length === 0) return 0;
  const sorted = [...strengths].sort((a, b) => b - a);
  return Math.min(100, sorted[0]! + 5 * (sorted.length - 1));
}

export function strengthLabel(strength: number): {
  level: 'high' | 'medium' | 'low';
  vi: string;
  en: string;
} {
  if (strength >= 70) return { level: 'high', vi: 'Nguy cơ cao', en: 'High' };
  if (strength >= 40) return { level: 'medium', vi: 'Nguy cơ trung bình', en: 'Medium' };
  return { level: 'low', vi: 'Nguy cơ thấp', en: 'Low' };
}

/**
 * The window in which an F1's own contacts are F2: from the F1's first exposure to the F0 until
 * its quarantine began (until `now` while not quarantined). Null when the quarantine began before
 * (or at) the exposure: there is nothing to trace.
 */
export function f2Window(
  exposureAt: number,
  quarantineAt: number | null,
  now: number,
): { from: number; to: number } | null {
  const to = quarantineAt ?? now;
  if (to <= exposureAt) return null;
  return { from: exposureAt, to };
}

/**
 * Is a person found co-present with an F0 already an F0 themselves (issue 13, item 4)? Yes when
 * one of their cases was open at any time from the first exposure on: opened before, during or
 * after it, and not closed (recovered) before it began. Such a person is shown as "already F0",
 * never offered as an F1/F2 candidate. A case closed at or before the exposure does not count (a
 * recovered person can be an F1 again).
 */
export function alreadyF0(
  cases: readonly { closedAt: number | null }[],
  firstExposureAt: number,
): boolean {
  return cases.some((c) => c.closedAt === null || c.closedAt > firstExposureAt);
}

// ---------------------------------------------------------------------------------------------
// Quarantine of F1 (kind 'f1_quarantine')

export type QuarantineKind = 'centralised' | 'home' | 'self_monitoring';
export const QUARANTINE_KIND_LABELS: Record<QuarantineKind, { vi: string; en: string }> = {
  centralised: { vi: 'Cách ly tập trung', en: 'Centralised quarantine' },
  home: { vi: 'Cách ly tại nhà', en: 'Home quarantine' },
  self_monitoring: {
    vi: 'Không cách ly, tự theo dõi sức khỏe',
    en: 'Not quarantined, self-monitoring',
  },
};

export interface F1Rule {
  id: string;
  /** Holds when any of the listed facts is true; no `anyOf`: the fallback rule. */
  anyOf?: ('fullyVaccinated' | 'recovered')[];
  kind: QuarantineKind;
  quarantineDays: number;
  monitoringDays: number;
  /** Day numbers, day 1 = the date of the last exposure. */
  testDays: number[];
  confidence: Confidence;
  notes: string;
}

export interface F1QuarantineRuleSet {
  id: string;
  kind: 'f1_quarantine';
  name: string;
  legalBasis: LegalBasis;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
  /** Fully vaccinated: at least `doses` doses, the last at least minDays and at most maxDays before. */
  fullyVaccinated: { doses: number; minDays: number; maxDays: number };
  /** Recovered: a case closed as recovered at most this many days before. */
  recoveredWithinDays: number;
  rules: F1Rule[];
}

const FULL = { doses: 2, minDays: 14, maxDays: 180 };

export const F1_QUARANTINE_RULESETS: readonly F1QuarantineRuleSet[] = [
  {
    id: 'f1-cd600-2021-05-05',
    kind: 'f1_quarantine',
    name: 'Cách ly F1: 21 ngày tập trung + 7 ngày theo dõi tại nhà',
    legalBasis: {
      number: 'Công điện 600/CĐ-BYT',
      date: '2021-05-05',
      title: 'Tăng cường phòng, chống dịch COVID-19',
    },
    validFrom: '2021-05-05',
    validTo: '2021-07-14',
    confidence: 'sure',
    notes:
      'Xét nghiệm ngày 1, 14, 20; sau đó 7 ngày theo dõi tại nhà, xét nghiệm ngày thứ 7 (ngày 28).',
    fullyVaccinated: FULL,
    recoveredWithinDays: 180,
    rules: [
      {
        id: 'all',
        kind: 'centralised',
        quarantineDays: 21,
        monitoringDays: 7,
        testDays: [1, 14, 20, 28],
        confidence: 'sure',
        notes: '',
      },
    ],
  },
  {
    id: 'f1-2021-07-15',
    kind: 'f1_quarantine',
    name: 'Cách ly F1: 14 ngày tập trung + 14 ngày theo dõi tại nhà',
    legalBasis: {
      number: 'Hướng dẫn BYT 07/2021 (tái dựng)',
      date: '2021-07-15',
      title: 'Rút ngắn thời gian cách ly F1 còn 14 ngày',
    },
    validFrom: '2021-07-15',
    validTo: '2021-12-15',
    confidence: 'reconstructed',
    notes: 'Ngày hiệu lực tái dựng (khoảng 07/2021); ngày xét nghiệm 1, 7, 14 tái dựng.',
    fullyVaccinated: FULL,
    recoveredWithinDays: 180,
    rules: [
      {
        id: 'all',
        kind: 'centralised',
        quarantineDays: 14,
        monitoringDays: 14,
        testDays: [1, 7, 14],
        confidence: 'reconstructed',
        notes: '',
      },
    ],
  },
  {
    id: 'f1-cv10696-2021-12-16',
    kind: 'f1_quarantine',
    name: 'Cách ly F1 theo tình trạng tiêm chủng (CV 10696/BYT-MT)',
    legalBasis: { number: 'CV 10696/BYT-MT', date: '2021-12-16', title: 'Hướng dẫn cách ly y tế' },
    validFrom: '2021-12-16',
    validTo: '2022-02-20',
    confidence: 'sure',
    notes:
      'Đã tiêm đủ (mũi cuối ≥ 14 ngày, ≤ 6 tháng) hoặc đã khỏi bệnh ≤ 6 tháng: 7 ngày tại nhà + 7 ngày tự theo dõi, PCR ngày 1 và 7.',
    fullyVaccinated: FULL,
    recoveredWithinDays: 180,
    rules: [
      {
        id: 'protected',
        anyOf: ['fullyVaccinated', 'recovered'],
        kind: 'home',
        quarantineDays: 7,
        monitoringDays: 7,
        testDays: [1, 7],
        confidence: 'sure',
        notes: '',
      },
      {
        id: 'unprotected',
        kind: 'centralised',
        quarantineDays: 14,
        monitoringDays: 0,
        testDays: [1, 7, 14],
        confidence: 'reconstructed',
        notes:
          'RULES.md không nêu trường hợp chưa tiêm đủ; giữ 14 ngày như hướng dẫn trước (tái dựng).',
      },
    ],
  },
  {
    id: 'f1-2022-02-21',
    kind: 'f1_quarantine',
    name: 'Cách ly F1: 5 + 5 ngày (đã tiêm đủ) hoặc 7 + 3 ngày',
    legalBasis: {
      number: 'CV 873/BYT-DP (tái dựng số hiệu)',
      date: '2022-02-21',
      title: 'Cách ly F1 theo tình trạng tiêm chủng',
    },
    validFrom: '2022-02-21',
    validTo: '2022-04-14',
    confidence: 'sure',
    notes: 'Ngày xét nghiệm (ngày cuối cách ly) là tái dựng.',
    fullyVaccinated: FULL,
    recoveredWithinDays: 180,
    rules: [
      {
        id: 'vaccinated',
        anyOf: ['fullyVaccinated'],
        kind: 'home',
        quarantineDays: 5,
        monitoringDays: 5,
        testDays: [5],
        confidence: 'sure',
        notes: '',
      },
      {
        id: 'other',
        kind: 'home',
        quarantineDays: 7,
        monitoringDays: 3,
        testDays: [7],
        confidence: 'sure',
        notes: '',
      },
    ],
  },
  {
    id: 'f1-cv1909-2022-04-15',
    kind: 'f1_quarantine',
    name: 'F1 không phải cách ly (CV 1909/BYT-DP)',
    legalBasis: { number: 'CV 1909/BYT-DP', date: '2022-04-15', title: 'Không cách ly F1' },
    validFrom: '2022-04-15',
    validTo: null,
    confidence: 'sure',
    notes: 'F1 không cách ly; tự theo dõi sức khỏe 7 ngày (thời gian theo dõi tái dựng).',
    fullyVaccinated: FULL,
    recoveredWithinDays: 180,
    rules: [
      {
        id: 'none',
        kind: 'self_monitoring',
        quarantineDays: 0,
        monitoringDays: 7,
        testDays: [],
        confidence: 'reconstructed',
        notes: '',
      },
    ],
  },
];

export interface F1Facts {
  /** Date of the last exposure to the F0 (day 1). */
  lastExposureDate: IsoDate;
  /** Self-declared in the latest health declaration (no vaccination register yet). */
  vaccination: { doses: number; lastDoseDate?: string | null } | null;
  /** Date a case of the person closed as recovered, if any. */
  recoveredOn: IsoDate | null;
}

export interface F1QuarantineDecision {
  rulesetId: string;
  ruleId: string;
  legalBasis: LegalBasis;
  confidence: Confidence;
  kind: QuarantineKind;
  startDate: IsoDate;
  quarantineEnds: IsoDate | null;
  monitoringEnds: IsoDate;
  testDates: IsoDate[];
  facts: { fullyVaccinated: boolean; recovered: boolean };
  explanation: { vi: string; en: string };
}

/** The quarantine of a confirmed F1 under the rule set in force on the last exposure date. */
export function f1Quarantine(
  sets: readonly F1QuarantineRuleSet[],
  facts: F1Facts,
): F1QuarantineDecision | null {
  const rs = rulesetInForce(sets, 'f1_quarantine', facts.lastExposureDate);
  if (!rs) return null;
  const day1 = facts.lastExposureDate;
  const v = facts.vaccination;
  const fv = rs.fullyVaccinated;
  const sinceDose =
    v?.lastDoseDate && isValidIsoDate(v.lastDoseDate) ? daysBetween(v.lastDoseDate, day1) : null;
  const fullyVaccinated =
    !!v &&
    v.doses >= fv.doses &&
    sinceDose !== null &&
    sinceDose >= fv.minDays &&
    sinceDose <= fv.maxDays;
  const recovered =
    !!facts.recoveredOn &&
    daysBetween(facts.recoveredOn, day1) >= 0 &&
    daysBetween(facts.recoveredOn, day1) <= rs.recoveredWithinDays;
  const f = { fullyVaccinated, recovered };
  const rule =
    rs.rules.find((r) => !r.anyOf || r.anyOf.some((k) => f[k])) ?? rs.rules[rs.rules.length - 1]!;
  const quarantineEnds = rule.quarantineDays > 0 ? addDays(day1, rule.quarantineDays - 1) : null;
  const monitoringEnds = addDays(day1, Math.max(1, rule.quarantineDays + rule.monitoringDays) - 1);
  const testDates = rule.testDays.map((d) => addDays(day1, d - 1));
  const label = QUARANTINE_KIND_LABELS[rule.kind];
  const vaxVi = fullyVaccinated
    ? `đã tiêm đủ ${v!.doses} mũi (mũi cuối ${formatViDate(v!.lastDoseDate!)}, tự khai trong tờ khai y tế)`
    : v
      ? `chưa tiêm đủ theo tờ khai y tế (${v.doses} mũi${v.lastDoseDate ? `, mũi cuối ${formatViDate(v.lastDoseDate)}` : ''})`
      : 'không có thông tin tiêm chủng (chưa có tờ khai y tế)';
  const vaxEn = fullyVaccinated
    ? `fully vaccinated, ${v!.doses} doses (last ${v!.lastDoseDate}, self-declared)`
    : v
      ? `not fully vaccinated per declaration (${v.doses} doses)`
      : 'no vaccination information (no declaration)';
  const recVi = recovered ? `; đã khỏi COVID-19 ngày ${formatViDate(facts.recoveredOn!)}` : '';
  const recEn = recovered ? `; recovered on ${facts.recoveredOn}` : '';
  const planVi =
    rule.kind === 'self_monitoring'
      ? `không cách ly, tự theo dõi sức khỏe đến ${formatViDate(monitoringEnds)}`
      : `${label.vi.toLowerCase()} ${rule.quarantineDays} ngày (đến ${formatViDate(quarantineEnds!)})${
          rule.monitoringDays
            ? `, theo dõi thêm ${rule.monitoringDays} ngày (đến ${formatViDate(monitoringEnds)})`
            : ''
        }`;
  const planEn =
    rule.kind === 'self_monitoring'
      ? `not quarantined, self-monitoring until ${monitoringEnds}`
      : `${label.en.toLowerCase()} ${rule.quarantineDays} days (until ${quarantineEnds})${
          rule.monitoringDays
            ? `, then ${rule.monitoringDays} days monitoring (until ${monitoringEnds})`
            : ''
        }`;
  const testsVi = testDates.length
    ? `; xét nghiệm ngày ${testDates.map(formatViDate).join(', ')}`
    : '';
  const testsEn = testDates.length ? `; tests on ${testDates.join(', ')}` : '';
  return {
    rulesetId: rs.id,
    ruleId: rule.id,
    legalBasis: rs.legalBasis,
    confidence:
      rule.confidence === 'reconstructed' || rs.confidence === 'reconstructed'
        ? 'reconstructed'
        : 'sure',
    kind: rule.kind,
    startDate: day1,
    quarantineEnds,
    monitoringEnds,
    testDates,
    facts: f,
    explanation: {
      vi: `F1 tiếp xúc lần cuối ngày ${formatViDate(day1)}, ${vaxVi}${recVi}: ${planVi}${testsVi}. Căn cứ ${rs.legalBasis.number}${
        rule.confidence === 'reconstructed' ? ' (giá trị tái dựng, cần xác nhận)' : ''
      }.`,
      en: `F1 last exposed on ${day1}, ${vaxEn}${recEn}: ${planEn}${testsEn}. Basis: ${rs.legalBasis.number}${
        rule.confidence === 'reconstructed' ? ' (reconstructed value)' : ''
      }.`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Candidates from co-presence pairs

/** One co-presence of the traced person (F0, or the F1 for F2) and another person. */
export interface CoPresence {
  personId: string;
  source: ContactSource;
  placeKey: string;
  label: string | null;
  traced: Interval;
  other: Interval;
}

export interface Evidence {
  source: ContactSource;
  sourceLabel: { vi: string; en: string };
  placeKey: string;
  place: string | null;
  from: string;
  to: string;
  minutes: number;
  strength: number;
  explanation: { vi: string; en: string };
}

export interface Candidate {
  personId: string;
  strength: number;
  sources: ContactSource[];
  evidence: Evidence[];
  firstExposureAt: number;
  lastExposureAt: number;
}

/**
 * Turns co-presence pairs into candidates: each pair is assessed under its source's rule; pairs
 * that make no contact are dropped; a person's evidence is kept in time order with the combined
 * strength. Households are always contacts over the whole traced interval.
 */
export function collectCandidates(
  pairs: readonly CoPresence[],
  rules: ContactTracingRuleSet,
): Candidate[] {
  const byPerson = new Map<string, { ev: (Evidence & { f: number; t: number })[] }>();
  for (const p of pairs) {
    let ex: Exposure;
    if (p.source === 'household') {
      ex = assessExposure(
        'interview',
        { ...rules.sources.interview, mode: 'always', strength: rules.householdStrength },
        p.traced,
        p.traced,
      );
      ex = { ...ex, reason: CONTACT_SOURCE_LABELS.household };
    } else {
      const rule = rules.sources[p.source];
      if (!rule) continue;
      ex = assessExposure(p.source, rule, p.traced, p.other);
    }
    if (!ex.contact) continue;
    const e = {
      source: p.source,
      sourceLabel: CONTACT_SOURCE_LABELS[p.source],
      placeKey: p.placeKey,
      place: p.label,
      from: new Date(ex.from).toISOString(),
      to: new Date(ex.to).toISOString(),
      minutes: Math.max(0, Math.round(ex.overlapMinutes)),
      strength: ex.strength,
      explanation: ex.reason,
      f: ex.from,
      t: ex.to,
    };
    const cur = byPerson.get(p.personId) ?? { ev: [] };
    cur.ev.push(e);
    byPerson.set(p.personId, cur);
  }
  const out: Candidate[] = [];
  for (const [personId, { ev }] of byPerson) {
    ev.sort(
      (a, b) => a.f - b.f || (a.placeKey < b.placeKey ? -1 : a.placeKey > b.placeKey ? 1 : 0),
    );
    // pieces of one long stay (a lodging stay is stored in pieces of 3 days) make one exposure
    for (let i = ev.length - 1; i > 0; i--) {
      const cur = ev[i]!;
      if (cur.source === 'checkpoint' || cur.source === 'vehicle') continue;
      let j = i - 1;
      while (j >= 0 && ev[j]!.placeKey !== cur.placeKey) j--;
      const prev = ev[j];
      if (!prev || cur.f > prev.t) continue;
      prev.t = Math.max(prev.t, cur.t);
      prev.to = new Date(prev.t).toISOString();
      prev.minutes = Math.round((prev.t - prev.f) / MIN);
      prev.strength = Math.max(prev.strength, cur.strength);
      prev.explanation = {
        vi: `${prev.sourceLabel.vi}: cùng có mặt ${prev.minutes} phút`,
        en: `${prev.sourceLabel.en}: together ${prev.minutes} min`,
      };
      ev.splice(i, 1);
    }
    out.push({
      personId,
      strength: combineStrength(ev.map((e) => e.strength)),
      sources: [...new Set(ev.map((e) => e.source))],
      evidence: ev.map(({ f: _f, t: _t, ...e }) => e),
      firstExposureAt: ev.reduce((m, e) => Math.min(m, e.f), Infinity),
      lastExposureAt: ev.reduce((m, e) => Math.max(m, e.t), -Infinity),
    });
  }
  return out.sort(
    (a, b) =>
      b.strength - a.strength || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0),
  );
}
