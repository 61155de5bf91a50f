/**
 * Entry control: classifying a person who enters the province (checkpoint, airport, lodging) with
 * the arrival rule set in force on the entry date. Pure: the caller passes the epidemic areas and
 * rule sets it loaded; the decision says which rule of which rule set decided, on which facts, and
 * explains it in Vietnamese and English.
 */
import {
  addDays,
  dateOfDay,
  dateOfInstant,
  daysBetween,
  formatViDate,
  hoursBetween,
  isValidIsoDate,
  isWithin,
  compare,
  parseInstant,
  startOfDayInstant,
  type IsoDate,
} from './dates.ts';
import {
  PLACEHOLDER_RE,
  isPlaceholder,
  rulesetInForce,
  type ArrivalAction,
  type ArrivalRuleSet,
  type Confidence,
  type EpidemicLevel,
  type LegalBasis,
  type Placeholder,
  type Rule,
  type RuleConditions,
  type TestType,
  type VaccinationStatus,
} from './rulesets.ts';

/** An area with an epidemic level over a period (epidemic_areas). */
export interface EpidemicArea {
  provinceCode: string;
  districtCode?: string | null;
  communeCode?: string | null;
  level: number;
  validFrom: IsoDate;
  /** Last day (inclusive); null while open-ended. */
  validTo: IsoDate | null;
}

export interface ArrivalInput {
  /** Calendar date of entry (Vietnam time); day 1 of every period. */
  entryDate: IsoDate;
  /**
   * Instant of entry (ISO date-time; without offset read as Vietnam time); must fall on entryDate.
   * Used for the age of the last test; when absent the end of the entry day (24:00) is used, so a
   * test is never counted younger than it may have been.
   */
  entryAt?: string | null;
  origin: { provinceCode: string; districtCode?: string | null; communeCode?: string | null };
  /** Name of the origin as shown to people: 'Thành phố Hà Nội', 'Quận Ba Đình, Thành phố Hà Nội'. */
  originName: string;
  /** Epidemic areas (any validity; those not covering the entry date are ignored). */
  epidemicAreas: readonly EpidemicArea[];
  /** Absent: no dose recorded. */
  vaccination?: {
    doses: number;
    lastDoseDate?: IsoDate | null;
    /** Doses of the primary series: 2 by default, 1 for Janssen, 3 for Abdala. */
    primarySeriesDoses?: number;
  } | null;
  recoveredOn?: IsoDate | null;
  lastTest?: {
    type: TestType;
    /** When the sample was taken (ISO date-time; a bare date means 00:00 Vietnam time). */
    date: string;
    result: 'negative' | 'positive';
  } | null;
  /** Declared symptoms: codes of SYMPTOMS in declaration.ts ('fever', 'cough', …) or free text. */
  symptoms?: readonly string[] | null;
}

export interface ArrivalFacts {
  entryDate: IsoDate;
  /** The instant the test age is measured from (ISO, UTC). */
  entryInstant: string;
  entryInstantAssumed: boolean;
  origin: {
    provinceCode: string;
    districtCode: string | null;
    communeCode: string | null;
    name: string;
  };
  /** The most specific area covering the origin on the entry date, or null. */
  originArea: {
    unit: 'province' | 'district' | 'commune';
    code: string;
    level: EpidemicLevel;
    validFrom: IsoDate;
    validTo: IsoDate | null;
  } | null;
  originLevel: EpidemicLevel | null;
  fromEpidemicArea: boolean;
  vaccination: {
    doses: number;
    primarySeriesDoses: number;
    lastDoseDate: IsoDate | null;
    daysSinceLastDose: number | null;
    status: VaccinationStatus;
    /** Why the status is what it is: 'no_dose', 'series_incomplete', 'last_dose_too_recent', 'last_dose_date_unknown', 'series_complete', 'booster'. */
    reason: string;
  };
  recoveredOn: IsoDate | null;
  daysSinceRecovery: number | null;
  lastTest: {
    type: TestType;
    takenAt: string;
    result: 'negative' | 'positive';
    hoursBeforeEntry: number;
  } | null;
  symptoms: string[];
  hasSymptoms: boolean;
}

export interface RuleTrace {
  ruleId: string;
  matched: boolean;
  /** The conditions that did not hold. */
  unmet: (keyof RuleConditions)[];
}

export interface ArrivalDecision {
  action: ArrivalAction;
  quarantineDays: number;
  monitoringDays: number;
  testDays: number[];
  /** Dates of testDays (day 1 = entry date). */
  testDates: IsoDate[];
  testAtCheckpoint: boolean;
  isolate: boolean;
  /** Last day of quarantine (inclusive), or null. */
  quarantineEnds: IsoDate | null;
  /** Last day of self-monitoring (inclusive), or null. */
  monitoringEnds: IsoDate | null;
  rulesetId: string;
  ruleId: string;
  legalBasis: LegalBasis;
  /** The rule's confidence: 'reconstructed' when inferred from partial sources. */
  confidence: Confidence;
  explanation: { vi: string; en: string };
  facts: ArrivalFacts;
  /** Every rule tried, in order, up to the one that decided. */
  trace: RuleTrace[];
}

export interface InputIssue {
  path: string;
  message: string;
}

export type ClassifyResult =
  | { ok: true; decision: ArrivalDecision }
  | {
      ok: false;
      reason: 'no_ruleset_in_force';
      date: IsoDate;
      message: { vi: string; en: string };
    }
  | { ok: false; reason: 'invalid_input'; issues: InputIssue[] }
  | {
      ok: false;
      reason: 'no_rule_matched';
      rulesetId: string;
      message: { vi: string; en: string };
    };

export const SYMPTOM_WORDS: Record<string, { vi: string; en: string }> = {
  fever: { vi: 'sốt', en: 'fever' },
  cough: { vi: 'ho', en: 'cough' },
  shortness_of_breath: { vi: 'khó thở', en: 'shortness of breath' },
  pneumonia: { vi: 'viêm phổi', en: 'pneumonia' },
  sore_throat: { vi: 'đau họng', en: 'sore throat' },
  tiredness: { vi: 'mệt mỏi', en: 'tiredness' },
};

/** Classifies an arrival with the rule set of `rulesets` in force on its entry date. */
export function classifyArrival(
  input: ArrivalInput,
  rulesets: readonly ArrivalRuleSet[],
): ClassifyResult {
  const issues = validateInput(input);
  if (issues.length) return { ok: false, reason: 'invalid_input', issues };

  const ruleset = rulesetInForce(rulesets, 'arrival_classification', input.entryDate);
  if (!ruleset) {
    return {
      ok: false,
      reason: 'no_ruleset_in_force',
      date: input.entryDate,
      message: {
        vi: `Không có bộ quy tắc phân loại người đến nào có hiệu lực ngày ${formatViDate(input.entryDate)}`,
        en: `No arrival classification rule set is in force on ${input.entryDate}`,
      },
    };
  }

  const facts = deriveFacts(input, ruleset);
  const trace: RuleTrace[] = [];
  for (const rule of ruleset.rules) {
    const unmet = unmetConditions(rule.when, facts);
    trace.push({ ruleId: rule.id, matched: unmet.length === 0, unmet });
    if (unmet.length === 0) return { ok: true, decision: decide(ruleset, rule, facts, trace) };
  }
  return {
    ok: false,
    reason: 'no_rule_matched',
    rulesetId: ruleset.id,
    message: {
      vi: `Bộ quy tắc ${ruleset.id} không có quy tắc mặc định ở cuối; không phân loại được`,
      en: `Rule set ${ruleset.id} has no fallback rule at its end; cannot classify`,
    },
  };
}

function validateInput(input: ArrivalInput): InputIssue[] {
  const issues: InputIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const entryOk = isValidIsoDate(input.entryDate);
  if (!entryOk) add('entryDate', 'Ngày đến không hợp lệ (YYYY-MM-DD)');
  if (input.entryAt != null) {
    const t = parseInstant(input.entryAt);
    if (t === null) add('entryAt', 'Thời điểm đến không hợp lệ');
    else if (entryOk && dateOfInstant(t) !== input.entryDate) {
      add('entryAt', 'Thời điểm đến không thuộc ngày đến (giờ Việt Nam)');
    }
  }
  if (!input.origin?.provinceCode?.trim()) add('origin.provinceCode', 'Thiếu tỉnh/thành phố đi từ');
  if (typeof input.originName !== 'string' || !input.originName.trim()) {
    add('originName', 'Thiếu tên nơi đi');
  }
  if (!Array.isArray(input.epidemicAreas)) {
    add('epidemicAreas', 'Phải là danh sách');
  } else {
    input.epidemicAreas.forEach((a, i) => {
      if (!a.provinceCode) add(`epidemicAreas[${i}].provinceCode`, 'Thiếu mã tỉnh');
      if (![1, 2, 3, 4].includes(a.level)) add(`epidemicAreas[${i}].level`, 'Cấp độ từ 1 đến 4');
      if (!isValidIsoDate(a.validFrom)) add(`epidemicAreas[${i}].validFrom`, 'Ngày không hợp lệ');
      if (a.validTo != null && !isValidIsoDate(a.validTo)) {
        add(`epidemicAreas[${i}].validTo`, 'Ngày không hợp lệ');
      }
    });
  }
  const v = input.vaccination;
  if (v) {
    const primary = v.primarySeriesDoses ?? 2;
    if (!Number.isInteger(v.doses) || v.doses < 0 || v.doses > 10) {
      add('vaccination.doses', 'Số mũi phải là số nguyên từ 0 đến 10');
    }
    if (!Number.isInteger(primary) || primary < 1 || primary > 5) {
      add('vaccination.primarySeriesDoses', 'Số mũi cơ bản phải từ 1 đến 5');
    }
    if (v.lastDoseDate != null) {
      if (!isValidIsoDate(v.lastDoseDate)) {
        add('vaccination.lastDoseDate', 'Ngày tiêm không hợp lệ');
      } else if (v.doses === 0) {
        add('vaccination.lastDoseDate', 'Có ngày tiêm nhưng số mũi là 0');
      } else if (entryOk && compare(v.lastDoseDate, input.entryDate) > 0) {
        add('vaccination.lastDoseDate', 'Ngày tiêm mũi cuối sau ngày đến');
      }
    }
  }
  if (input.recoveredOn != null) {
    if (!isValidIsoDate(input.recoveredOn)) add('recoveredOn', 'Ngày khỏi bệnh không hợp lệ');
    else if (entryOk && compare(input.recoveredOn, input.entryDate) > 0) {
      add('recoveredOn', 'Ngày khỏi bệnh sau ngày đến');
    }
  }
  const t = input.lastTest;
  if (t) {
    if (t.type !== 'pcr' && t.type !== 'rapid')
      add('lastTest.type', 'Loại xét nghiệm: pcr hoặc rapid');
    if (t.result !== 'negative' && t.result !== 'positive') {
      add('lastTest.result', 'Kết quả: negative hoặc positive');
    }
    if (typeof t.date !== 'string' || parseInstant(t.date) === null) {
      add('lastTest.date', 'Thời điểm lấy mẫu không hợp lệ');
    }
  }
  if (input.symptoms != null && !Array.isArray(input.symptoms))
    add('symptoms', 'Phải là danh sách');
  return issues;
}

/** The facts the rules look at, derived with the rule set's definitions. */
export function deriveFacts(input: ArrivalInput, ruleset: ArrivalRuleSet): ArrivalFacts {
  const { entryDate } = input;
  const entryInstant =
    input.entryAt != null
      ? (parseInstant(input.entryAt) ?? startOfDayInstant(addDays(entryDate, 1)))
      : startOfDayInstant(addDays(entryDate, 1));

  const origin = {
    provinceCode: input.origin.provinceCode,
    districtCode: input.origin.districtCode ?? null,
    communeCode: input.origin.communeCode ?? null,
    name: input.originName.trim(),
  };
  const area = mostSpecificArea(origin, input.epidemicAreas, entryDate);
  const originLevel = area?.level ?? null;

  const symptoms = (input.symptoms ?? []).map((s) => s.trim()).filter((s) => s.length > 0);

  let lastTest: ArrivalFacts['lastTest'] = null;
  if (input.lastTest) {
    const taken = parseInstant(input.lastTest.date);
    if (taken !== null) {
      lastTest = {
        type: input.lastTest.type,
        takenAt: input.lastTest.date,
        result: input.lastTest.result,
        hoursBeforeEntry: hoursBetween(taken, entryInstant),
      };
    }
  }

  return {
    entryDate,
    entryInstant: new Date(entryInstant).toISOString(),
    entryInstantAssumed: input.entryAt == null,
    origin,
    originArea: area,
    originLevel,
    fromEpidemicArea:
      originLevel !== null && originLevel >= ruleset.definitions.epidemicAreaMinLevel,
    vaccination: vaccinationFacts(input, ruleset.definitions.fullyVaccinatedAfterDays),
    recoveredOn: input.recoveredOn ?? null,
    daysSinceRecovery: input.recoveredOn ? daysBetween(input.recoveredOn, entryDate) : null,
    lastTest,
    symptoms,
    hasSymptoms: symptoms.length > 0,
  };
}

/**
 * The area covering the origin on `date` that names it most precisely (commune over district over
 * province). Areas whose validity does not include `date` do not count. Two areas of the same
 * precision in force on the same day: the later validFrom wins (a newer assessment), then the
 * higher level.
 */
export function mostSpecificArea(
  origin: { provinceCode: string; districtCode?: string | null; communeCode?: string | null },
  areas: readonly EpidemicArea[],
  date: IsoDate,
): ArrivalFacts['originArea'] {
  let best: { area: EpidemicArea; rank: number } | null = null;
  for (const a of areas) {
    if (!isWithin(date, a.validFrom, a.validTo ?? null)) continue;
    if (a.provinceCode !== origin.provinceCode) continue;
    if (a.districtCode && a.districtCode !== origin.districtCode) continue;
    if (a.communeCode && a.communeCode !== origin.communeCode) continue;
    const rank = a.communeCode ? 3 : a.districtCode ? 2 : 1;
    if (
      best === null ||
      rank > best.rank ||
      (rank === best.rank &&
        (compare(a.validFrom, best.area.validFrom) > 0 ||
          (a.validFrom === best.area.validFrom && a.level > best.area.level)))
    ) {
      best = { area: a, rank };
    }
  }
  if (!best) return null;
  const a = best.area;
  return {
    unit: best.rank === 3 ? 'commune' : best.rank === 2 ? 'district' : 'province',
    code: a.communeCode || a.districtCode || a.provinceCode,
    level: a.level as EpidemicLevel,
    validFrom: a.validFrom,
    validTo: a.validTo ?? null,
  };
}

function vaccinationFacts(input: ArrivalInput, fullAfterDays: number): ArrivalFacts['vaccination'] {
  const doses = input.vaccination?.doses ?? 0;
  const primarySeriesDoses = input.vaccination?.primarySeriesDoses ?? 2;
  const lastDoseDate = input.vaccination?.lastDoseDate ?? null;
  const daysSinceLastDose = lastDoseDate ? daysBetween(lastDoseDate, input.entryDate) : null;
  const base = { doses, primarySeriesDoses, lastDoseDate, daysSinceLastDose };
  if (doses <= 0) return { ...base, status: 'none', reason: 'no_dose' };
  if (doses < primarySeriesDoses)
    return { ...base, status: 'partial', reason: 'series_incomplete' };
  if (daysSinceLastDose === null) {
    return { ...base, status: 'partial', reason: 'last_dose_date_unknown' };
  }
  // A dose beyond the primary series is a booster, given months after the series: the last primary
  // dose is then older than the booster, and the series counts as complete.
  if (doses > primarySeriesDoses) return { ...base, status: 'full', reason: 'booster' };
  if (daysSinceLastDose >= fullAfterDays) {
    return { ...base, status: 'full', reason: 'series_complete' };
  }
  return { ...base, status: 'partial', reason: 'last_dose_too_recent' };
}

function unmetConditions(when: RuleConditions, f: ArrivalFacts): (keyof RuleConditions)[] {
  const unmet: (keyof RuleConditions)[] = [];
  if (when.hasSymptoms !== undefined && when.hasSymptoms !== f.hasSymptoms)
    unmet.push('hasSymptoms');
  if (when.fromEpidemicArea !== undefined && when.fromEpidemicArea !== f.fromEpidemicArea) {
    unmet.push('fromEpidemicArea');
  }
  if (
    when.originLevels !== undefined &&
    (f.originLevel === null || !when.originLevels.includes(f.originLevel))
  ) {
    unmet.push('originLevels');
  }
  if (when.vaccination !== undefined && !when.vaccination.includes(f.vaccination.status)) {
    unmet.push('vaccination');
  }
  if (
    when.recoveredWithinDays !== undefined &&
    !(
      f.daysSinceRecovery !== null &&
      f.daysSinceRecovery >= 0 &&
      f.daysSinceRecovery <= when.recoveredWithinDays
    )
  ) {
    unmet.push('recoveredWithinDays');
  }
  if (when.negativeTest !== undefined) {
    const t = f.lastTest;
    const has =
      t !== null &&
      t.result === 'negative' &&
      when.negativeTest.types.includes(t.type) &&
      t.hoursBeforeEntry >= 0 &&
      t.hoursBeforeEntry <= when.negativeTest.withinHours;
    if (has !== when.negativeTest.present) unmet.push('negativeTest');
  }
  if (when.positiveTest !== undefined) {
    const t = f.lastTest;
    const has =
      t !== null &&
      t.result === 'positive' &&
      when.positiveTest.types.includes(t.type) &&
      t.hoursBeforeEntry >= 0 &&
      t.hoursBeforeEntry <= when.positiveTest.withinHours;
    if (!has) unmet.push('positiveTest');
  }
  return unmet;
}

function decide(
  ruleset: ArrivalRuleSet,
  rule: Rule,
  facts: ArrivalFacts,
  trace: RuleTrace[],
): ArrivalDecision {
  const o = rule.then;
  const start = facts.entryDate;
  const testDays = [...o.testDays];
  const testDates = testDays.map((d) => dateOfDay(start, d));
  const quarantineEnds = o.quarantineDays > 0 ? dateOfDay(start, o.quarantineDays) : null;
  const monitoringEnds =
    o.monitoringDays > 0 ? dateOfDay(start, o.quarantineDays + o.monitoringDays) : null;
  const legalBasis = rule.legalBasis ?? ruleset.legalBasis;
  const ctx: ExplainContext = {
    facts,
    rule,
    legalBasis,
    testDays,
    testDates,
    quarantineEnds,
    monitoringEnds,
    fullAfterDays: ruleset.definitions.fullyVaccinatedAfterDays,
  };
  return {
    action: o.action,
    quarantineDays: o.quarantineDays,
    monitoringDays: o.monitoringDays,
    testDays,
    testDates,
    testAtCheckpoint: o.testAtCheckpoint,
    isolate: o.isolate,
    quarantineEnds,
    monitoringEnds,
    rulesetId: ruleset.id,
    ruleId: rule.id,
    legalBasis,
    confidence: rule.confidence,
    explanation: {
      vi: renderTemplate(o.explanation.vi, 'vi', ctx),
      en: renderTemplate(o.explanation.en, 'en', ctx),
    },
    facts,
    trace,
  };
}

interface ExplainContext {
  facts: ArrivalFacts;
  rule: Rule;
  legalBasis: LegalBasis;
  testDays: number[];
  testDates: IsoDate[];
  quarantineEnds: IsoDate | null;
  monitoringEnds: IsoDate | null;
  fullAfterDays: number;
}

type Lang = 'vi' | 'en';

/** Dates read dd/mm/yyyy in both languages (English as in Britain), as the seeds write them. */
function fmtDate(date: IsoDate | null, _lang: Lang): string | null {
  return date === null ? null : formatViDate(date);
}

function describeVaccination(
  v: ArrivalFacts['vaccination'],
  lang: Lang,
  fullAfterDays: number,
): string {
  const last = fmtDate(v.lastDoseDate, lang);
  const n = `${v.doses}/${v.primarySeriesDoses}`;
  if (lang === 'vi') {
    switch (v.reason) {
      case 'no_dose':
        return 'chưa tiêm vắc xin';
      case 'series_incomplete':
        return `tiêm chưa đủ liều vắc xin (${n} mũi)`;
      case 'last_dose_date_unknown':
        return `tiêm ${n} mũi vắc xin, không rõ ngày tiêm mũi cuối`;
      case 'last_dose_too_recent':
        return `tiêm ${n} mũi vắc xin, mũi cuối ngày ${last} chưa đủ ${fullAfterDays} ngày`;
      default:
        return `đã tiêm đủ liều vắc xin (mũi cuối ngày ${last})`;
    }
  }
  switch (v.reason) {
    case 'no_dose':
      return 'unvaccinated';
    case 'series_incomplete':
      return `partly vaccinated (${v.doses} of ${v.primarySeriesDoses} doses)`;
    case 'last_dose_date_unknown':
      return `${v.doses} of ${v.primarySeriesDoses} doses, date of the last dose unknown`;
    case 'last_dose_too_recent':
      return `${v.doses} of ${v.primarySeriesDoses} doses, the last on ${last}, less than ${fullAfterDays} days ago`;
    default:
      return `fully vaccinated (last dose ${last})`;
  }
}

function placeholderValue(name: Placeholder, lang: Lang, ctx: ExplainContext): string | null {
  const { facts, rule } = ctx;
  const level = facts.originLevel;
  switch (name) {
    case 'origin':
      return level === null
        ? facts.origin.name
        : `${facts.origin.name} (${lang === 'vi' ? 'cấp độ' : 'level'} ${level})`;
    case 'originName':
      return facts.origin.name;
    case 'level':
      return level === null ? null : String(level);
    case 'vaccination':
      return describeVaccination(facts.vaccination, lang, ctx.fullAfterDays);
    case 'doses':
      return String(facts.vaccination.doses);
    case 'primarySeriesDoses':
      return String(facts.vaccination.primarySeriesDoses);
    case 'recoveredOn':
      return fmtDate(facts.recoveredOn, lang);
    case 'recoveredWithinDays':
      return rule.when.recoveredWithinDays === undefined
        ? null
        : String(rule.when.recoveredWithinDays);
    case 'negativeTestHours':
      return rule.when.negativeTest ? String(rule.when.negativeTest.withinHours) : null;
    case 'symptoms':
      return facts.symptoms.length
        ? facts.symptoms.map((s) => SYMPTOM_WORDS[s]?.[lang] ?? s).join(', ')
        : null;
    case 'quarantineDays':
      return String(rule.then.quarantineDays);
    case 'monitoringDays':
      return String(rule.then.monitoringDays);
    case 'testDays':
      return ctx.testDays.length ? ctx.testDays.join(', ') : null;
    case 'testDates':
      return ctx.testDates.length ? ctx.testDates.map((d) => fmtDate(d, lang)).join(', ') : null;
    case 'quarantineEnds':
      return fmtDate(ctx.quarantineEnds, lang);
    case 'monitoringEnds':
      return fmtDate(ctx.monitoringEnds, lang);
    case 'entryDate':
      return fmtDate(facts.entryDate, lang);
    case 'basis':
      return ctx.legalBasis.number;
  }
}

/** Fills a template's {placeholders}; a value that does not exist renders as '—'. */
function renderTemplate(template: string, lang: Lang, ctx: ExplainContext): string {
  return template.replace(PLACEHOLDER_RE, (whole, name: string) =>
    isPlaceholder(name) ? (placeholderValue(name, lang, ctx) ?? '—') : whole,
  );
}
