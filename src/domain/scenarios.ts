/**
 * Capacity scenarios (issue 12, item 5): for a number of simultaneous F0 — the seeds' 1,000 /
 * 2,000 / 30,000 / 300,000, or any other — the beds per tier, ICU beds, ventilators, oxygen per
 * day, staff and test kits needed, from ratios kept as a versioned rule set; set against what
 * the province has now; and, from a CHIME projection, the first day each census passes the
 * capacity. Pure functions, no I/O.
 */
import type { ChimeGroup, ChimeRow } from './chime.ts';
import { rulesetInForce, type Confidence, type LegalBasis } from './rulesets.ts';
import type { IsoDate } from './dates.ts';

export const TIERS = ['home', 'tier1', 'tier2', 'tier3'] as const;
export type Tier = (typeof TIERS)[number];

export interface ScenarioRuleSet {
  id: string;
  kind: 'scenario_ratios';
  name: string;
  legalBasis: LegalBasis;
  issuer: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
  /** The scenarios the seeds plan for, in simultaneous F0. */
  scenarios: { cases: number; source: string }[];
  /** Share of the simultaneous F0 treated in each tier (sums to 1). */
  tierShares: Record<Tier, number>;
  /** Share of the simultaneous F0 on a ventilator. */
  ventilatorShare: number;
  /** Oxygen a patient of the tier uses per day, in litres of gas. */
  oxygenLitresPerDay: Record<Tier, number>;
  /** Staff per patient of the tier (a doctor for 10 patients: 0.1). */
  doctorsPerPatient: Record<Tier, number>;
  nursesPerPatient: Record<Tier, number>;
  /** Test kits per F0 over an episode (diagnosis, follow-up, release). */
  testKitsPerCase: number;
  /**
   * What the projection form starts from (CHIME's names; its rates are shares of ALL
   * infections, not of detected F0). Population and today's census come from the data.
   */
  chimeDefaults: {
    doubling_time: number;
    relative_contact_rate: number;
    infectious_days: number;
    market_share: number;
    n_days: number;
    hospitalized: { rate: number; days: number };
    icu: { rate: number; days: number };
    ventilated: { rate: number; days: number };
  };
}

export const SCENARIO_RATIOS_2021: ScenarioRuleSet = {
  id: 'scenario-ratios-2021',
  kind: 'scenario_ratios',
  name: 'Tỷ lệ nhu cầu theo kịch bản số ca F0 (tháp 3 tầng điều trị)',
  legalBasis: {
    number: '4689/QĐ-BYT',
    date: '2021-10-06',
    title:
      'Hướng dẫn chẩn đoán và điều trị COVID-19 (mô hình 3 tầng) và kế hoạch đáp ứng tình huống 30.000 / 300.000 người mắc của tỉnh',
  },
  issuer: 'Bộ Y tế; UBND tỉnh',
  validFrom: '2021-10-06',
  validTo: null,
  confidence: 'reconstructed',
  notes:
    'Reconstructed: the tier shares, oxygen flows, staff ratios and test kits per case are planning figures written from memory of the 3-tier treatment model, not quoted from a document; a province edits them as a new version.',
  scenarios: [
    { cases: 1000, source: 'Kịch bản 1.000 ca F0' },
    { cases: 2000, source: 'Kịch bản 2.000 ca F0' },
    { cases: 30000, source: 'Kế hoạch đáp ứng tình huống khi có 30.000 người mắc (seed 002)' },
    { cases: 300000, source: 'Phương án bảo đảm y tế khi có 300.000 người mắc (seed 002)' },
  ],
  tierShares: { home: 0.5, tier1: 0.3, tier2: 0.15, tier3: 0.05 },
  ventilatorShare: 0.02,
  // 5 L/min for an oxygen bed, 15 L/min in intensive care; home and tier 1 need none
  oxygenLitresPerDay: { home: 0, tier1: 0, tier2: 7200, tier3: 21600 },
  doctorsPerPatient: { home: 0.005, tier1: 0.02, tier2: 0.1, tier3: 0.5 },
  nursesPerPatient: { home: 0.01, tier1: 0.04, tier2: 0.25, tier3: 1 },
  testKitsPerCase: 3,
  chimeDefaults: {
    doubling_time: 4,
    relative_contact_rate: 0.3,
    infectious_days: 14,
    market_share: 1,
    n_days: 30,
    hospitalized: { rate: 0.025, days: 10 },
    icu: { rate: 0.0075, days: 14 },
    ventilated: { rate: 0.005, days: 14 },
  },
};
export const DEFAULT_SCENARIO_RULESETS: ScenarioRuleSet[] = [SCENARIO_RATIOS_2021];

export const scenarioRuleSetFor = (sets: readonly ScenarioRuleSet[], date: IsoDate) =>
  rulesetInForce(sets, 'scenario_ratios', date);

/** Problems of a rule set's ratios, as field paths (for a new version). */
export function validateScenarioRuleSet(rs: ScenarioRuleSet): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const share = (v: unknown, path: string) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) out.push({ path, message: '0 … 1' });
  };
  const nonNeg = (v: unknown, path: string) => {
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
      out.push({ path, message: '≥ 0' });
  };
  for (const t of TIERS) {
    share(rs.tierShares?.[t], `tierShares.${t}`);
    nonNeg(rs.oxygenLitresPerDay?.[t], `oxygenLitresPerDay.${t}`);
    nonNeg(rs.doctorsPerPatient?.[t], `doctorsPerPatient.${t}`);
    nonNeg(rs.nursesPerPatient?.[t], `nursesPerPatient.${t}`);
  }
  if (!out.some((p) => p.path.startsWith('tierShares'))) {
    const sum = TIERS.reduce((s, t) => s + rs.tierShares[t], 0);
    if (Math.abs(sum - 1) > 1e-9) out.push({ path: 'tierShares', message: 'the shares sum to 1' });
  }
  share(rs.ventilatorShare, 'ventilatorShare');
  if (rs.ventilatorShare > rs.tierShares?.tier3)
    out.push({ path: 'ventilatorShare', message: 'at most the tier 3 share' });
  nonNeg(rs.testKitsPerCase, 'testKitsPerCase');
  const c = rs.chimeDefaults;
  for (const g of ['hospitalized', 'icu', 'ventilated'] as const) {
    share(c?.[g]?.rate, `chimeDefaults.${g}.rate`);
    if (!Number.isInteger(c?.[g]?.days) || c[g].days < 1)
      out.push({ path: `chimeDefaults.${g}.days`, message: 'whole days ≥ 1' });
  }
  share(c?.relative_contact_rate, 'chimeDefaults.relative_contact_rate');
  share(c?.market_share, 'chimeDefaults.market_share');
  return out;
}

export const RESOURCES = [
  'beds',
  'oxygenBeds',
  'icuBeds',
  'ventilators',
  'oxygenLitresPerDay',
  'doctors',
  'nurses',
  'testKits',
] as const;
export type Resource = (typeof RESOURCES)[number];

/** The resources in words, as exports print them (the pages use their i18n file). */
export const RESOURCE_LABELS: Record<Resource, { vi: string; en: string }> = {
  beds: { vi: 'Giường bệnh (tầng 1–3)', en: 'Beds (tiers 1–3)' },
  oxygenBeds: { vi: 'Giường có ô xy (tầng 2)', en: 'Oxygen beds (tier 2)' },
  icuBeds: { vi: 'Giường hồi sức tích cực (ICU)', en: 'Intensive care beds (ICU)' },
  ventilators: { vi: 'Máy thở', en: 'Ventilators' },
  oxygenLitresPerDay: { vi: 'Ô xy (lít/ngày)', en: 'Oxygen (litres/day)' },
  doctors: { vi: 'Bác sĩ', en: 'Doctors' },
  nurses: { vi: 'Điều dưỡng', en: 'Nurses' },
  testKits: { vi: 'Test xét nghiệm', en: 'Test kits' },
};

/** What the area has now of each resource; null where nothing is recorded. */
export type Have = Record<Resource, number | null>;

export interface NeedLine {
  resource: Resource;
  need: number;
  have: number | null;
  /** need − have when positive; 0 when covered; null when nothing is recorded. */
  shortfall: number | null;
  /** In words (vi, en): how the need was counted. */
  basis: { vi: string; en: string };
}

const fmt = (n: number) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 4 }).format(n);

/**
 * The needs of `cases` simultaneous F0 by the ratios of `rs`, each set against `have`. Patients
 * per tier are rounded up (a patient is whole); staff and kits are rounded up likewise.
 */
export function scenarioNeeds(cases: number, rs: ScenarioRuleSet, have: Have): NeedLine[] {
  const patients = Object.fromEntries(
    TIERS.map((t) => [t, Math.ceil(cases * rs.tierShares[t])]),
  ) as Record<Tier, number>;
  const per = (ratio: Record<Tier, number>) =>
    TIERS.reduce((s, t) => s + patients[t] * ratio[t], 0);
  const share = (t: Tier) => fmt(rs.tierShares[t] * 100);
  const needs: Record<Resource, [number, { vi: string; en: string }]> = {
    beds: [
      patients.tier1 + patients.tier2 + patients.tier3,
      {
        vi: `F0 điều trị tại cơ sở (tầng 1 ${share('tier1')} %, tầng 2 ${share('tier2')} %, tầng 3 ${share('tier3')} %)`,
        en: `F0 treated in a facility (tier 1 ${share('tier1')} %, tier 2 ${share('tier2')} %, tier 3 ${share('tier3')} %)`,
      },
    ],
    oxygenBeds: [
      patients.tier2,
      { vi: `F0 tầng 2: ${share('tier2')} %`, en: `Tier 2 F0: ${share('tier2')} %` },
    ],
    icuBeds: [
      patients.tier3,
      { vi: `F0 tầng 3: ${share('tier3')} %`, en: `Tier 3 F0: ${share('tier3')} %` },
    ],
    ventilators: [
      Math.ceil(cases * rs.ventilatorShare),
      {
        vi: `${fmt(rs.ventilatorShare * 100)} % số F0 thở máy`,
        en: `${fmt(rs.ventilatorShare * 100)} % of F0 ventilated`,
      },
    ],
    oxygenLitresPerDay: [
      Math.ceil(per(rs.oxygenLitresPerDay)),
      {
        vi: `tầng 2: ${fmt(rs.oxygenLitresPerDay.tier2)} lít/ngày, tầng 3: ${fmt(rs.oxygenLitresPerDay.tier3)} lít/ngày mỗi người bệnh`,
        en: `tier 2: ${fmt(rs.oxygenLitresPerDay.tier2)} L/day, tier 3: ${fmt(rs.oxygenLitresPerDay.tier3)} L/day per patient`,
      },
    ],
    doctors: [
      Math.ceil(per(rs.doctorsPerPatient)),
      {
        vi: `bác sĩ mỗi người bệnh: tầng 1 ${fmt(rs.doctorsPerPatient.tier1)}, tầng 2 ${fmt(rs.doctorsPerPatient.tier2)}, tầng 3 ${fmt(rs.doctorsPerPatient.tier3)}`,
        en: `doctors per patient: tier 1 ${fmt(rs.doctorsPerPatient.tier1)}, tier 2 ${fmt(rs.doctorsPerPatient.tier2)}, tier 3 ${fmt(rs.doctorsPerPatient.tier3)}`,
      },
    ],
    nurses: [
      Math.ceil(per(rs.nursesPerPatient)),
      {
        vi: `điều dưỡng mỗi người bệnh: tầng 1 ${fmt(rs.nursesPerPatient.tier1)}, tầng 2 ${fmt(rs.nursesPerPatient.tier2)}, tầng 3 ${fmt(rs.nursesPerPatient.tier3)}`,
        en: `nurses per patient: tier 1 ${fmt(rs.nursesPerPatient.tier1)}, tier 2 ${fmt(rs.nursesPerPatient.tier2)}, tier 3 ${fmt(rs.nursesPerPatient.tier3)}`,
      },
    ],
    testKits: [
      Math.ceil(cases * rs.testKitsPerCase),
      {
        vi: `${fmt(rs.testKitsPerCase)} test mỗi F0`,
        en: `${fmt(rs.testKitsPerCase)} tests per F0`,
      },
    ],
  };
  return RESOURCES.map((resource) => {
    const [need, basis] = needs[resource];
    const h = have[resource];
    return {
      resource,
      need,
      have: h,
      shortfall: h === null ? null : Math.max(0, need - h),
      basis,
    };
  });
}

/** CHIME's groups and the capacity each is set against. */
export const CENSUS_CAPACITY: Record<ChimeGroup, Resource> = {
  hospitalized: 'beds',
  icu: 'icuBeds',
  ventilated: 'ventilators',
};

export interface RunsOut {
  group: ChimeGroup;
  capacity: number | null;
  /** The first projected day (day ≥ 0) whose census is above the capacity; null if none. */
  date: IsoDate | null;
  day: number | null;
  peak: { date: IsoDate; census: number } | null;
}

/**
 * For each CHIME group, the first day from today on whose census exceeds the capacity set
 * against it (census > capacity: a census equal to the beds still fits), and the peak.
 */
export function capacityRunsOut(rows: readonly ChimeRow[], have: Have): RunsOut[] {
  const ahead = rows.filter((r) => r.day >= 0);
  return (Object.keys(CENSUS_CAPACITY) as ChimeGroup[]).map((group) => {
    const capacity = have[CENSUS_CAPACITY[group]];
    let peak: RunsOut['peak'] = null;
    for (const r of ahead)
      if (!peak || r.census[group] > peak.census) peak = { date: r.date, census: r.census[group] };
    const over = capacity === null ? undefined : ahead.find((r) => r.census[group] > capacity);
    return { group, capacity, date: over?.date ?? null, day: over?.day ?? null, peak };
  });
}

/** The first projected day (day ≥ 0) on which CHIME's infected reach `cases`, or null. */
export function scenarioReached(rows: readonly ChimeRow[], cases: number) {
  const r = rows.find((x) => x.day >= 0 && x.infected >= cases);
  return r ? { date: r.date, day: r.day } : null;
}
