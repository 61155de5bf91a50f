/**
 * COVID-19 vaccination rules as versioned data (rule-set kind 'vaccine_schedule'): the vaccine
 * catalogue with EU value-set codes, doses of the primary series, intervals, mixing rules,
 * booster eligibility and the "fully vaccinated" definition; and the pure evaluations on them
 * (next dose, checks of a new dose, coverage arithmetic). No I/O.
 */
import {
  addDays,
  compare,
  daysBetween,
  formatViDate,
  isValidIsoDate,
  isWithin,
  type IsoDate,
} from './dates.ts';
import { rulesetInForce, type Confidence, type LegalBasis } from './rulesets.ts';

export type VaccinePlatform = 'mrna' | 'viral_vector' | 'inactivated' | 'protein_subunit';

export interface DoseInterval {
  /** Days from the previous dose before which the dose must not be given. */
  minDays: number;
  /** Days from the previous dose at which the dose is due. */
  recommendedDays: number;
  /** Days after which the dose is overdue; null: overdue from the day after it is due. */
  maxDays: number | null;
}

export interface VaccineProduct {
  /** Our key: 'comirnaty'. */
  code: string;
  name: string;
  nameVi: string;
  /** EU value set vaccine-medicinal-product (DCC field `mp`). */
  mp: string;
  /** EU value set vaccine-mah-manf (DCC field `ma`). */
  ma: string;
  manufacturer: string;
  /** EU value set vaccine-prophylaxis (DCC field `vp`). */
  vp: string;
  platform: VaccinePlatform;
  /** Doses of the primary series. */
  primaryDoses: number;
  /** intervals[k]: between primary dose k+1 and dose k+2 (length primaryDoses − 1). */
  intervals: DoseInterval[];
  /** Ages (years) the product is given at, both ends included; null: no bound. */
  ageMin: number | null;
  ageMax: number | null;
  notes: string;
}

/** A permitted switch of product inside the primary series (the interval stays the first product's). */
export interface MixingRule {
  id: string;
  /** Product of the earlier primary doses. */
  from: string[];
  /** Product that may be given as the next primary dose. */
  to: string[];
  confidence: Confidence;
  notes: string;
  legalBasis?: LegalBasis;
}

export interface BoosterRule {
  id: string;
  /** Calendar months after the last primary dose. */
  minMonthsAfterPrimary: number;
  products: string[];
  /** Minimum age in years. */
  ageMin: number;
  confidence: Confidence;
  legalBasis?: LegalBasis;
  notes: string;
}

export interface VaccineScheduleRuleSet {
  id: string;
  kind: 'vaccine_schedule';
  name: string;
  legalBasis: LegalBasis;
  issuer: string;
  scope: 'national' | 'provincial';
  overrides: boolean;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
  /** Fully vaccinated = primary series complete and its last dose at least this many days ago. */
  fullyVaccinatedAfterDays: number;
  products: VaccineProduct[];
  mixing: MixingRule[];
  /** null while no booster is recommended. */
  booster: BoosterRule | null;
}

// ---------------------------------------------------------------------------------------------
// Shipped rule sets

const QD3588: LegalBasis = {
  number: '3588/QĐ-BYT',
  date: '2021-07-26',
  title: 'Hướng dẫn tạm thời khám sàng lọc trước tiêm chủng vắc xin phòng COVID-19',
};
const MIXING_2021_09: LegalBasis = {
  number: 'Hướng dẫn tiêm trộn vắc xin (Bộ Y tế, 09/2021)',
  date: '2021-09-01',
  title: 'Tiêm mũi 2 bằng vắc xin khác loại: AstraZeneca → Pfizer hoặc Moderna; Pfizer ↔ Moderna',
};
const BOOSTER_2021_11: LegalBasis = {
  number: 'Hướng dẫn tiêm mũi nhắc lại (Bộ Y tế, 11/2021)',
  date: '2021-11-17',
  title: 'Tiêm liều bổ sung, nhắc lại vắc xin phòng COVID-19: ít nhất 6 tháng sau mũi cuối',
};
const BOOSTER_2022_01: LegalBasis = {
  number: 'Hướng dẫn rút ngắn khoảng cách mũi nhắc lại (Bộ Y tế, 01/2022)',
  date: '2022-01-08',
  title: 'Tiêm mũi nhắc lại ít nhất 3 tháng sau mũi cuối của liều cơ bản',
};

const iv = (minDays: number, recommendedDays: number, maxDays: number | null): DoseInterval => ({
  minDays,
  recommendedDays,
  maxDays,
});

/** The products of QĐ 3588 with their EU value-set codes. */
export const VACCINE_PRODUCTS: readonly VaccineProduct[] = [
  {
    code: 'vaxzevria',
    name: 'Vaxzevria (AstraZeneca)',
    nameVi: 'AstraZeneca (Vaxzevria)',
    mp: 'EU/1/21/1529',
    ma: 'ORG-100001699',
    manufacturer: 'AstraZeneca AB',
    vp: 'J07BX03',
    platform: 'viral_vector',
    primaryDoses: 2,
    intervals: [iv(56, 56, 84)],
    ageMin: 18,
    ageMax: null,
    notes:
      'QĐ 3588: 2 mũi cách nhau 8–12 tuần; tỉnh có thể rút ngắn (≥ 4 tuần) bằng bộ quy tắc riêng.',
  },
  {
    code: 'comirnaty',
    name: 'Comirnaty (Pfizer-BioNTech)',
    nameVi: 'Pfizer (Comirnaty)',
    mp: 'EU/1/20/1528',
    ma: 'ORG-100030215',
    manufacturer: 'Biontech Manufacturing GmbH',
    vp: '1119349007',
    platform: 'mrna',
    primaryDoses: 2,
    intervals: [iv(21, 21, null)],
    ageMin: 12,
    ageMax: null,
    notes: 'QĐ 3588: 2 mũi cách nhau 21 ngày.',
  },
  {
    code: 'spikevax',
    name: 'Spikevax (Moderna)',
    nameVi: 'Moderna (Spikevax)',
    mp: 'EU/1/20/1507',
    ma: 'ORG-100031184',
    manufacturer: 'Moderna Biotech Spain S.L.',
    vp: '1119349007',
    platform: 'mrna',
    primaryDoses: 2,
    intervals: [iv(28, 28, null)],
    ageMin: 12,
    ageMax: null,
    notes: 'QĐ 3588: 2 mũi cách nhau 28 ngày.',
  },
  {
    code: 'bbibp',
    name: 'BBIBP-CorV (Sinopharm, Vero Cell)',
    nameVi: 'Vero Cell (Sinopharm)',
    mp: 'BBIBP-CorV',
    ma: 'ORG-100020693',
    manufacturer: 'China Sinopharm International Corp. - Beijing location',
    vp: '1157024006',
    platform: 'inactivated',
    primaryDoses: 2,
    intervals: [iv(21, 21, 28)],
    ageMin: 18,
    ageMax: null,
    notes: 'QĐ 3588: 2 mũi cách nhau 21–28 ngày.',
  },
  {
    code: 'sputnik_v',
    name: 'Sputnik V (Gamaleya)',
    nameVi: 'Sputnik V',
    mp: 'Sputnik-V',
    ma: 'Gamaleya-Research-Institute',
    manufacturer: 'Gamaleya Research Institute',
    vp: 'J07BX03',
    platform: 'viral_vector',
    primaryDoses: 2,
    intervals: [iv(21, 21, null)],
    ageMin: 18,
    ageMax: null,
    notes: 'QĐ 3588: 2 mũi cách nhau 21 ngày (thành phần 1 và 2 khác nhau).',
  },
  {
    code: 'abdala',
    name: 'Abdala (CIGB)',
    nameVi: 'Abdala',
    mp: 'Abdala',
    ma: 'CIGB',
    manufacturer: 'Center for Genetic Engineering and Biotechnology',
    vp: '1162643001',
    platform: 'protein_subunit',
    primaryDoses: 3,
    intervals: [iv(14, 14, null), iv(14, 14, null)],
    ageMin: 19,
    ageMax: 65,
    notes: 'QĐ 3588 / hướng dẫn Abdala: 3 mũi cách nhau 14 ngày, người 19–65 tuổi.',
  },
  {
    code: 'jcovden',
    name: 'Jcovden (Janssen)',
    nameVi: 'Janssen',
    mp: 'EU/1/20/1525',
    ma: 'ORG-100001417',
    manufacturer: 'Janssen-Cilag International',
    vp: 'J07BX03',
    platform: 'viral_vector',
    primaryDoses: 1,
    intervals: [],
    ageMin: 18,
    ageMax: null,
    notes: 'QĐ 3588: 1 mũi.',
  },
];

const MIXING_RULES: MixingRule[] = [
  {
    id: 'az-to-mrna',
    from: ['vaxzevria'],
    to: ['comirnaty', 'spikevax'],
    confidence: 'sure',
    notes: 'Mũi 1 AstraZeneca, mũi 2 Pfizer hoặc Moderna; khoảng cách theo AstraZeneca.',
    legalBasis: MIXING_2021_09,
  },
  {
    id: 'mrna-interchange',
    from: ['comirnaty', 'spikevax'],
    to: ['comirnaty', 'spikevax'],
    confidence: 'sure',
    notes: 'Pfizer và Moderna thay thế nhau được; khoảng cách theo vắc xin của mũi trước.',
    legalBasis: MIXING_2021_09,
  },
];

const BASE = {
  kind: 'vaccine_schedule' as const,
  issuer: 'Bộ Y tế',
  scope: 'national' as const,
  overrides: false,
  fullyVaccinatedAfterDays: 14,
  products: VACCINE_PRODUCTS as VaccineProduct[],
};

export const SCHEDULE_2021_07: VaccineScheduleRuleSet = {
  ...BASE,
  id: 'vn-vaccine-2021-07',
  name: 'Lịch tiêm vắc xin COVID-19 theo QĐ 3588/QĐ-BYT',
  legalBasis: QD3588,
  validFrom: '2021-07-26',
  validTo: '2021-08-31',
  confidence: 'sure',
  notes: 'Khoảng cách các mũi theo QĐ 3588; chưa cho phép tiêm trộn; chưa có mũi nhắc lại.',
  mixing: [],
  booster: null,
};

export const SCHEDULE_2021_09: VaccineScheduleRuleSet = {
  ...BASE,
  id: 'vn-vaccine-2021-09',
  name: 'Lịch tiêm vắc xin COVID-19, cho phép tiêm trộn (09/2021)',
  legalBasis: MIXING_2021_09,
  validFrom: '2021-09-01',
  validTo: '2021-11-16',
  confidence: 'reconstructed',
  notes:
    'RULES.md: tiêm trộn cho phép từ 09/2021 (AZ → Pfizer/Moderna; Pfizer ↔ Moderna); ngày hiệu lực chính xác không có trong RULES.md, lấy 01/09/2021.',
  mixing: MIXING_RULES,
  booster: null,
};

export const SCHEDULE_2021_11: VaccineScheduleRuleSet = {
  ...BASE,
  id: 'vn-vaccine-2021-11',
  name: 'Lịch tiêm vắc xin COVID-19, mũi nhắc lại sau 6 tháng (11/2021)',
  legalBasis: BOOSTER_2021_11,
  validFrom: '2021-11-17',
  validTo: '2022-01-07',
  confidence: 'reconstructed',
  notes: 'RULES.md: mũi nhắc lại ≥ 6 tháng sau liều cơ bản (11/2021); ngày hiệu lực tái dựng.',
  mixing: MIXING_RULES,
  booster: {
    id: 'booster-6m',
    minMonthsAfterPrimary: 6,
    products: ['comirnaty', 'spikevax', 'vaxzevria'],
    ageMin: 18,
    confidence: 'reconstructed',
    legalBasis: BOOSTER_2021_11,
    notes: 'Mũi nhắc lại bằng Pfizer, Moderna hoặc AstraZeneca, từ 18 tuổi.',
  },
};

export const SCHEDULE_2022_01: VaccineScheduleRuleSet = {
  ...SCHEDULE_2021_11,
  id: 'vn-vaccine-2022-01',
  name: 'Lịch tiêm vắc xin COVID-19, mũi nhắc lại sau 3 tháng (01/2022)',
  legalBasis: BOOSTER_2022_01,
  validFrom: '2022-01-08',
  validTo: null,
  notes: 'RULES.md: "later ≥ 3 months"; ngày hiệu lực tái dựng.',
  booster: {
    ...SCHEDULE_2021_11.booster!,
    id: 'booster-3m',
    minMonthsAfterPrimary: 3,
    legalBasis: BOOSTER_2022_01,
  },
};

export const DEFAULT_VACCINE_SCHEDULES: readonly VaccineScheduleRuleSet[] = [
  SCHEDULE_2021_07,
  SCHEDULE_2021_09,
  SCHEDULE_2021_11,
  SCHEDULE_2022_01,
];

/** The schedule in force on `date`; before the first one, the first (QĐ 3588 intervals held from the start of the campaign). */
export function scheduleInForce(
  sets: readonly VaccineScheduleRuleSet[],
  date: IsoDate,
): VaccineScheduleRuleSet {
  const found = rulesetInForce(sets, 'vaccine_schedule', date);
  if (found) return found;
  const sorted = [...sets].sort((a, b) => compare(a.validFrom, b.validFrom));
  if (!sorted[0]) throw new Error('no vaccine_schedule rule set');
  return sorted[0];
}

export function productOf(rs: VaccineScheduleRuleSet, code: string): VaccineProduct | undefined {
  return rs.products.find((p) => p.code === code);
}

// ---------------------------------------------------------------------------------------------
// Validation of a rule set

export interface ScheduleIssue {
  path: string;
  message: string;
}

export function validateSchedule(rs: VaccineScheduleRuleSet): ScheduleIssue[] {
  const issues: ScheduleIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!rs.id?.trim()) add('id', 'Thiếu mã bộ quy tắc');
  if (rs.kind !== 'vaccine_schedule') add('kind', 'Loại bộ quy tắc không hợp lệ');
  if (!rs.legalBasis?.number?.trim()) add('legalBasis.number', 'Thiếu số văn bản');
  if (!isValidIsoDate(rs.validFrom)) add('validFrom', 'Ngày hiệu lực không hợp lệ');
  if (rs.validTo !== null && (!isValidIsoDate(rs.validTo) || compare(rs.validTo, rs.validFrom) < 0))
    add('validTo', 'Ngày hết hiệu lực không hợp lệ');
  if (!Number.isInteger(rs.fullyVaccinatedAfterDays) || rs.fullyVaccinatedAfterDays < 0)
    add('fullyVaccinatedAfterDays', 'Phải là số ngày ≥ 0');
  const codes = new Set<string>();
  rs.products.forEach((p, i) => {
    if (codes.has(p.code)) add(`products.${i}.code`, `Mã vắc xin trùng: ${p.code}`);
    codes.add(p.code);
    if (!Number.isInteger(p.primaryDoses) || p.primaryDoses < 1)
      add(`products.${i}.primaryDoses`, 'Số mũi cơ bản phải ≥ 1');
    if (p.intervals.length !== p.primaryDoses - 1)
      add(`products.${i}.intervals`, 'Số khoảng cách phải bằng số mũi cơ bản − 1');
    p.intervals.forEach((x, k) => {
      if (!(x.minDays >= 1 && x.minDays <= x.recommendedDays))
        add(`products.${i}.intervals.${k}`, 'Cần 1 ≤ tối thiểu ≤ khuyến cáo');
      if (x.maxDays !== null && x.maxDays < x.recommendedDays)
        add(`products.${i}.intervals.${k}.maxDays`, 'Tối đa phải ≥ khuyến cáo');
    });
  });
  rs.mixing.forEach((m, i) => {
    for (const c of [...m.from, ...m.to])
      if (!codes.has(c)) add(`mixing.${i}`, `Vắc xin không có trong danh mục: ${c}`);
  });
  if (rs.booster) {
    for (const c of rs.booster.products)
      if (!codes.has(c)) add('booster.products', `Vắc xin không có trong danh mục: ${c}`);
    if (!(rs.booster.minMonthsAfterPrimary >= 0)) add('booster.minMonthsAfterPrimary', 'Phải ≥ 0');
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface GivenDose {
  product: string;
  date: IsoDate;
}

export type VaccinationStatusCode = 'none' | 'partial' | 'primary_complete' | 'boosted';

export interface NextDose {
  kind: 'primary' | 'booster';
  doseNumber: number;
  /** Products that may be given. */
  products: string[];
  earliest: IsoDate;
  due: IsoDate;
  /** Last day before it counts as overdue; null for a booster (never overdue). */
  latest: IsoDate | null;
  overdue: boolean;
  daysOverdue: number;
}

export interface VaccinationState {
  status: VaccinationStatusCode;
  dosesGiven: number;
  /** Doses the primary series needs (from the first dose's product); null with no dose. */
  primaryDoses: number | null;
  primaryCompleteOn: IsoDate | null;
  fullyVaccinated: boolean;
  /** The first day the person counts as fully vaccinated. */
  fullyVaccinatedFrom: IsoDate | null;
  boosterDoses: number;
  next: NextDose | null;
  rulesetId: string;
  ruleId: string;
  explanation: { vi: string; en: string };
}

/** Adds calendar months; the 31st of a month without one becomes that month's last day. */
export function addMonthsIso(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** May `next` follow `prev` within the primary series under `rs`? */
export function mixingRule(
  rs: VaccineScheduleRuleSet,
  prev: string,
  next: string,
): { allowed: boolean; ruleId: string } {
  if (prev === next) return { allowed: true, ruleId: 'same-product' };
  const m = rs.mixing.find((r) => r.from.includes(prev) && r.to.includes(next));
  return m ? { allowed: true, ruleId: m.id } : { allowed: false, ruleId: 'no-mixing' };
}

/** Products that may be given as the next primary dose after `prev`. */
function primaryChoices(rs: VaccineScheduleRuleSet, prev: string): string[] {
  const out = [prev];
  for (const m of rs.mixing)
    if (m.from.includes(prev)) for (const c of m.to) if (!out.includes(c)) out.push(c);
  return out;
}

const sortDoses = (doses: readonly GivenDose[]) =>
  [...doses].sort((a, b) => compare(a.date, b.date));

/**
 * Where a person stands on `asOf` under the schedule in force on `asOf`: how many doses, whether
 * the primary series is complete, fully vaccinated (last primary dose at least
 * fullyVaccinatedAfterDays days before `asOf`), and the next dose with its window.
 */
export function vaccinationState(
  sets: readonly VaccineScheduleRuleSet[],
  dosesIn: readonly GivenDose[],
  asOf: IsoDate,
  ageYears: number | null = null,
): VaccinationState {
  const rs = scheduleInForce(sets, asOf);
  const doses = sortDoses(dosesIn).filter((d) => compare(d.date, asOf) <= 0);
  const base = { rulesetId: rs.id, dosesGiven: doses.length };
  if (doses.length === 0) {
    return {
      ...base,
      status: 'none',
      primaryDoses: null,
      primaryCompleteOn: null,
      fullyVaccinated: false,
      fullyVaccinatedFrom: null,
      boosterDoses: 0,
      next: null,
      ruleId: 'no-dose',
      explanation: { vi: 'Chưa tiêm mũi nào.', en: 'No dose given.' },
    };
  }
  const first = productOf(rs, doses[0]!.product);
  const primaryDoses = first?.primaryDoses ?? 2;
  const primary = doses.slice(0, primaryDoses);
  const boosters = doses.slice(primaryDoses);
  const last = doses[doses.length - 1]!;
  if (primary.length < primaryDoses) {
    const prev = primary[primary.length - 1]!;
    const interval = first?.intervals[primary.length - 1] ?? iv(28, 28, null);
    const earliest = addDays(prev.date, interval.minDays);
    const due = addDays(prev.date, interval.recommendedDays);
    const latest = addDays(prev.date, interval.maxDays ?? interval.recommendedDays);
    const daysOverdue = Math.max(0, daysBetween(latest, asOf));
    const n = primary.length + 1;
    return {
      ...base,
      status: 'partial',
      primaryDoses,
      primaryCompleteOn: null,
      fullyVaccinated: false,
      fullyVaccinatedFrom: null,
      boosterDoses: 0,
      next: {
        kind: 'primary',
        doseNumber: n,
        products: primaryChoices(rs, prev.product),
        earliest,
        due,
        latest,
        overdue: daysOverdue > 0,
        daysOverdue,
      },
      ruleId: `interval:${first?.code ?? prev.product}:${n - 1}`,
      explanation: {
        vi: `Đã tiêm ${primary.length}/${primaryDoses} mũi cơ bản; mũi ${n} sớm nhất ${formatViDate(earliest)}, đến hạn ${formatViDate(due)}${daysOverdue > 0 ? `, quá hạn ${daysOverdue} ngày` : ''}.`,
        en: `${primary.length}/${primaryDoses} primary doses given; dose ${n} earliest ${earliest}, due ${due}${daysOverdue > 0 ? `, ${daysOverdue} days overdue` : ''}.`,
      },
    };
  }
  const primaryCompleteOn = primary[primary.length - 1]!.date;
  const fullyVaccinatedFrom = addDays(primaryCompleteOn, rs.fullyVaccinatedAfterDays);
  const fullyVaccinated = compare(fullyVaccinatedFrom, asOf) <= 0;
  let next: NextDose | null = null;
  let ruleId = 'primary-complete';
  const boosterOk =
    rs.booster && (ageYears === null || ageYears >= rs.booster.ageMin) && boosters.length === 0;
  if (boosterOk && rs.booster) {
    const earliest = addMonthsIso(last.date, rs.booster.minMonthsAfterPrimary);
    next = {
      kind: 'booster',
      doseNumber: doses.length + 1,
      products: [...rs.booster.products],
      earliest,
      due: earliest,
      latest: null,
      overdue: false,
      daysOverdue: 0,
    };
    ruleId = rs.booster.id;
  }
  const status: VaccinationStatusCode = boosters.length > 0 ? 'boosted' : 'primary_complete';
  const fv = fullyVaccinated
    ? { vi: 'đã tiêm đủ liều cơ bản', en: 'fully vaccinated' }
    : {
        vi: `đủ liều cơ bản, được coi là tiêm đủ từ ${formatViDate(fullyVaccinatedFrom)}`,
        en: `primary series complete, fully vaccinated from ${fullyVaccinatedFrom}`,
      };
  return {
    ...base,
    status,
    primaryDoses,
    primaryCompleteOn,
    fullyVaccinated,
    fullyVaccinatedFrom,
    boosterDoses: boosters.length,
    next,
    ruleId,
    explanation: {
      vi:
        `Đã tiêm ${doses.length} mũi (${fv.vi}).` +
        (next ? ` Mũi nhắc lại từ ${formatViDate(next.earliest)}.` : ''),
      en:
        `${doses.length} doses given (${fv.en}).` + (next ? ` Booster from ${next.earliest}.` : ''),
    },
  };
}

/** Is the person fully vaccinated on `asOf`? (Used by entry control and quarantine rules.) */
export function isFullyVaccinated(
  sets: readonly VaccineScheduleRuleSet[],
  doses: readonly GivenDose[],
  asOf: IsoDate,
): boolean {
  return vaccinationState(sets, doses, asOf).fullyVaccinated;
}

export type DoseProblemCode =
  | 'unknown_product'
  | 'before_previous'
  | 'too_early'
  | 'mixing_not_allowed'
  | 'booster_not_recommended'
  | 'booster_too_early'
  | 'booster_product'
  | 'age';

export interface DoseProblem {
  code: DoseProblemCode;
  /** The field of the request the problem is about. */
  field: 'product' | 'date';
  vi: string;
  en: string;
}

export interface DoseCheck {
  ok: boolean;
  doseNumber: number;
  kind: 'primary' | 'booster';
  problems: DoseProblem[];
  rulesetId: string;
  ruleId: string;
}

/** Checks a new dose against the person's earlier doses under the schedule in force on its date. */
export function checkNewDose(
  sets: readonly VaccineScheduleRuleSet[],
  earlier: readonly GivenDose[],
  dose: GivenDose,
  ageYears: number | null = null,
): DoseCheck {
  const rs = scheduleInForce(sets, dose.date);
  const doses = sortDoses(earlier);
  const problems: DoseProblem[] = [];
  const add = (code: DoseProblemCode, field: DoseProblem['field'], vi: string, en: string) =>
    problems.push({ code, field, vi, en });
  const product = productOf(rs, dose.product);
  const doseNumber = doses.length + 1;
  let ruleId = 'first-dose';
  if (!product)
    add(
      'unknown_product',
      'product',
      `Vắc xin không có trong danh mục: ${dose.product}`,
      `Unknown vaccine ${dose.product}`,
    );
  const last = doses[doses.length - 1];
  if (last && compare(dose.date, last.date) <= 0) {
    add(
      'before_previous',
      'date',
      `Ngày tiêm phải sau mũi trước (${formatViDate(last.date)})`,
      `Must be after the previous dose (${last.date})`,
    );
  }
  const first = doses[0] ? productOf(rs, doses[0].product) : product;
  const primaryDoses = first?.primaryDoses ?? 2;
  const kind: 'primary' | 'booster' = doseNumber <= primaryDoses ? 'primary' : 'booster';
  if (product && ageYears !== null && kind === 'primary') {
    if (
      (product.ageMin !== null && ageYears < product.ageMin) ||
      (product.ageMax !== null && ageYears > product.ageMax)
    )
      add(
        'age',
        'product',
        `${product.nameVi} dùng cho người ${product.ageMin ?? 0}–${product.ageMax ?? '…'} tuổi`,
        `${product.name} is for ages ${product.ageMin ?? 0}–${product.ageMax ?? '…'}`,
      );
  }
  if (last && product && kind === 'primary') {
    const mix = mixingRule(rs, last.product, dose.product);
    ruleId = mix.ruleId;
    if (!mix.allowed) {
      add(
        'mixing_not_allowed',
        'product',
        `Không được tiêm ${product.nameVi} sau ${productOf(rs, last.product)?.nameVi ?? last.product} theo ${rs.legalBasis.number}`,
        `${product.name} may not follow ${last.product} under ${rs.id}`,
      );
    }
    const interval = first?.intervals[doseNumber - 2];
    if (interval && daysBetween(last.date, dose.date) < interval.minDays) {
      const earliest = addDays(last.date, interval.minDays);
      ruleId = `interval:${first!.code}:${doseNumber - 1}`;
      add(
        'too_early',
        'date',
        `Mũi ${doseNumber} sớm nhất ngày ${formatViDate(earliest)} (cách mũi trước ít nhất ${interval.minDays} ngày)`,
        `Dose ${doseNumber} not before ${earliest} (${interval.minDays} days after the previous)`,
      );
    }
  }
  if (kind === 'booster' && last) {
    if (!rs.booster) {
      ruleId = 'no-booster';
      add(
        'booster_not_recommended',
        'date',
        `Chưa có hướng dẫn tiêm mũi nhắc lại vào ngày ${formatViDate(dose.date)}`,
        `No booster recommended on ${dose.date}`,
      );
    } else {
      ruleId = rs.booster.id;
      const earliest = addMonthsIso(last.date, rs.booster.minMonthsAfterPrimary);
      if (compare(dose.date, earliest) < 0)
        add(
          'booster_too_early',
          'date',
          `Mũi nhắc lại sớm nhất ngày ${formatViDate(earliest)} (${rs.booster.minMonthsAfterPrimary} tháng sau mũi cuối)`,
          `Booster not before ${earliest}`,
        );
      if (!rs.booster.products.includes(dose.product))
        add(
          'booster_product',
          'product',
          `Vắc xin không dùng cho mũi nhắc lại: ${dose.product}`,
          `${dose.product} is not a booster product`,
        );
    }
  }
  return { ok: problems.length === 0, doseNumber, kind, problems, rulesetId: rs.id, ruleId };
}

// ---------------------------------------------------------------------------------------------
// Coverage

export const AGE_GROUPS = [
  { id: '12-17', min: 12, max: 17 },
  { id: '18+', min: 18, max: null },
  { id: '50+', min: 50, max: null },
  { id: '65+', min: 65, max: null },
] as const;
export type AgeGroupId = (typeof AGE_GROUPS)[number]['id'];
export const AGE_GROUP_IDS = AGE_GROUPS.map((g) => g.id) as AgeGroupId[];

/** Age in completed years on `at` when the birth date is known, else by birth year. */
export function ageOn(birthDate: IsoDate | null, birthYear: number, at: IsoDate): number {
  const y = Number(at.slice(0, 4));
  if (!birthDate) return y - birthYear;
  return y - Number(birthDate.slice(0, 4)) - (at.slice(5) < birthDate.slice(5) ? 1 : 0);
}

export function ageGroupsOf(age: number): AgeGroupId[] {
  return AGE_GROUPS.filter((g) => age >= g.min && (g.max === null || age <= g.max)).map(
    (g) => g.id,
  );
}

/** Birth years [from, to] of an age group when age is counted by birth year on `year`. */
export function birthYearsOf(group: AgeGroupId, year: number): { from: number | null; to: number } {
  const g = AGE_GROUPS.find((x) => x.id === group)!;
  return { from: g.max === null ? null : year - g.max, to: year - g.min };
}

/**
 * Shares of the population by age group used for the default denominator, when health staff
 * have not entered a target population: Vietnam, 2019 census age structure (approximate). The
 * result is always labelled an estimate.
 */
export const CENSUS_AGE_SHARES: Readonly<Record<AgeGroupId, number>> = {
  '12-17': 0.09,
  '18+': 0.72,
  '50+': 0.24,
  '65+': 0.077,
};

export function estimateTarget(censusTotal: number, group: AgeGroupId): number {
  return Math.round(censusTotal * CENSUS_AGE_SHARES[group]);
}

export interface CoverageCounts {
  atLeastOne: number;
  fullPrimary: number;
  booster: number;
}

export interface CoverageFigure extends CoverageCounts {
  denominator: number | null;
  denominatorSource: 'entered' | 'estimate' | 'none';
  /** Percent with two decimals (80.77), null without a denominator. */
  pct: { atLeastOne: number | null; fullPrimary: number | null; booster: number | null };
}

export const percent = (n: number, d: number | null): number | null =>
  d === null || d <= 0 ? null : Math.round((n / d) * 10000) / 100;

/** The target population of a coverage figure: entered by the unit, else estimated from the census. */
export const coverageDenominator = (
  entered: number | null,
  censusTotal: number | null,
  group: AgeGroupId,
): number | null =>
  entered !== null ? entered : censusTotal !== null ? estimateTarget(censusTotal, group) : null;

export function coverageFigure(
  counts: CoverageCounts,
  entered: number | null,
  censusTotal: number | null,
  group: AgeGroupId,
): CoverageFigure {
  const denominator = coverageDenominator(entered, censusTotal, group);
  const source = entered !== null ? 'entered' : censusTotal !== null ? 'estimate' : 'none';
  return {
    ...counts,
    denominator,
    denominatorSource: source,
    pct: {
      atLeastOne: percent(counts.atLeastOne, denominator),
      fullPrimary: percent(counts.fullPrimary, denominator),
      booster: percent(counts.booster, denominator),
    },
  };
}

/** Counts of one age group from per-person states (the small-scale reference for the SQL). */
export function countCoverage(
  people: readonly {
    age: number;
    state: Pick<VaccinationState, 'dosesGiven' | 'primaryCompleteOn' | 'boosterDoses'>;
  }[],
  group: AgeGroupId,
): CoverageCounts {
  const out: CoverageCounts = { atLeastOne: 0, fullPrimary: 0, booster: 0 };
  for (const p of people) {
    if (!ageGroupsOf(p.age).includes(group)) continue;
    if (p.state.dosesGiven > 0) out.atLeastOne++;
    if (p.state.primaryCompleteOn) out.fullPrimary++;
    if (p.state.boosterDoses > 0) out.booster++;
  }
  return out;
}

/** Is `date` inside a round's dates (both ends included)? */
export const inRound = (date: IsoDate, from: IsoDate, to: IsoDate | null) =>
  isWithin(date, from, to);

// ---------------------------------------------------------------------------------------------
// Labels

export const UNVACCINATED_REASONS = [
  'contraindicated',
  'postponed',
  'refused',
  'not_reached',
  'moved_away',
] as const;
export type UnvaccinatedReason = (typeof UNVACCINATED_REASONS)[number];
export const UNVACCINATED_REASON_LABELS: Record<UnvaccinatedReason, { vi: string; en: string }> = {
  contraindicated: { vi: 'Chống chỉ định', en: 'Contraindicated' },
  postponed: { vi: 'Hoãn tiêm', en: 'Postponed' },
  refused: { vi: 'Không đồng ý tiêm', en: 'Refused' },
  not_reached: { vi: 'Chưa tiếp cận được', en: 'Not reached' },
  moved_away: { vi: 'Đã chuyển đi', en: 'Moved away' },
};

export const SCREENING_OUTCOMES = ['eligible', 'postpone', 'contraindicated'] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

const thousands = (n: number) => Math.round(n).toLocaleString('de-DE');

/** Seed 000's supply line: "78.040 liều được cấp, 68.550 đã tiếp nhận, 59.495 mũi đã tiêm (86,8 %)". */
export function supplyLine(allocated: number, received: number, given: number) {
  const pct = percent(given, received);
  const pct1 = pct === null ? null : Math.round(pct * 10) / 10;
  return {
    givenPctOfReceived: pct1,
    vi:
      `${thousands(allocated)} liều được cấp, ${thousands(received)} đã tiếp nhận, ${thousands(given)} mũi đã tiêm` +
      (pct1 === null ? '' : ` (${pct1.toLocaleString('vi-VN')} %)`),
  };
}
