/**
 * F0 care by tier (QĐ 4038/QĐ-BYT and later home-care guidance): where an F0 is treated (home
 * or a facility tier), the warning signs of a monitoring reading, and discharge. Pure functions
 * over versioned rule sets (data); every decision names its rule set and rule, in vi and en.
 */
import { addDays, compare, daysBetween, formatViDate, type IsoDate } from './dates.ts';
import type { Confidence, LegalBasis } from './rulesets.ts';
import type { Words } from './care.ts';

export const TIERS = ['home', 'tier1', 'tier2', 'tier3'] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_LABELS: Record<Tier, Words> = {
  home: { vi: 'Điều trị tại nhà', en: 'Home treatment' },
  tier1: { vi: 'Tầng 1 (cơ sở thu dung)', en: 'Tier 1 (collection facility)' },
  tier2: { vi: 'Tầng 2 (bệnh viện)', en: 'Tier 2 (hospital)' },
  tier3: { vi: 'Tầng 3 (hồi sức)', en: 'Tier 3 (intensive care)' },
};

/** Symptoms a reading may report; the last five are warning signs by themselves. */
export const CARE_SYMPTOMS = [
  'fever',
  'cough',
  'sore_throat',
  'tiredness',
  'loss_of_taste',
  'shortness_of_breath',
  'chest_pain',
  'altered_consciousness',
  'cyanosis',
  'not_feeding',
] as const;
export type CareSymptom = (typeof CARE_SYMPTOMS)[number];

interface RuleSetBase {
  id: string;
  name: string;
  legalBasis: LegalBasis;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
}

const QD4038: LegalBasis = {
  number: 'QĐ 4038/QĐ-BYT',
  date: '2021-08-21',
  title: 'Hướng dẫn tạm thời quản lý người nhiễm COVID-19 tại nhà',
};

// ---------------------------------------------------------------------------------------------
// Home-treatment eligibility (kind 'f0_home_eligibility')

export interface EligibilityRuleSet extends RuleSetBase {
  kind: 'f0_home_eligibility';
  /** Clinical conditions (all must hold). */
  maxRespiratoryRate: number;
  minSpo2: number;
  /** Unless fully vaccinated: age > minAgeExclusive and < maxAgeExclusive, no comorbidity, not pregnant. */
  minAgeExclusive: number;
  maxAgeExclusive: number;
  /** Fully vaccinated: at least `doses` doses, the last at least `afterDays` days before. */
  fullyVaccinated: { doses: number; afterDays: number };
}

export const DEFAULT_ELIGIBILITY_RULESETS: readonly EligibilityRuleSet[] = [
  {
    id: 'f0-home-qd4038-2021-08-21',
    kind: 'f0_home_eligibility',
    name: 'Tiêu chí điều trị F0 tại nhà (QĐ 4038)',
    legalBasis: QD4038,
    validFrom: '2021-08-21',
    validTo: null,
    confidence: 'sure',
    notes:
      'Không triệu chứng/nhẹ, nhịp thở ≤ 20, SpO2 ≥ 96 %; và đã tiêm đủ, hoặc 1 < tuổi < 50, không bệnh nền, không mang thai. Không đủ tiêu chí lâm sàng: tầng 2; chỉ vì yếu tố nguy cơ: tầng 1 (phân tầng tái dựng).',
    maxRespiratoryRate: 20,
    minSpo2: 96,
    minAgeExclusive: 1,
    maxAgeExclusive: 50,
    fullyVaccinated: { doses: 2, afterDays: 14 },
  },
];

export interface EligibilityFacts {
  ageYears: number;
  comorbidity: boolean;
  pregnant: boolean;
  /** From the vaccination register: primary doses and the date of the last. */
  doses: number;
  lastDoseOn: IsoDate | null;
  spo2: number;
  respiratoryRate: number;
  /** Moderate or severe symptoms (anything beyond mild). */
  severe: boolean;
  hasCarer: boolean;
  on: IsoDate;
}

export interface TierDecision {
  rulesetId: string;
  rule: 'home' | 'clinical' | 'risk' | 'no_carer';
  tier: Tier;
  fullyVaccinated: boolean;
  explanation: Words;
}

export function fullyVaccinatedOn(
  v: { doses: number; afterDays: number },
  doses: number,
  lastDoseOn: IsoDate | null,
  on: IsoDate,
): boolean {
  return doses >= v.doses && !!lastDoseOn && daysBetween(lastDoseOn, on) >= v.afterDays;
}

export function homeEligibility(rs: EligibilityRuleSet, f: EligibilityFacts): TierDecision {
  const full = fullyVaccinatedOn(rs.fullyVaccinated, f.doses, f.lastDoseOn, f.on);
  const vaxVi = full
    ? `đã tiêm đủ ${f.doses} mũi (mũi cuối ${formatViDate(f.lastDoseOn!)})`
    : `chưa tiêm đủ (${f.doses} mũi)`;
  const vaxEn = full
    ? `fully vaccinated (${f.doses} doses)`
    : `not fully vaccinated (${f.doses} doses)`;
  const clinical: Words[] = [];
  if (f.severe) clinical.push({ vi: 'có triệu chứng vừa/nặng', en: 'moderate/severe symptoms' });
  if (f.respiratoryRate > rs.maxRespiratoryRate)
    clinical.push({
      vi: `nhịp thở ${f.respiratoryRate} > ${rs.maxRespiratoryRate}`,
      en: `respiratory rate ${f.respiratoryRate} > ${rs.maxRespiratoryRate}`,
    });
  if (f.spo2 < rs.minSpo2)
    clinical.push({
      vi: `SpO2 ${f.spo2} % < ${rs.minSpo2} %`,
      en: `SpO2 ${f.spo2} % < ${rs.minSpo2} %`,
    });
  const risk: Words[] = [];
  if (!full) {
    if (!(f.ageYears > rs.minAgeExclusive && f.ageYears < rs.maxAgeExclusive))
      risk.push({
        vi: `${f.ageYears} tuổi (ngoài khoảng > ${rs.minAgeExclusive} và < ${rs.maxAgeExclusive})`,
        en: `age ${f.ageYears} (outside > ${rs.minAgeExclusive} and < ${rs.maxAgeExclusive})`,
      });
    if (f.comorbidity) risk.push({ vi: 'có bệnh nền', en: 'comorbidity' });
    if (f.pregnant) risk.push({ vi: 'đang mang thai', en: 'pregnant' });
  }
  const basis = { vi: ` Căn cứ ${rs.legalBasis.number}.`, en: ` Basis: ${rs.legalBasis.number}.` };
  const done = (rule: TierDecision['rule'], tier: Tier, why: Words[]): TierDecision => ({
    rulesetId: rs.id,
    rule,
    tier,
    fullyVaccinated: full,
    explanation: {
      vi: `${TIER_LABELS[tier].vi}: ${[{ vi: vaxVi, en: '' }, ...why].map((w) => w.vi).join(', ')}.${basis.vi}`,
      en: `${TIER_LABELS[tier].en}: ${[{ vi: '', en: vaxEn }, ...why].map((w) => w.en).join(', ')}.${basis.en}`,
    },
  });
  if (clinical.length) return done('clinical', 'tier2', clinical);
  if (risk.length) return done('risk', 'tier1', risk);
  if (!f.hasCarer)
    return done('no_carer', 'tier1', [
      { vi: 'không tự chăm sóc được và không có người chăm sóc', en: 'no self-care and no carer' },
    ]);
  return done('home', 'home', [
    {
      vi: `nhẹ, nhịp thở ${f.respiratoryRate} ≤ ${rs.maxRespiratoryRate}, SpO2 ${f.spo2} % ≥ ${rs.minSpo2} %`,
      en: `mild, respiratory rate ${f.respiratoryRate} ≤ ${rs.maxRespiratoryRate}, SpO2 ${f.spo2} % ≥ ${rs.minSpo2} %`,
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Warning signs (kind 'f0_warning_signs')

export const MEASURES = [
  'spo2',
  'respiratoryRate',
  'pulse',
  'systolic',
  'diastolic',
  'temperature',
] as const;
export type Measure = (typeof MEASURES)[number];
const MEASURE_LABELS: Record<Measure, Words & { unit: string }> = {
  spo2: { vi: 'SpO2', en: 'SpO2', unit: ' %' },
  respiratoryRate: { vi: 'Nhịp thở', en: 'Respiratory rate', unit: '/phút' },
  pulse: { vi: 'Mạch', en: 'Pulse', unit: '/phút' },
  systolic: { vi: 'Huyết áp tâm thu', en: 'Systolic', unit: ' mmHg' },
  diastolic: { vi: 'Huyết áp tâm trương', en: 'Diastolic', unit: ' mmHg' },
  temperature: { vi: 'Nhiệt độ', en: 'Temperature', unit: ' °C' },
};

export interface ThresholdSign {
  id: string;
  measure: Measure;
  op: '<=' | '>=' | '<' | '>';
  value: number;
  /** Age band [minAge, maxAge) in years; absent = any age. */
  minAge?: number;
  maxAge?: number;
  confidence: Confidence;
}
export interface SymptomSign {
  id: string;
  symptom: CareSymptom;
  label: Words;
  maxAge?: number;
}

export interface WarningSignRuleSet extends RuleSetBase {
  kind: 'f0_warning_signs';
  thresholds: ThresholdSign[];
  symptoms: SymptomSign[];
  /** Twice a day: a reading is missed when none came within this many hours. */
  readingEveryHours: number;
}

export const DEFAULT_WARNING_SIGN_RULESETS: readonly WarningSignRuleSet[] = [
  {
    id: 'f0-warning-qd4038-2021-08-21',
    kind: 'f0_warning_signs',
    name: 'Dấu hiệu cảnh báo F0 điều trị tại nhà (QĐ 4038)',
    legalBasis: QD4038,
    validFrom: '2021-08-21',
    validTo: null,
    confidence: 'sure',
    notes:
      'Người lớn: từ 12 tuổi (ranh giới tái dựng). Theo dõi 2 lần/ngày; quá 12 giờ không có số đo là bỏ lỡ.',
    readingEveryHours: 12,
    thresholds: [
      { id: 'spo2_low', measure: 'spo2', op: '<=', value: 96, confidence: 'sure' },
      {
        id: 'rr_adult',
        measure: 'respiratoryRate',
        op: '>=',
        value: 20,
        minAge: 12,
        confidence: 'sure',
      },
      {
        id: 'rr_child_5_12',
        measure: 'respiratoryRate',
        op: '>=',
        value: 30,
        minAge: 5,
        maxAge: 12,
        confidence: 'sure',
      },
      {
        id: 'rr_child_1_5',
        measure: 'respiratoryRate',
        op: '>=',
        value: 40,
        minAge: 1,
        maxAge: 5,
        confidence: 'sure',
      },
      { id: 'pulse_high', measure: 'pulse', op: '>', value: 120, confidence: 'sure' },
      { id: 'pulse_low', measure: 'pulse', op: '<', value: 50, confidence: 'sure' },
      { id: 'systolic_low', measure: 'systolic', op: '<', value: 90, confidence: 'sure' },
      { id: 'diastolic_low', measure: 'diastolic', op: '<', value: 60, confidence: 'sure' },
    ],
    symptoms: [
      {
        id: 'dyspnoea',
        symptom: 'shortness_of_breath',
        label: { vi: 'khó thở', en: 'shortness of breath' },
      },
      { id: 'chest_pain', symptom: 'chest_pain', label: { vi: 'đau tức ngực', en: 'chest pain' } },
      {
        id: 'consciousness',
        symptom: 'altered_consciousness',
        label: { vi: 'thay đổi ý thức', en: 'altered consciousness' },
      },
      { id: 'cyanosis', symptom: 'cyanosis', label: { vi: 'tím tái', en: 'cyanosis' } },
      {
        id: 'not_feeding',
        symptom: 'not_feeding',
        label: { vi: 'trẻ không uống/bú được', en: 'child not drinking/feeding' },
        maxAge: 12,
      },
    ],
  },
];

export type Reading = Partial<Record<Measure, number>> & { symptoms: readonly string[] };

export interface Sign {
  id: string;
  explanation: Words;
}

const holds = (op: ThresholdSign['op'], x: number, v: number) =>
  op === '<=' ? x <= v : op === '>=' ? x >= v : op === '<' ? x < v : x > v;
const inBand = (age: number, min?: number, max?: number) =>
  (min === undefined || age >= min) && (max === undefined || age < max);

/** The warning signs a reading of a patient aged `ageYears` crosses, each in words ("SpO2 95 % ≤ 96 %"). */
export function warningSigns(rs: WarningSignRuleSet, r: Reading, ageYears: number): Sign[] {
  const out: Sign[] = [];
  for (const t of rs.thresholds) {
    const x = r[t.measure];
    if (x === undefined || !inBand(ageYears, t.minAge, t.maxAge) || !holds(t.op, x, t.value))
      continue;
    const m = MEASURE_LABELS[t.measure];
    const op = t.op === '<=' ? '≤' : t.op === '>=' ? '≥' : t.op;
    out.push({
      id: t.id,
      explanation: {
        vi: `${m.vi} ${x}${m.unit} ${op} ${t.value}${m.unit}`,
        en: `${m.en} ${x}${m.unit.replace('/phút', '/min')} ${op} ${t.value}${m.unit.replace('/phút', '/min')}`,
      },
    });
  }
  for (const s of rs.symptoms)
    if (r.symptoms.includes(s.symptom) && inBand(ageYears, undefined, s.maxAge))
      out.push({ id: s.id, explanation: s.label });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Discharge (kind 'f0_discharge')

export interface DischargeRuleSet extends RuleSetBase {
  kind: 'f0_discharge';
  /** Discharged on day days + 1 (day 1 = the positive sample date). */
  days: number;
  negativeTest: 'rapid' | 'pcr' | 'any' | null;
}

export const DEFAULT_DISCHARGE_RULESETS: readonly DischargeRuleSet[] = [
  {
    id: 'f0-discharge-qd4038-2021-08-21',
    kind: 'f0_discharge',
    name: 'Kết thúc điều trị tại nhà: 14 ngày + PCR âm tính',
    legalBasis: QD4038,
    validFrom: '2021-08-21',
    validTo: '2021-11-30',
    confidence: 'reconstructed',
    notes: 'RULES.md không nêu mức trước 12/2021; 14 ngày + PCR là tái dựng.',
    days: 14,
    negativeTest: 'pcr',
  },
  {
    id: 'f0-discharge-2021-12-01',
    kind: 'f0_discharge',
    name: 'Kết thúc điều trị: 10 ngày + xét nghiệm nhanh âm tính',
    legalBasis: {
      number: 'Hướng dẫn BYT 12/2021 (tái dựng số hiệu)',
      date: '2021-12-01',
      title: 'Quản lý người mắc COVID-19 tại nhà',
    },
    validFrom: '2021-12-01',
    validTo: '2022-02-20',
    confidence: 'reconstructed',
    notes: 'Ngày hiệu lực trong tháng 12/2021 tái dựng.',
    days: 10,
    negativeTest: 'rapid',
  },
  {
    id: 'f0-discharge-2022-02-21',
    kind: 'f0_discharge',
    name: 'Kết thúc điều trị: 7 ngày + xét nghiệm âm tính',
    legalBasis: {
      number: 'QĐ 261/QĐ-BYT (tái dựng số hiệu)',
      date: '2022-02-21',
      title: 'Hướng dẫn chăm sóc người mắc COVID-19 tại nhà',
    },
    validFrom: '2022-02-21',
    validTo: null,
    confidence: 'reconstructed',
    notes: 'Ngày hiệu lực trong tháng 02/2022 tái dựng.',
    days: 7,
    negativeTest: 'any',
  },
];

export function dischargeDecision(
  rs: DischargeRuleSet,
  startedOn: IsoDate,
  today: IsoDate,
  negative: { on: IsoDate; type: 'rapid' | 'pcr' } | null,
): { ok: boolean; dischargeOn: IsoDate; explanation: Words } {
  const dischargeOn = addDays(startedOn, rs.days);
  const day = daysBetween(startedOn, today) + 1;
  const basis = rs.legalBasis.number;
  if (compare(today, dischargeOn) < 0)
    return {
      ok: false,
      dischargeOn,
      explanation: {
        vi: `Ngày ${day}/${rs.days}: kết thúc điều trị từ ngày ${formatViDate(dischargeOn)} (${basis})`,
        en: `Day ${day}/${rs.days}: discharge from ${dischargeOn} (${basis})`,
      },
    };
  const fits =
    rs.negativeTest === null ||
    (!!negative &&
      compare(negative.on, addDays(dischargeOn, -1)) >= 0 &&
      (rs.negativeTest === 'any' || rs.negativeTest === negative.type));
  return fits
    ? {
        ok: true,
        dischargeOn,
        explanation: {
          vi: `Đủ ${rs.days} ngày${rs.negativeTest ? ' và xét nghiệm âm tính' : ''}: kết thúc điều trị (${basis})`,
          en: `${rs.days} days${rs.negativeTest ? ' and a negative test' : ''}: discharged (${basis})`,
        },
      }
    : {
        ok: false,
        dischargeOn,
        explanation: {
          vi: `Cần xét nghiệm ${rs.negativeTest === 'rapid' ? 'nhanh ' : rs.negativeTest === 'pcr' ? 'PCR ' : ''}âm tính từ ngày ${formatViDate(addDays(dischargeOn, -1))} (${basis})`,
          en: `A negative ${rs.negativeTest === 'any' ? '' : rs.negativeTest + ' '}test from ${addDays(dischargeOn, -1)} is needed (${basis})`,
        },
      };
}
