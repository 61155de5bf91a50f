/**
 * Workplaces and schools (issue 18 item 4): the COVID-safety self-assessment of a factory, an
 * industrial-zone firm, a mine, a dormitory or a school against the criteria of a versioned rule
 * set (kind 'workplace_safety'), the outbreak flag its screening raises, and when its next
 * assessment and screening are due. Pure functions, no I/O.
 *
 * RULES.md ("Workplace COVID safety"): QĐ 2194/QĐ-BCĐQG (27/05/2020) and QĐ 2787/QĐ-BYT
 * (05/06/2021) make workplaces keep a self-assessment of infection risk against a checklist
 * (distancing, masks, screening at the gate, ventilation, canteen and transport, isolation room,
 * plan "3 tại chỗ"), scored into four risk levels, updated at least weekly; in an active outbreak
 * the province may require a rapid test of every worker before each shift (seed 003). The
 * weights, thresholds and intervals below are reconstructed, not copied from the decisions.
 */
import { addDays, compare, formatViDate, type IsoDate } from './dates.ts';
import type { LegalBasis } from './rulesets.ts';

type Words = { vi: string; en: string };

export const WORKPLACE_KINDS = [
  'factory',
  'industrial_zone',
  'mine',
  'dormitory',
  'school',
  'other',
] as const;
export type WorkplaceKind = (typeof WORKPLACE_KINDS)[number];
export const WORKPLACE_KIND_LABELS: Record<WorkplaceKind, Words> = {
  factory: { vi: 'Nhà máy, xí nghiệp', en: 'Factory' },
  industrial_zone: { vi: 'Doanh nghiệp khu công nghiệp', en: 'Industrial-zone firm' },
  mine: { vi: 'Mỏ, khai khoáng', en: 'Mine' },
  dormitory: { vi: 'Khu nhà ở công nhân', en: "Workers' dormitory" },
  school: { vi: 'Trường học', en: 'School' },
  other: { vi: 'Cơ sở khác', en: 'Other workplace' },
};
/** The site kind a workplace is registered as (the test_reporter role works at these). */
export const siteKindOf = (k: WorkplaceKind) => (k === 'school' ? 'school' : 'enterprise');

export const RISK_LEVELS = ['low', 'medium', 'high', 'very_high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LABELS: Record<RiskLevel, Words> = {
  low: { vi: 'Nguy cơ thấp', en: 'Low risk' },
  medium: { vi: 'Nguy cơ trung bình', en: 'Medium risk' },
  high: { vi: 'Nguy cơ cao', en: 'High risk' },
  very_high: { vi: 'Nguy cơ rất cao', en: 'Very high risk' },
};

export interface SafetyCriterion {
  id: string;
  text: Words;
  /** Points it carries when met. */
  weight: number;
  /** Not meeting it keeps the workplace at `criticalLevel` at best, whatever its score. */
  critical: boolean;
}

export interface WorkplaceSafetyRuleSet {
  id: string;
  kind: 'workplace_safety';
  name: string;
  legalBasis: LegalBasis;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: 'sure' | 'reconstructed';
  notes: string;
  criteria: SafetyCriterion[];
  /** Score bands, best first: the first whose minPercent the score reaches decides. */
  levels: { id: string; level: RiskLevel; minPercent: number }[];
  /** The level at best when a critical criterion is not met. */
  criticalLevel: RiskLevel;
  /** A new self-assessment is due this many days after the last (RULES.md: at least weekly). */
  assessmentEveryDays: number;
  /** Screening of the workforce is due this many days after the last upload… */
  screeningEveryDays: number;
  /** …and this many while the workplace is flagged (seed 003: before each shift). */
  outbreakScreeningEveryDays: number;
  /** The workplace is flagged when its screening has this many positives within this window. */
  outbreak: { id: string; minPositives: number; windowDays: number };
}

export const DEFAULT_WORKPLACE_SAFETY: WorkplaceSafetyRuleSet = {
  id: 'workplace-safety-2021-06',
  kind: 'workplace_safety',
  name: 'Bộ tiêu chí đánh giá nguy cơ lây nhiễm COVID-19 tại nơi làm việc',
  legalBasis: {
    number: 'QĐ 2787/QĐ-BYT',
    date: '2021-06-05',
    title:
      'Hướng dẫn phòng, chống dịch COVID-19 tại nơi làm việc và ký túc xá cho người lao động (thay thế QĐ 2194/QĐ-BCĐQG)',
  },
  validFrom: '2021-06-05',
  validTo: null,
  confidence: 'reconstructed',
  notes:
    'Tiêu chí, trọng số, ngưỡng và chu kỳ dựng lại theo RULES.md (QĐ 2194/QĐ-BCĐQG, QĐ 2787/QĐ-BYT); xét nghiệm trước mỗi ca khi có ổ dịch theo hạt giống 003. Cần đối chiếu văn bản gốc.',
  criteria: [
    c('gate_screening', 'Sàng lọc, đo thân nhiệt tại cổng', 'Screening at the gate', 10, true),
    c('masks', 'Đeo khẩu trang khi làm việc', 'Masks worn at work', 10, true),
    c('distancing', 'Giãn cách ≥ 2 m hoặc vách ngăn', 'Distancing ≥ 2 m or screens', 10, false),
    c('ventilation', 'Thông khí, không dùng điều hòa kín', 'Ventilation', 10, false),
    c('hand_hygiene', 'Nước sát khuẩn tại lối vào, nơi làm việc', 'Hand sanitiser', 10, false),
    c(
      'canteen',
      'Bếp ăn: giãn cách, vách ngăn, chia ca',
      'Canteen: spaced, screens, shifts',
      10,
      false,
    ),
    c('transport', 'Đưa đón người lao động an toàn', 'Safe transport of workers', 10, false),
    c('isolation_room', 'Có phòng cách ly tạm thời', 'A temporary isolation room', 10, true),
    c(
      'on_site_plan',
      'Phương án "3 tại chỗ" / "1 cung đường 2 điểm đến"',
      'An on-site ("3 tại chỗ") plan',
      10,
      false,
    ),
    c(
      'health_declaration',
      'Khai báo y tế, theo dõi sức khỏe người lao động',
      'Health declarations of workers',
      10,
      false,
    ),
  ],
  levels: [
    { id: 'score-low', level: 'low', minPercent: 80 },
    { id: 'score-medium', level: 'medium', minPercent: 65 },
    { id: 'score-high', level: 'high', minPercent: 50 },
    { id: 'score-very-high', level: 'very_high', minPercent: 0 },
  ],
  criticalLevel: 'high',
  assessmentEveryDays: 7,
  screeningEveryDays: 7,
  outbreakScreeningEveryDays: 1,
  outbreak: { id: 'positive-in-screening', minPositives: 1, windowDays: 14 },
};

function c(id: string, vi: string, en: string, weight: number, critical: boolean) {
  return { id, text: { vi, en }, weight, critical };
}

export const ANSWERS = ['yes', 'no', 'na'] as const;
export type Answer = (typeof ANSWERS)[number];

export interface Problem {
  path: string;
  message: string;
}

/** What a new version must satisfy beyond its shape (rule-set administration calls this). */
export function validateWorkplaceSafety(rs: WorkplaceSafetyRuleSet): Problem[] {
  const out: Problem[] = [];
  const ids = new Set<string>();
  if (!rs.criteria.length) out.push({ path: 'criteria', message: 'Cần ít nhất một tiêu chí' });
  rs.criteria.forEach((cr, i) => {
    if (ids.has(cr.id)) out.push({ path: `criteria[${i}].id`, message: 'Mã tiêu chí bị trùng' });
    ids.add(cr.id);
    if (!Number.isInteger(cr.weight) || cr.weight < 1 || cr.weight > 100)
      out.push({ path: `criteria[${i}].weight`, message: 'Điểm từ 1 đến 100' });
  });
  rs.levels.forEach((l, i) => {
    if (!(RISK_LEVELS as readonly string[]).includes(l.level))
      out.push({ path: `levels[${i}].level`, message: 'Mức nguy cơ không hợp lệ' });
    if (l.minPercent > 100)
      out.push({ path: `levels[${i}].minPercent`, message: 'Ngưỡng từ 0 đến 100' });
    const prev = rs.levels[i - 1];
    if (prev && l.minPercent >= prev.minPercent)
      out.push({ path: `levels[${i}].minPercent`, message: 'Ngưỡng phải giảm dần' });
  });
  if (rs.levels.at(-1)?.minPercent !== 0)
    out.push({ path: 'levels', message: 'Mức cuối cùng phải có ngưỡng 0' });
  if (!(RISK_LEVELS as readonly string[]).includes(rs.criticalLevel))
    out.push({ path: 'criticalLevel', message: 'Mức nguy cơ không hợp lệ' });
  for (const k of [
    'assessmentEveryDays',
    'screeningEveryDays',
    'outbreakScreeningEveryDays',
  ] as const)
    if (!Number.isInteger(rs[k]) || rs[k] < 1 || rs[k] > 90)
      out.push({ path: k, message: 'Từ 1 đến 90 ngày' });
  if (!Number.isInteger(rs.outbreak.minPositives) || rs.outbreak.minPositives < 1)
    out.push({ path: 'outbreak.minPositives', message: 'Ít nhất 1 ca dương tính' });
  if (
    !Number.isInteger(rs.outbreak.windowDays) ||
    rs.outbreak.windowDays < 1 ||
    rs.outbreak.windowDays > 60
  )
    out.push({ path: 'outbreak.windowDays', message: 'Từ 1 đến 60 ngày' });
  return out;
}

const rankOf = (l: RiskLevel) => RISK_LEVELS.indexOf(l);
const worse = (a: RiskLevel, b: RiskLevel) => (rankOf(a) >= rankOf(b) ? a : b);

export interface AssessmentResult {
  /** Met points over applicable points, in percent, one decimal (for display). */
  score: number;
  met: number;
  applicable: number;
  level: RiskLevel;
  /** The level band or 'critical-missing' that decided. */
  ruleId: string;
  failed: string[];
  explanation: Words;
}

/** Answers missing or unknown (the body's field is named). */
export function answerProblems(rs: WorkplaceSafetyRuleSet, answers: Record<string, string>) {
  const out: Problem[] = [];
  for (const cr of rs.criteria)
    if (!(cr.id in answers))
      out.push({ path: `answers.${cr.id}`, message: 'Chưa trả lời tiêu chí này' });
  for (const k of Object.keys(answers))
    if (!rs.criteria.some((cr) => cr.id === k))
      out.push({ path: `answers.${k}`, message: 'Không có tiêu chí này trong bộ tiêu chí' });
  return out;
}

/**
 * Scores a self-assessment: points of the criteria met over the points of those that apply; the
 * first band (best first) whose threshold the score reaches decides, compared exactly
 * (met × 100 ≥ minPercent × applicable); a critical criterion not met caps it at `criticalLevel`.
 * Nothing applicable scores 0 %.
 */
export function assessWorkplace(
  rs: WorkplaceSafetyRuleSet,
  answers: Record<string, Answer>,
): AssessmentResult {
  let met = 0;
  let applicable = 0;
  const failed: SafetyCriterion[] = [];
  for (const cr of rs.criteria) {
    const a = answers[cr.id] ?? 'no';
    if (a === 'na') continue;
    applicable += cr.weight;
    if (a === 'yes') met += cr.weight;
    else failed.push(cr);
  }
  const band =
    rs.levels.find((l) => applicable > 0 && met * 100 >= l.minPercent * applicable) ??
    rs.levels[rs.levels.length - 1]!;
  const criticalFailed = failed.filter((cr) => cr.critical);
  const capped = criticalFailed.length > 0 && worse(rs.criticalLevel, band.level) !== band.level;
  const level = capped ? rs.criticalLevel : band.level;
  const score = applicable ? Math.round((met * 1000) / applicable) / 10 : 0;
  const lv = RISK_LABELS[level];
  const pts = `${met}/${applicable}`;
  const vi = [
    `Đạt ${pts} điểm (${score}%) theo ${rs.name}: ${lv.vi.toLowerCase()}`,
    capped
      ? ` vì chưa đạt tiêu chí bắt buộc: ${criticalFailed.map((x) => x.text.vi).join('; ')}`
      : ` (ngưỡng ${band.minPercent}%)`,
    failed.length ? `. Chưa đạt: ${failed.map((x) => x.text.vi).join('; ')}.` : '.',
  ].join('');
  const en = [
    `Scored ${pts} points (${score}%) under ${rs.id}: ${lv.en.toLowerCase()}`,
    capped
      ? ` because a required criterion is not met: ${criticalFailed.map((x) => x.text.en).join('; ')}`
      : ` (threshold ${band.minPercent}%)`,
    failed.length ? `. Not met: ${failed.map((x) => x.text.en).join('; ')}.` : '.',
  ].join('');
  return {
    score,
    met,
    applicable,
    level,
    ruleId: capped ? 'critical-missing' : band.id,
    failed: failed.map((x) => x.id),
    explanation: { vi, en },
  };
}

export interface OutbreakDecision {
  outbreak: boolean;
  ruleId: string;
  explanation: Words;
}

/** Is the workplace an outbreak: `positives` in its screening within the rule's window up to today? */
export function decideOutbreak(
  rs: WorkplaceSafetyRuleSet,
  positives: number,
  today: IsoDate,
): OutbreakDecision {
  const o = rs.outbreak;
  const from = addDays(today, -(o.windowDays - 1));
  const outbreak = positives >= o.minPositives;
  const span = `${formatViDate(from)} – ${formatViDate(today)}`;
  return {
    outbreak,
    ruleId: o.id,
    explanation: outbreak
      ? {
          vi: `Ổ dịch tại nơi làm việc: ${positives} ca dương tính khi sàng lọc (${span}), ngưỡng ${o.minPositives} ca trong ${o.windowDays} ngày (${rs.id}). Xét nghiệm mỗi ${rs.outbreakScreeningEveryDays} ngày.`,
          en: `Workplace outbreak: ${positives} positive screening result(s) (${from} – ${today}), threshold ${o.minPositives} within ${o.windowDays} days (${rs.id}). Screen every ${rs.outbreakScreeningEveryDays} day(s).`,
        }
      : {
          vi: `Không có ổ dịch: ${positives} ca dương tính khi sàng lọc (${span}), dưới ngưỡng ${o.minPositives} ca (${rs.id}).`,
          en: `No outbreak: ${positives} positive screening result(s) (${from} – ${today}), below ${o.minPositives} (${rs.id}).`,
        },
  };
}

/** The first day of the outbreak window ending `today` (what the positives are counted from). */
export const outbreakWindowStart = (rs: WorkplaceSafetyRuleSet, today: IsoDate) =>
  addDays(today, -(rs.outbreak.windowDays - 1));

/**
 * When the next self-assessment and screening are due: the interval after the last one, or the
 * day of registration when there was none. Overdue from the day AFTER the due day.
 */
export function dueDates(
  rs: WorkplaceSafetyRuleSet,
  w: {
    registeredOn: IsoDate;
    assessedOn: IsoDate | null;
    screenedOn: IsoDate | null;
    outbreak: boolean;
  },
) {
  const screenEvery = w.outbreak ? rs.outbreakScreeningEveryDays : rs.screeningEveryDays;
  return {
    assessmentDueOn: w.assessedOn ? addDays(w.assessedOn, rs.assessmentEveryDays) : w.registeredOn,
    screeningDueOn: w.screenedOn ? addDays(w.screenedOn, screenEvery) : w.registeredOn,
  };
}
export const isOverdue = (dueOn: IsoDate, today: IsoDate) => compare(dueOn, today) < 0;

/** Where a workplace stands in the risk list: an outbreak first, then the assessed level; unassessed last. */
export function riskRank(level: RiskLevel | null, outbreak: boolean): number {
  if (outbreak) return 5;
  return level ? rankOf(level) + 1 : 0;
}
