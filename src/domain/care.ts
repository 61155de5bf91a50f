/**
 * Quarantine facilities: room placement that never mixes cohorts, the quarantine course (test
 * days and release day from the F1 quarantine rule set in force on the admission date), and the
 * fee statement. Pure functions, no I/O. Rule sets are versioned data (see rulesets.ts); every
 * decision names its rule set and rule and explains itself in Vietnamese and English.
 *
 * Day counting, the same everywhere in this module: the admission date is day 1; a course of N
 * days covers days 1..N, and the person is released on day N + 1 (14 days: refused on day 14,
 * released on day 15).
 */
import { addDays, compare, daysBetween, formatViDate, type IsoDate } from './dates.ts';
import type { Confidence, LegalBasis } from './rulesets.ts';
import { f1Quarantine, type F1Facts, type F1QuarantineRuleSet } from './tracing.ts';

export type Words = { vi: string; en: string };
export const BED_KINDS = ['ordinary', 'oxygen', 'icu'] as const;
export type BedKind = (typeof BED_KINDS)[number];
export const BED_KIND_LABELS: Record<BedKind, Words> = {
  ordinary: { vi: 'giường thường', en: 'ordinary bed' },
  oxygen: { vi: 'giường có oxy', en: 'oxygen bed' },
  icu: { vi: 'giường hồi sức tích cực (ICU)', en: 'ICU bed' },
};

// ---------------------------------------------------------------------------------------------
// Placement (kind 'care_placement')

export interface PlacementRuleSet {
  id: string;
  kind: 'care_placement';
  name: string;
  legalBasis: LegalBasis;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
  /** People admitted more than this many days after a room's first occupant are another cohort. */
  maxAdmissionGapDays: number;
  /** Members of one household may share a room (they are placed with each other first). */
  familiesTogether: boolean;
}

export const DEFAULT_PLACEMENT_RULESETS: readonly PlacementRuleSet[] = [
  {
    id: 'care-placement-2021-05-05',
    kind: 'care_placement',
    name: 'Bố trí phòng cách ly: không để lây nhiễm chéo',
    legalBasis: {
      number: 'QĐ 878/QĐ-BYT (tái dựng)',
      date: '2020-03-12',
      title: 'Hướng dẫn cách ly y tế tại cơ sở cách ly tập trung',
    },
    validFrom: '2021-05-05',
    validTo: null,
    confidence: 'reconstructed',
    notes:
      'Không ở chung F0 với người không phải F0; không ở chung người khác nhóm (cùng ca nguồn hoặc cùng đợt nhập cảnh) hoặc vào cách ly cách nhau quá 3 ngày (số ngày tái dựng, quản trị viên sửa được); gia đình ở cùng phòng.',
    maxAdmissionGapDays: 3,
    familiesTogether: true,
  },
];

/** Who is to be placed. cohortKey: 'case:<source case id>' or 'batch:<arrival batch>' or own id. */
export interface PlacementCandidate {
  cohortKey: string;
  familyKey: string | null;
  isF0: boolean;
  admittedOn: IsoDate;
  bedKind: BedKind;
}

/** A room as the placement sees it (the room row's maintained state). */
export interface RoomState {
  id: string;
  name: string;
  occupied: number;
  freeBeds: Record<BedKind, number>;
  /** null while empty */
  cohortKey: string | null;
  isF0: boolean | null;
  firstAdmittedOn: IsoDate | null;
  familyKeys: string[];
}

export interface Refusal {
  roomId: string;
  roomName: string;
  rule: 'no_bed' | 'f0_mix' | 'cohort_mix' | 'admission_gap';
  explanation: Words;
}

export type Placement =
  | {
      ok: true;
      roomId: string;
      rulesetId: string;
      rule: 'family' | 'same_cohort' | 'empty_room';
      explanation: Words;
    }
  | { ok: false; rulesetId: string; rule: 'no_room'; refusals: Refusal[]; explanation: Words };

/** Why `c` may not go into room `r`, or null when it may. */
export function roomRefusal(
  rs: PlacementRuleSet,
  c: PlacementCandidate,
  r: RoomState,
): Refusal | null {
  const refuse = (rule: Refusal['rule'], vi: string, en: string): Refusal => ({
    roomId: r.id,
    roomName: r.name,
    rule,
    explanation: { vi: `Phòng ${r.name}: ${vi}`, en: `Room ${r.name}: ${en}` },
  });
  if ((r.freeBeds[c.bedKind] ?? 0) <= 0)
    return refuse(
      'no_bed',
      `không còn ${BED_KIND_LABELS[c.bedKind].vi} trống`,
      `no free ${BED_KIND_LABELS[c.bedKind].en}`,
    );
  if (r.occupied === 0) return null;
  const family = rs.familiesTogether && !!c.familyKey && r.familyKeys.includes(c.familyKey);
  if (r.isF0 !== c.isF0)
    return refuse(
      'f0_mix',
      c.isF0 ? 'F0 không ở chung với người chưa mắc' : 'đang có F0, người chưa mắc không vào',
      c.isF0 ? 'an F0 may not share with non-F0' : 'holds F0; a non-F0 may not enter',
    );
  // F0 share rooms with F0 whatever their source; cohorts and admission gaps keep non-F0 apart.
  if (family || c.isF0) return null;
  if (r.cohortKey !== c.cohortKey)
    return refuse(
      'cohort_mix',
      `khác nhóm (phòng: ${r.cohortKey}, người vào: ${c.cohortKey})`,
      `another cohort (room: ${r.cohortKey}, newcomer: ${c.cohortKey})`,
    );
  const gap = r.firstAdmittedOn ? Math.abs(daysBetween(r.firstAdmittedOn, c.admittedOn)) : 0;
  if (gap > rs.maxAdmissionGapDays)
    return refuse(
      'admission_gap',
      `vào cách ly cách người đầu tiên ${gap} ngày (> ${rs.maxAdmissionGapDays} ngày, từ ${formatViDate(r.firstAdmittedOn!)})`,
      `admitted ${gap} days after the first occupant (> ${rs.maxAdmissionGapDays}, since ${r.firstAdmittedOn})`,
    );
  return null;
}

/**
 * The room for `c`: a room holding their family first, then one of their cohort (fullest first,
 * so cohorts stay together), then an empty room. Refused: every room's reason.
 */
export function placeAdmission(
  rs: PlacementRuleSet,
  c: PlacementCandidate,
  rooms: readonly RoomState[],
): Placement {
  const open = rooms.filter((r) => !roomRefusal(rs, c, r));
  const pick = (
    rule: 'family' | 'same_cohort' | 'empty_room',
    test: (r: RoomState) => boolean,
  ): Placement | null => {
    const r = open
      .filter(test)
      .sort((a, b) => b.occupied - a.occupied || a.name.localeCompare(b.name))[0];
    if (!r) return null;
    const why: Record<typeof rule, Words> = {
      family: { vi: 'ở cùng gia đình', en: 'with their family' },
      same_cohort: {
        vi: `cùng nhóm ${c.cohortKey}, vào cách ly trong ${rs.maxAdmissionGapDays} ngày`,
        en: `same cohort ${c.cohortKey}, admitted within ${rs.maxAdmissionGapDays} days`,
      },
      empty_room: {
        vi: 'phòng trống (không có phòng nào cùng nhóm còn chỗ)',
        en: 'an empty room (no room of the same cohort has a free bed)',
      },
    };
    return {
      ok: true,
      roomId: r.id,
      rulesetId: rs.id,
      rule,
      explanation: {
        vi: `Xếp vào phòng ${r.name}: ${why[rule].vi}. Căn cứ ${rs.legalBasis.number}.`,
        en: `Placed in room ${r.name}: ${why[rule].en}. Basis: ${rs.legalBasis.number}.`,
      },
    };
  };
  const placed =
    (rs.familiesTogether && c.familyKey
      ? pick('family', (r) => r.occupied > 0 && r.familyKeys.includes(c.familyKey!))
      : null) ??
    pick('same_cohort', (r) => r.occupied > 0) ??
    pick('empty_room', (r) => r.occupied === 0);
  if (placed) return placed;
  const refusals = rooms.map((r) => roomRefusal(rs, c, r)!).filter(Boolean);
  return {
    ok: false,
    rulesetId: rs.id,
    rule: 'no_room',
    refusals,
    explanation: {
      vi: `Không có phòng phù hợp: ${refusals.map((x) => x.explanation.vi).join('; ') || 'cơ sở chưa có phòng'}.`,
      en: `No suitable room: ${refusals.map((x) => x.explanation.en).join('; ') || 'the facility has no rooms'}.`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Quarantine course and release

export interface QuarantineCourse {
  rulesetId: string;
  ruleId: string;
  confidence: Confidence;
  admittedOn: IsoDate;
  /** Tests during the stay (dates ≤ the last day of quarantine). */
  testDates: IsoDate[];
  lastDay: IsoDate;
  releaseOn: IsoDate;
  explanation: Words;
}

/** The course of someone admitted on `admittedOn`, by the F1 quarantine rule set in force then. */
export function quarantineCourse(
  sets: readonly F1QuarantineRuleSet[],
  facts: Omit<F1Facts, 'lastExposureDate'> & { admittedOn: IsoDate },
): QuarantineCourse | null {
  const d = f1Quarantine(sets, { ...facts, lastExposureDate: facts.admittedOn });
  if (!d) return null;
  // A rule whose plan is home or self-monitoring still gives the days a centralised stay lasts.
  const days = Math.max(
    1,
    d.quarantineEnds ? daysBetween(facts.admittedOn, d.quarantineEnds) + 1 : 14,
  );
  const lastDay = addDays(facts.admittedOn, days - 1);
  const releaseOn = addDays(lastDay, 1);
  const testDates = d.testDates.filter((t) => compare(t, lastDay) <= 0);
  return {
    rulesetId: d.rulesetId,
    ruleId: d.ruleId,
    confidence: d.confidence,
    admittedOn: facts.admittedOn,
    testDates,
    lastDay,
    releaseOn,
    explanation: {
      vi: `Vào cách ly ngày ${formatViDate(facts.admittedOn)}: ${days} ngày, xét nghiệm ngày ${testDates.map(formatViDate).join(', ') || '—'}, ra ngày ${formatViDate(releaseOn)} (ngày ${days + 1}). Căn cứ ${d.legalBasis.number}.`,
      en: `Admitted ${facts.admittedOn}: ${days} days, tests on ${testDates.join(', ') || '—'}, release on ${releaseOn} (day ${days + 1}). Basis: ${d.legalBasis.number}.`,
    },
  };
}

export type ReleaseDecision =
  | { ok: true; explanation: Words }
  | { ok: false; rule: 'before_date' | 'test_missing' | 'test_positive'; explanation: Words };

/**
 * May a person on `course` leave on `today`? `negativeOn`: dates of their negative results in
 * the stay. Early release is another path (a reason, recorded), not this one.
 */
export function releaseDecision(
  course: Pick<QuarantineCourse, 'releaseOn' | 'testDates' | 'admittedOn'>,
  today: IsoDate,
  negativeOn: readonly IsoDate[],
  positive = false,
): ReleaseDecision {
  const day = daysBetween(course.admittedOn, today) + 1;
  if (positive)
    return {
      ok: false,
      rule: 'test_positive',
      explanation: { vi: 'Có kết quả dương tính', en: 'A positive result' },
    };
  if (compare(today, course.releaseOn) < 0)
    return {
      ok: false,
      rule: 'before_date',
      explanation: {
        vi: `Hôm nay là ngày ${day}; được ra từ ngày ${formatViDate(course.releaseOn)}`,
        en: `Today is day ${day}; release from ${course.releaseOn}`,
      },
    };
  // A test day is covered by a negative result on or after it (a late sample still counts).
  const missing = course.testDates.filter((t) => !negativeOn.some((n) => compare(n, t) >= 0));
  if (missing.length)
    return {
      ok: false,
      rule: 'test_missing',
      explanation: {
        vi: `Thiếu xét nghiệm âm tính ngày ${missing.map(formatViDate).join(', ')}`,
        en: `Negative test missing for ${missing.join(', ')}`,
      },
    };
  return {
    ok: true,
    explanation: {
      vi: `Ngày ${day}: đủ thời gian và xét nghiệm âm tính, được ra khỏi khu cách ly`,
      en: `Day ${day}: course completed with negative tests, released`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Fees (kind 'quarantine_fees')

export interface FeeRuleSet {
  id: string;
  kind: 'quarantine_fees';
  name: string;
  legalBasis: LegalBasis;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
  /** VND per person per day. */
  dailyRate: number;
  exemptions: { code: string; label: Words }[];
}

export const DEFAULT_FEE_RULESETS: readonly FeeRuleSet[] = [
  {
    id: 'fees-dienbien-2021',
    kind: 'quarantine_fees',
    name: 'Kinh phí ăn ở cách ly tập trung 120.000 đ/người/ngày',
    legalBasis: {
      number: 'Báo cáo BCĐ tỉnh Điện Biên 2021 (seed 000, tái dựng)',
      date: '2021-05-05',
      title: 'Đóng góp kinh phí ăn và phục vụ tại khu cách ly tập trung',
    },
    validFrom: '2021-05-05',
    validTo: null,
    confidence: 'reconstructed',
    notes:
      'Mức 120.000 đồng/người/ngày theo báo cáo của tỉnh; người nghèo, khó khăn được miễn (danh mục miễn tái dựng).',
    dailyRate: 120_000,
    exemptions: [
      { code: 'poor_household', label: { vi: 'Hộ nghèo', en: 'Poor household' } },
      { code: 'near_poor', label: { vi: 'Hộ cận nghèo', en: 'Near-poor household' } },
      { code: 'policy_family', label: { vi: 'Gia đình chính sách', en: 'Policy family' } },
      { code: 'hardship', label: { vi: 'Hoàn cảnh khó khăn', en: 'Hardship' } },
      { code: 'child', label: { vi: 'Trẻ em dưới 16 tuổi', en: 'Child under 16' } },
    ],
  },
];

export interface FeeStatement {
  rulesetId: string;
  days: number;
  dailyRate: number;
  amount: number;
  exemption: { code: string; label: Words } | null;
  explanation: Words;
}

const vnd = (n: number) => n.toLocaleString('vi-VN') + ' đ';

/** Days charged: from admission to the day before leaving (a stay of days 1–14 is 14 days). */
export function feeStatement(
  rs: FeeRuleSet,
  admittedOn: IsoDate,
  leftOn: IsoDate,
  exemptionCode: string | null,
): FeeStatement {
  const days = Math.max(1, daysBetween(admittedOn, leftOn));
  const exemption = exemptionCode
    ? (rs.exemptions.find((e) => e.code === exemptionCode) ?? null)
    : null;
  const amount = exemption ? 0 : days * rs.dailyRate;
  return {
    rulesetId: rs.id,
    days,
    dailyRate: rs.dailyRate,
    amount,
    exemption,
    explanation: exemption
      ? {
          vi: `${days} ngày × ${vnd(rs.dailyRate)}, miễn: ${exemption.label.vi}`,
          en: `${days} days × ${rs.dailyRate} VND, exempt: ${exemption.label.en}`,
        }
      : {
          vi: `${days} ngày × ${vnd(rs.dailyRate)} = ${vnd(amount)}`,
          en: `${days} days × ${rs.dailyRate} VND = ${amount} VND`,
        },
  };
}

// ---------------------------------------------------------------------------------------------
// Oxygen

/** Gas litres in one 40-litre cylinder at 150 bar, and per litre of liquid oxygen (≈ 861). */
export const OXYGEN_GAS_LITRES = { cylinder: 6_000, liquidLitre: 861 } as const;

/**
 * Days the oxygen on hand lasts at the current use (concentrators make their own and are not
 * counted); null when nothing is being used.
 */
export function oxygenDaysLeft(o: {
  cylinders: number;
  liquidLitres: number;
  useLitresPerDay: number;
}): number | null {
  if (o.useLitresPerDay <= 0) return null;
  const gas =
    o.cylinders * OXYGEN_GAS_LITRES.cylinder + o.liquidLitres * OXYGEN_GAS_LITRES.liquidLitre;
  return Math.floor((gas / o.useLitresPerDay) * 10) / 10;
}
