/**
 * Epidemic levels (cấp độ dịch) per commune, district and province, from a level rule set
 * (kind 'epidemic_level') in force on the assessed day. Pure: the inputs are given, the
 * decision names its rule set and the rule that decided it, and explains itself (vi + en).
 *
 * Two models ship (RULES.md): Decision 4800/QĐ-BYT (12/10/2021 – 26/01/2022; criteria 1 and 2
 * sure, the matrix reconstructed) and Decision 218/QĐ-BYT (from 27/01/2022; reconstructed).
 * Every threshold is data in the rule set, so an administrator can correct it.
 */
import { compare, formatViDate, isWithin, type IsoDate } from './dates.ts';
import {
  rulesetInForce,
  type Confidence,
  type EpidemicLevel,
  type LegalBasis,
} from './rulesets.ts';

export const LEVEL_COLOURS: Record<EpidemicLevel, { vi: string; en: string; hex: string }> = {
  1: { vi: 'Xanh', en: 'Green', hex: '#2f9e44' },
  2: { vi: 'Vàng', en: 'Yellow', hex: '#fab005' },
  3: { vi: 'Cam', en: 'Orange', hex: '#f76707' },
  4: { vi: 'Đỏ', en: 'Red', hex: '#e03131' },
};

/** What a level is computed from (percentages 0–100; null = no figure). */
export interface LevelInputs {
  population: number;
  /** New community cases in the 7 days ending on the assessed day (not in quarantine, not at entry). */
  cases7d: number;
  /** % of people aged ≥ 18 with at least one dose. */
  cov18OneDose: number | null;
  /** % of the elderly-gate group fully vaccinated (the group the rule set names for the day). */
  elderlyFull: number | null;
  /** 218 only: % of the whole population fully vaccinated (optional). */
  populationFull?: number | null;
  capacityMet: boolean;
  /** Last week's level of the same unit, if any. */
  previous: EpidemicLevel | null;
}

/**
 * A band: a rate below `below` (per 100,000 per 7 days) has this risk; null = no upper bound.
 * `inclusive` makes the bound part of the band (a rate of exactly `below` still falls in it).
 */
export interface RateBand {
  risk: EpidemicLevel;
  below: number | null;
  inclusive?: boolean;
}

export interface ElderlyGate {
  validFrom: IsoDate;
  validTo: IsoDate | null;
  /** Age group the gate counts ('65+' or '50+'). */
  group: '65+' | '50+';
  minPct: number;
}

interface LevelRuleSetBase {
  id: string;
  kind: 'epidemic_level';
  name: string;
  legalBasis: LegalBasis;
  issuer: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  overrides?: boolean;
  confidence: Confidence;
  notes: string;
  /** Per how many people the rate is counted. */
  per: number;
  bands: RateBand[];
}

export interface Level4800RuleSet extends LevelRuleSetBase {
  model: '4800';
  coverage: { minPct: number; confidence: Confidence };
  /** risk → [level when coverage ≥ minPct, level when below]. */
  matrix: Record<EpidemicLevel, [EpidemicLevel, EpidemicLevel]>;
  matrixConfidence: Confidence;
  elderlyGates: ElderlyGate[];
  /** The elderly gate does not raise a level when there were no cases in the 7 days. */
  gateNotWithoutCases: boolean;
  /** Capacity not met: the level may not go down from the previous one. */
  capacityHoldsLevel: boolean;
}

export interface Level218RuleSet extends LevelRuleSetBase {
  model: '218';
  vaccination: {
    populationFullMinPct: number;
    highRiskFullMinPct: number;
    highRiskGroup: '50+' | '65+';
  };
  /** transmission level → [level at capacity high, medium, low]. */
  matrix: Record<EpidemicLevel, [EpidemicLevel, EpidemicLevel, EpidemicLevel]>;
}

export type LevelRuleSet = Level4800RuleSet | Level218RuleSet;

export interface LevelDecision {
  level: EpidemicLevel;
  /** Cases per `per` people in 7 days, rounded to 2 decimals. */
  rate: number;
  inputs: LevelInputs;
  /** The rule that decided the final level. */
  rule: { id: string; text: { vi: string; en: string } };
  ruleSet: { id: string; name: string; legalBasis: LegalBasis; confidence: Confidence };
  /** Each step in order, in words. */
  steps: { id: string; vi: string; en: string }[];
  explanation: { vi: string; en: string };
}

const QD4800: LegalBasis = {
  number: '4800/QĐ-BYT',
  date: '2021-10-12',
  title:
    'Hướng dẫn tạm thời chuyên môn y tế thực hiện Nghị quyết 128/NQ-CP về thích ứng an toàn, linh hoạt, kiểm soát hiệu quả dịch COVID-19',
};
const QD218: LegalBasis = {
  number: '218/QĐ-BYT',
  date: '2022-01-27',
  title: 'Hướng dẫn tạm thời chuyên môn y tế thực hiện Nghị quyết 128/NQ-CP (sửa đổi QĐ 4800)',
};

export const LEVEL_4800: Level4800RuleSet = {
  id: 'level-4800-2021',
  kind: 'epidemic_level',
  model: '4800',
  name: 'Cấp độ dịch theo QĐ 4800/QĐ-BYT',
  legalBasis: QD4800,
  issuer: 'Bộ Y tế',
  validFrom: '2021-10-12',
  validTo: '2022-01-26',
  confidence: 'reconstructed',
  notes:
    'Tiêu chí 1 (ca mắc/100.000 dân/7 ngày) và 2 (tỷ lệ tiêm ≥ 1 mũi ở người ≥ 18 tuổi) chắc chắn; ma trận kết hợp và quy tắc tăng/giữ cấp được dựng lại (reconstructed). Năng lực điều trị là có/không do cơ quan y tế nhập.',
  per: 100_000,
  bands: [
    { risk: 1, below: 20 },
    { risk: 2, below: 50 },
    { risk: 3, below: 150 },
    { risk: 4, below: null },
  ],
  coverage: { minPct: 70, confidence: 'sure' },
  matrix: { 1: [1, 2], 2: [2, 3], 3: [3, 4], 4: [4, 4] },
  matrixConfidence: 'reconstructed',
  elderlyGates: [
    { validFrom: '2021-10-12', validTo: '2021-10-31', group: '65+', minPct: 80 },
    { validFrom: '2021-11-01', validTo: null, group: '50+', minPct: 80 },
  ],
  gateNotWithoutCases: true,
  capacityHoldsLevel: true,
};

export const LEVEL_218: Level218RuleSet = {
  id: 'level-218-2022',
  kind: 'epidemic_level',
  model: '218',
  name: 'Cấp độ dịch theo QĐ 218/QĐ-BYT',
  legalBasis: QD218,
  issuer: 'Bộ Y tế',
  validFrom: '2022-01-27',
  validTo: null,
  confidence: 'reconstructed',
  notes:
    'Dựng lại (reconstructed): mức lây nhiễm chỉ từ số ca mới/100.000 dân/tuần (ca thở oxy và tử vong chưa tính); "rất cao" khi > 600; ngưỡng 20/150 và ngưỡng tiêm chủng 75 %/90 % chưa được xác nhận.',
  per: 100_000,
  // "very high" needs > 600: a rate of exactly 600 is still level 3
  bands: [
    { risk: 1, below: 20 },
    { risk: 2, below: 150 },
    { risk: 3, below: 600, inclusive: true },
    { risk: 4, below: null },
  ],
  vaccination: { populationFullMinPct: 75, highRiskFullMinPct: 90, highRiskGroup: '50+' },
  matrix: { 1: [1, 1, 2], 2: [1, 2, 3], 3: [2, 3, 4], 4: [3, 4, 4] },
};

export const DEFAULT_LEVEL_RULESETS: LevelRuleSet[] = [LEVEL_4800, LEVEL_218];

/** The level rule set in force on `date` (see rulesetInForce), or null. */
export const levelRuleSetFor = (sets: readonly LevelRuleSet[], date: IsoDate) =>
  rulesetInForce(sets, 'epidemic_level', date);

/** The elderly gate of a 4800 rule set on `date` (the 65+ gate until 31/10/2021, then 50+). */
export function elderlyGateOn(rs: Level4800RuleSet, date: IsoDate): ElderlyGate | null {
  return rs.elderlyGates.find((g) => isWithin(date, g.validFrom, g.validTo)) ?? null;
}

/** The age group whose full coverage the rule set in force on `date` uses. */
export function elderlyGroupOn(rs: LevelRuleSet, date: IsoDate): '65+' | '50+' {
  if (rs.model === '218') return rs.vaccination.highRiskGroup;
  return elderlyGateOn(rs, date)?.group ?? '50+';
}

/**
 * Risk from the bands, compared exactly: cases × per < below × population, in integers where
 * the figures are integers, so that exactly 20 per 100,000 is risk 2 and not a rounding accident.
 */
export function riskOf(bands: readonly RateBand[], per: number, cases: number, population: number) {
  for (const b of bands) {
    if (b.below === null) return b.risk;
    const x = cases * per;
    const bound = b.below * population;
    if (x < bound || (b.inclusive === true && x === bound)) return b.risk;
  }
  return 4 as EpidemicLevel;
}

const fmt = (n: number | null, digits = 2) => (n === null ? '—' : n.toFixed(digits));
// one formatter for every decision: toLocaleString builds a new one per call (~0.1 ms each,
// which was most of the time of a country-wide computation)
const VI_INTEGER = new Intl.NumberFormat('vi-VN');
const bump = (l: number): EpidemicLevel => Math.min(4, Math.max(1, l)) as EpidemicLevel;

/** Records one step of a decision; the words are built only when someone reads them. */
type Say = (id: string, vi: () => string, en: () => string) => void;

/**
 * The one implementation of the rule: decides the level and the deciding rule, and tells `say`
 * each step in order (its words as thunks, so a bulk computation that stores only the level, the
 * rule and the inputs does not pay for building them; they are rebuilt on reading).
 */
function decide(rs: LevelRuleSet, date: IsoDate, inputs: LevelInputs, say: Say | null) {
  if (!(inputs.population >= 1)) throw new RangeError('population must be at least 1');
  const rate = Math.round(((inputs.cases7d * rs.per) / inputs.population) * 100) / 100;
  const risk = riskOf(rs.bands, rs.per, inputs.cases7d, inputs.population);
  const band = rs.bands.find((b) => b.risk === risk)!;
  const prevBand = rs.bands.find((b) => b.risk === risk - 1);
  const prevBelow = prevBand?.below ?? 0;
  const range = () =>
    band.below === null
      ? `${prevBand?.inclusive ? '>' : '≥'} ${fmt(prevBelow, 0)}`
      : `${fmt(prevBelow, 0)}–${band.inclusive ? '≤' : '<'}${fmt(band.below, 0)}`;
  say?.(
    `rate.risk${risk}`,
    () =>
      `${inputs.cases7d} ca mắc mới trong cộng đồng trong 7 ngày trên ${VI_INTEGER.format(inputs.population)} dân = ${fmt(rate)}/100.000 (khoảng ${range()}) → ${rs.model === '4800' ? 'nguy cơ' : 'mức lây nhiễm'} ${risk}`,
    () =>
      `${inputs.cases7d} new community cases in 7 days for ${inputs.population} people = ${fmt(rate)} per 100,000 (band ${range()}) → ${rs.model === '4800' ? 'risk' : 'transmission level'} ${risk}`,
  );
  let level: EpidemicLevel;
  let ruleId: string;
  if (rs.model === '4800') {
    const covOk = inputs.cov18OneDose !== null && inputs.cov18OneDose >= rs.coverage.minPct;
    level = rs.matrix[risk][covOk ? 0 : 1];
    ruleId = `matrix.risk${risk}.${covOk ? 'covered' : 'uncovered'}`;
    say?.(
      ruleId,
      () =>
        `Tỷ lệ người ≥ 18 tuổi tiêm ≥ 1 mũi ${fmt(inputs.cov18OneDose)} % ${covOk ? '≥' : '<'} ${rs.coverage.minPct} % → cấp ${level}`,
      () =>
        `Share of people aged ≥ 18 with at least one dose ${fmt(inputs.cov18OneDose)} % ${covOk ? '≥' : '<'} ${rs.coverage.minPct} % → level ${level}`,
    );
    const gate = elderlyGateOn(rs, date);
    if (gate) {
      const gateOk = inputs.elderlyFull !== null && inputs.elderlyFull >= gate.minPct;
      const ages = gate.group === '65+' ? '≥ 65' : '≥ 50';
      if (!gateOk && rs.gateNotWithoutCases && inputs.cases7d === 0) {
        say?.(
          'elderly_gate.no_cases',
          () =>
            `Người ${ages} tuổi tiêm đủ liều ${fmt(inputs.elderlyFull)} % < ${gate.minPct} %, nhưng không có ca mắc trong 7 ngày: không tăng cấp`,
          () =>
            `People aged ${ages} fully vaccinated ${fmt(inputs.elderlyFull)} % < ${gate.minPct} %, but no cases in 7 days: no raise`,
        );
      } else if (!gateOk && level < 4) {
        level = bump(level + 1);
        ruleId = 'elderly_gate.raise';
        say?.(
          ruleId,
          () =>
            `Người ${ages} tuổi tiêm đủ liều ${fmt(inputs.elderlyFull)} % < ${gate.minPct} % → tăng 1 cấp: cấp ${level}`,
          () =>
            `People aged ${ages} fully vaccinated ${fmt(inputs.elderlyFull)} % < ${gate.minPct} % → one level up: level ${level}`,
        );
      } else {
        say?.(
          gateOk ? 'elderly_gate.met' : 'elderly_gate.at_max',
          () =>
            `Người ${ages} tuổi tiêm đủ liều ${fmt(inputs.elderlyFull)} % ${gateOk ? '≥' : '<'} ${gate.minPct} %${gateOk ? '' : ' (đã ở cấp 4)'}`,
          () =>
            `People aged ${ages} fully vaccinated ${fmt(inputs.elderlyFull)} % ${gateOk ? '≥' : '<'} ${gate.minPct} %${gateOk ? '' : ' (already level 4)'}`,
        );
      }
    }
    if (
      rs.capacityHoldsLevel &&
      !inputs.capacityMet &&
      inputs.previous !== null &&
      level < inputs.previous
    ) {
      level = inputs.previous;
      ruleId = 'capacity.hold';
      say?.(
        ruleId,
        () => `Năng lực điều trị chưa đáp ứng: không hạ cấp so với tuần trước → giữ cấp ${level}`,
        () =>
          `Treatment capacity not met: the level may not go down from last week's → stays at level ${level}`,
      );
    } else {
      say?.(
        inputs.capacityMet ? 'capacity.met' : 'capacity.not_met',
        () =>
          `Năng lực điều trị ${inputs.capacityMet ? 'đáp ứng' : 'chưa đáp ứng'}${inputs.previous === null ? '' : `; tuần trước cấp ${inputs.previous}`}`,
        () =>
          `Treatment capacity ${inputs.capacityMet ? 'met' : 'not met'}${inputs.previous === null ? '' : `; last week level ${inputs.previous}`}`,
      );
    }
  } else {
    const v = rs.vaccination;
    const vaccOk =
      (inputs.populationFull ?? null) !== null &&
      inputs.populationFull! >= v.populationFullMinPct &&
      inputs.elderlyFull !== null &&
      inputs.elderlyFull >= v.highRiskFullMinPct;
    const met = (vaccOk ? 1 : 0) + (inputs.capacityMet ? 1 : 0);
    const col = met === 2 ? 0 : met === 1 ? 1 : 2;
    const capName = (['cao', 'trung bình', 'thấp'] as const)[col];
    const capEn = (['high', 'medium', 'low'] as const)[col];
    level = rs.matrix[risk][col];
    ruleId = `matrix.t${risk}.${capEn}`;
    say?.(
      ruleId,
      () =>
        `Tiêm chủng ${vaccOk ? 'đạt' : 'chưa đạt'} (toàn dân đủ liều ${fmt(inputs.populationFull ?? null)} %/${v.populationFullMinPct} %, nhóm nguy cơ ${fmt(inputs.elderlyFull)} %/${v.highRiskFullMinPct} %), điều trị ${inputs.capacityMet ? 'đạt' : 'chưa đạt'} → khả năng đáp ứng ${capName} → cấp ${level}`,
      () =>
        `Vaccination ${vaccOk ? 'met' : 'not met'} (population fully vaccinated ${fmt(inputs.populationFull ?? null)} %/${v.populationFullMinPct} %, high-risk group ${fmt(inputs.elderlyFull)} %/${v.highRiskFullMinPct} %), treatment ${inputs.capacityMet ? 'met' : 'not met'} → response capacity ${capEn} → level ${level}`,
    );
  }
  return { level, rate, ruleId };
}

/** The level and the rule that decided it, without the words (a bulk computation stores these). */
export function decideLevel(rs: LevelRuleSet, date: IsoDate, inputs: LevelInputs) {
  return decide(rs, date, inputs, null);
}

/** The level with every step and the explanation in words (vi + en). */
export function evaluateLevel(rs: LevelRuleSet, date: IsoDate, inputs: LevelInputs): LevelDecision {
  const steps: LevelDecision['steps'] = [];
  const { level, rate, ruleId } = decide(rs, date, inputs, (id, vi, en) =>
    steps.push({ id, vi: vi(), en: en() }),
  );
  const last = steps.find((s) => s.id === ruleId)!;
  const colour = LEVEL_COLOURS[level];
  return {
    level,
    rate,
    inputs,
    rule: { id: ruleId, text: { vi: last.vi, en: last.en } },
    ruleSet: { id: rs.id, name: rs.name, legalBasis: rs.legalBasis, confidence: rs.confidence },
    steps,
    explanation: {
      vi: `Cấp ${level} (${colour.vi}) ngày ${formatViDate(date)} theo ${rs.legalBasis.number}${rs.confidence === 'reconstructed' ? ' (một phần dựng lại)' : ''}: ${steps.map((s) => s.vi).join('; ')}.`,
      en: `Level ${level} (${colour.en}) on ${date} under ${rs.legalBasis.number}${rs.confidence === 'reconstructed' ? ' (partly reconstructed)' : ''}: ${steps.map((s) => s.en).join('; ')}.`,
    },
  };
}

/** Checks a level rule set an administrator wrote; returns the problems (none = valid). */
export function levelRuleSetProblems(rs: LevelRuleSet): string[] {
  const out: string[] = [];
  if (rs.validTo !== null && compare(rs.validTo, rs.validFrom) < 0)
    out.push('validTo before validFrom');
  const risks = rs.bands.map((b) => b.risk).join(',');
  if (risks !== '1,2,3,4') out.push('bands must give risks 1,2,3,4 in order');
  if (rs.bands.at(-1)?.below !== null) out.push('the last band has no upper bound');
  for (let i = 1; i < rs.bands.length - 1; i++)
    if ((rs.bands[i]!.below ?? Infinity) <= (rs.bands[i - 1]!.below ?? Infinity))
      out.push('band bounds must increase');
  return out;
}
