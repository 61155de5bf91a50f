/**
 * Versioned rule sets as data. A rule set carries its legal basis, issuer, validity and how sure we
 * are of it; its rules are tried in order and the first whose conditions all hold decides; the
 * last rule has no conditions and catches everything else. Administrators add or edit rule sets
 * without a code change: everything here is plain JSON (store it as is, check it with
 * `validateRuleSet` before saving).
 *
 * Only one kind so far: 'arrival_classification' (what happens to a person entering the province,
 * from origin area, vaccination, recovery, recent test and symptoms). `classifyArrival` in
 * entry.ts applies it.
 */
import { compare, isValidIsoDate, isWithin, type IsoDate } from './dates.ts';

export type RuleSetKind = 'arrival_classification';
export type Confidence = 'sure' | 'reconstructed';
export type EpidemicLevel = 1 | 2 | 3 | 4;
export type VaccinationStatus = 'full' | 'partial' | 'none';
export type TestType = 'pcr' | 'rapid';

export const ARRIVAL_ACTIONS = [
  'centralised_quarantine',
  'home_quarantine',
  'self_monitoring',
  'test_at_checkpoint',
  'none',
] as const;
export type ArrivalAction = (typeof ARRIVAL_ACTIONS)[number];

export const ARRIVAL_ACTION_LABELS: Record<ArrivalAction, { vi: string; en: string }> = {
  centralised_quarantine: { vi: 'Cách ly tập trung', en: 'Centralised quarantine' },
  home_quarantine: { vi: 'Cách ly tại nhà', en: 'Home quarantine' },
  self_monitoring: { vi: 'Tự theo dõi sức khỏe', en: 'Self-monitoring' },
  test_at_checkpoint: { vi: 'Xét nghiệm tại chốt', en: 'Test at the checkpoint' },
  none: { vi: 'Không áp dụng biện pháp', en: 'No measure' },
};

export interface LegalBasis {
  /** As documents cite it: 'CV 8399/BYT-MT'. */
  number: string;
  /** Date of issue. */
  date: IsoDate;
  title: string;
  url?: string;
}

/** Definitions the facts are derived with (data, so that a new directive can change them). */
export interface ArrivalDefinitions {
  /** Fully vaccinated = primary series complete and its last dose at least this many days before entry. */
  fullyVaccinatedAfterDays: number;
  /** An origin counts as an epidemic area (vùng dịch) when its level is at least this. */
  epidemicAreaMinLevel: EpidemicLevel;
}

/**
 * Conditions of a rule; all that are present must hold. None at all: the fallback rule.
 * The names are what a decision's trace reports as unmet.
 */
export interface RuleConditions {
  /** The arrival declares at least one symptom (true) or none (false). */
  hasSymptoms?: boolean;
  /** The origin's level (most specific area in force on the entry date) ≥ epidemicAreaMinLevel. */
  fromEpidemicArea?: boolean;
  /** The origin's level is one of these (an origin in no area has no level and never matches). */
  originLevels?: EpidemicLevel[];
  /** The vaccination status (see ArrivalDefinitions) is one of these. */
  vaccination?: VaccinationStatus[];
  /** Recovered from COVID-19 at most this many days before the entry date. */
  recoveredWithinDays?: number;
  /**
   * A negative test of one of `types`, taken at most `withinHours` before entry, is present
   * (`present: true`) or absent (`present: false`).
   */
  negativeTest?: { withinHours: number; types: TestType[]; present: boolean };
  /** A positive test of one of `types` taken at most `withinHours` before entry (or on the spot). */
  positiveTest?: { withinHours: number; types: TestType[] };
}

export interface RuleOutcome {
  action: ArrivalAction;
  /** Quarantine days, counted from the entry date as day 1. */
  quarantineDays: number;
  /** Self-monitoring days after the quarantine (days quarantineDays+1 … quarantineDays+monitoringDays). */
  monitoringDays: number;
  /** Test days as day numbers (day 1 = entry date), increasing. */
  testDays: number[];
  /** The day-1 test is a rapid test at the checkpoint, before the person goes on. */
  testAtCheckpoint: boolean;
  /** Isolate the person at once (temporary isolation, referral to a health facility). */
  isolate: boolean;
  /**
   * Templates with {placeholders} (see EXPLANATION_PLACEHOLDERS); Vietnamese dates are written
   * dd/mm/yyyy, English ones YYYY-MM-DD.
   */
  explanation: { vi: string; en: string };
}

export interface Rule {
  id: string;
  when: RuleConditions;
  then: RuleOutcome;
  confidence: Confidence;
  /** Where the rule comes from, and any decision taken in writing it. */
  notes: string;
  /** When this rule rests on a different document than its rule set. */
  legalBasis?: LegalBasis;
}

export interface ArrivalRuleSet {
  id: string;
  kind: 'arrival_classification';
  name: string;
  legalBasis: LegalBasis;
  issuer: string;
  scope: 'national' | 'provincial';
  /**
   * A provincial rule set that takes precedence over national rule sets while it is in force,
   * even over a national one that starts later (provinces may be stricter). See rulesetInForce.
   */
  overrides: boolean;
  validFrom: IsoDate;
  /** Last day in force (inclusive); null while open-ended. */
  validTo: IsoDate | null;
  confidence: Confidence;
  notes: string;
  definitions: ArrivalDefinitions;
  rules: Rule[];
}

export type RuleSet = ArrivalRuleSet;

/** What a rule set needs for `rulesetInForce` (any kind of rule set). */
export interface VersionedRuleSet {
  id: string;
  kind: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  overrides?: boolean;
}

/**
 * The rule set of `kind` in force on `date`, or null. In force: validFrom ≤ date ≤ validTo (both
 * days included). Precedence among several in force:
 * 1. a rule set marked `overrides` (a provincial one stricter than the ministry's) beats one that
 *    is not, whatever their start dates: a later national directive does not silently end a
 *    provincial one; the province ends it by setting its validTo;
 * 2. otherwise the most recent validFrom wins (a newer directive supersedes an older one);
 * 3. on the same validFrom, the greater id wins, so that the answer never depends on list order.
 */
export function rulesetInForce<T extends VersionedRuleSet>(
  rulesets: readonly T[],
  kind: T['kind'],
  date: IsoDate,
): T | null {
  if (!isValidIsoDate(date)) return null;
  let best: T | null = null;
  for (const rs of rulesets) {
    if (rs.kind !== kind || !isValidIsoDate(rs.validFrom)) continue;
    if (rs.validTo !== null && !isValidIsoDate(rs.validTo)) continue;
    if (!isWithin(date, rs.validFrom, rs.validTo)) continue;
    if (best === null || outranks(rs, best)) best = rs;
  }
  return best;
}

function outranks(a: VersionedRuleSet, b: VersionedRuleSet): boolean {
  const ao = a.overrides === true;
  const bo = b.overrides === true;
  if (ao !== bo) return ao;
  const c = compare(a.validFrom, b.validFrom);
  if (c !== 0) return c > 0;
  return a.id > b.id;
}

/**
 * Placeholders an explanation template may use. `needs` names what the rule must guarantee for
 * the value to exist (checked by validateRuleSet); otherwise it renders as '—'.
 */
export const EXPLANATION_PLACEHOLDERS = {
  origin: 'origin name, with its level when it has one: "Thành phố Hà Nội (cấp độ 4)"',
  originName: 'origin name as given',
  level: 'origin level (needs fromEpidemicArea: true or originLevels)',
  vaccination: 'vaccination status in words: "chưa tiêm vắc xin" / "unvaccinated"',
  doses: 'doses received',
  primarySeriesDoses: 'doses of the primary series',
  recoveredOn: 'recovery date (needs recoveredWithinDays)',
  recoveredWithinDays: "the rule's recovery window in days (needs recoveredWithinDays)",
  negativeTestHours: "the rule's test window in hours (needs negativeTest)",
  symptoms: 'declared symptoms in words (needs hasSymptoms: true)',
  quarantineDays: 'quarantine days',
  monitoringDays: 'self-monitoring days',
  testDays: 'test day numbers: "1, 7, 14" (needs testDays)',
  testDates: 'test dates (needs testDays)',
  quarantineEnds: 'last day of quarantine (needs quarantineDays > 0)',
  monitoringEnds: 'last day of self-monitoring (needs monitoringDays > 0)',
  entryDate: 'entry date',
  basis: "the rule's (or rule set's) legal basis number: 'CV 8399/BYT-MT'",
} as const;
export type Placeholder = keyof typeof EXPLANATION_PLACEHOLDERS;

export function isPlaceholder(name: string): name is Placeholder {
  return Object.prototype.hasOwnProperty.call(EXPLANATION_PLACEHOLDERS, name);
}

export const PLACEHOLDER_RE = /\{(\w+)\}/g;

export interface RuleSetIssue {
  path: string;
  message: string;
}

const LEVELS: readonly number[] = [1, 2, 3, 4];
const STATUSES: readonly string[] = ['full', 'partial', 'none'];
const TEST_TYPES: readonly string[] = ['pcr', 'rapid'];
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** Everything wrong with a rule set (empty when it can be used); messages in Vietnamese. */
export function validateRuleSet(rs: ArrivalRuleSet): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  if (!rs.id?.trim()) add('id', 'Thiếu mã bộ quy tắc');
  if (rs.kind !== 'arrival_classification') add('kind', 'Loại bộ quy tắc không hợp lệ');
  if (!rs.name?.trim()) add('name', 'Thiếu tên');
  if (!rs.issuer?.trim()) add('issuer', 'Thiếu cơ quan ban hành');
  if (!rs.legalBasis?.number?.trim()) add('legalBasis.number', 'Thiếu số văn bản');
  if (!isValidIsoDate(rs.legalBasis?.date)) add('legalBasis.date', 'Ngày văn bản không hợp lệ');
  if (!rs.legalBasis?.title?.trim()) add('legalBasis.title', 'Thiếu trích yếu văn bản');
  if (rs.confidence !== 'sure' && rs.confidence !== 'reconstructed') {
    add('confidence', 'Độ tin cậy phải là sure hoặc reconstructed');
  }
  if (rs.scope !== 'national' && rs.scope !== 'provincial') add('scope', 'Phạm vi không hợp lệ');
  if (rs.overrides && rs.scope !== 'provincial') {
    add('overrides', 'Chỉ bộ quy tắc cấp tỉnh mới được ưu tiên hơn quy định trung ương');
  }
  if (!isValidIsoDate(rs.validFrom)) add('validFrom', 'Ngày bắt đầu hiệu lực không hợp lệ');
  if (rs.validTo !== null && !isValidIsoDate(rs.validTo)) {
    add('validTo', 'Ngày hết hiệu lực không hợp lệ');
  } else if (
    rs.validTo !== null &&
    isValidIsoDate(rs.validFrom) &&
    compare(rs.validTo, rs.validFrom) < 0
  ) {
    add('validTo', 'Ngày hết hiệu lực trước ngày bắt đầu');
  }
  if (!isCount(rs.definitions?.fullyVaccinatedAfterDays)) {
    add('definitions.fullyVaccinatedAfterDays', 'Phải là số ngày nguyên ≥ 0');
  }
  if (!LEVELS.includes(rs.definitions?.epidemicAreaMinLevel)) {
    add('definitions.epidemicAreaMinLevel', 'Cấp độ phải từ 1 đến 4');
  }

  if (!Array.isArray(rs.rules) || rs.rules.length === 0) {
    add('rules', 'Cần ít nhất một quy tắc');
    return issues;
  }
  const seen = new Set<string>();
  rs.rules.forEach((rule, i) => {
    const p = `rules[${i}]`;
    if (!rule.id?.trim()) add(`${p}.id`, 'Thiếu mã quy tắc');
    else if (seen.has(rule.id)) add(`${p}.id`, `Mã quy tắc trùng: ${rule.id}`);
    seen.add(rule.id);
    const isLast = i === rs.rules.length - 1;
    const conditionCount = Object.keys(rule.when ?? {}).length;
    if (isLast && conditionCount > 0) {
      add(`${p}.when`, 'Quy tắc cuối cùng phải là quy tắc mặc định (không có điều kiện)');
    }
    if (!isLast && conditionCount === 0) {
      add(
        `${p}.when`,
        'Quy tắc không điều kiện chỉ được đứng cuối (các quy tắc sau sẽ không bao giờ được dùng)',
      );
    }
    if (rule.confidence !== 'sure' && rule.confidence !== 'reconstructed') {
      add(`${p}.confidence`, 'Độ tin cậy phải là sure hoặc reconstructed');
    }
    if (
      rule.legalBasis &&
      (!rule.legalBasis.number?.trim() || !isValidIsoDate(rule.legalBasis.date))
    ) {
      add(`${p}.legalBasis`, 'Căn cứ pháp lý của quy tắc không hợp lệ');
    }
    validateConditions(rule.when ?? {}, `${p}.when`, add);
    validateOutcome(rule, `${p}.then`, add);
  });
  return issues;
}

function validateConditions(
  when: RuleConditions,
  p: string,
  add: (path: string, message: string) => void,
): void {
  const known = [
    'hasSymptoms',
    'fromEpidemicArea',
    'originLevels',
    'vaccination',
    'recoveredWithinDays',
    'negativeTest',
    'positiveTest',
  ];
  for (const key of Object.keys(when)) {
    if (!known.includes(key)) add(`${p}.${key}`, `Điều kiện không được hỗ trợ: ${key}`);
  }
  if (when.hasSymptoms !== undefined && typeof when.hasSymptoms !== 'boolean') {
    add(`${p}.hasSymptoms`, 'Phải là true hoặc false');
  }
  if (when.fromEpidemicArea !== undefined && typeof when.fromEpidemicArea !== 'boolean') {
    add(`${p}.fromEpidemicArea`, 'Phải là true hoặc false');
  }
  if (
    when.originLevels !== undefined &&
    (!Array.isArray(when.originLevels) ||
      when.originLevels.length === 0 ||
      !when.originLevels.every((l) => LEVELS.includes(l)))
  ) {
    add(`${p}.originLevels`, 'Danh sách cấp độ từ 1 đến 4, không rỗng');
  }
  if (
    when.vaccination !== undefined &&
    (!Array.isArray(when.vaccination) ||
      when.vaccination.length === 0 ||
      !when.vaccination.every((v) => STATUSES.includes(v)))
  ) {
    add(`${p}.vaccination`, 'Danh sách gồm full, partial, none, không rỗng');
  }
  if (when.recoveredWithinDays !== undefined && !isCount(when.recoveredWithinDays)) {
    add(`${p}.recoveredWithinDays`, 'Phải là số ngày nguyên ≥ 0');
  }
  if (when.negativeTest !== undefined) {
    const t = when.negativeTest;
    if (typeof t.withinHours !== 'number' || !(t.withinHours > 0)) {
      add(`${p}.negativeTest.withinHours`, 'Phải là số giờ > 0');
    }
    if (
      !Array.isArray(t.types) ||
      t.types.length === 0 ||
      !t.types.every((x) => TEST_TYPES.includes(x))
    ) {
      add(`${p}.negativeTest.types`, 'Danh sách gồm pcr, rapid, không rỗng');
    }
    if (typeof t.present !== 'boolean') add(`${p}.negativeTest.present`, 'Phải là true hoặc false');
  }
  if (when.positiveTest !== undefined) {
    const t = when.positiveTest;
    if (typeof t.withinHours !== 'number' || !(t.withinHours > 0)) {
      add(`${p}.positiveTest.withinHours`, 'Phải là số giờ > 0');
    }
    if (
      !Array.isArray(t.types) ||
      t.types.length === 0 ||
      !t.types.every((x) => TEST_TYPES.includes(x))
    ) {
      add(`${p}.positiveTest.types`, 'Danh sách gồm pcr, rapid, không rỗng');
    }
  }
}

function validateOutcome(
  rule: Rule,
  p: string,
  add: (path: string, message: string) => void,
): void {
  const o = rule.then;
  if (!o || !ARRIVAL_ACTIONS.includes(o.action)) {
    add(`${p}.action`, 'Biện pháp không hợp lệ');
    return;
  }
  const q = o.quarantineDays;
  const m = o.monitoringDays;
  if (!isCount(q)) add(`${p}.quarantineDays`, 'Phải là số ngày nguyên ≥ 0');
  if (!isCount(m)) add(`${p}.monitoringDays`, 'Phải là số ngày nguyên ≥ 0');
  if ((o.action === 'centralised_quarantine' || o.action === 'home_quarantine') && !(q > 0)) {
    add(`${p}.quarantineDays`, 'Cách ly cần số ngày cách ly > 0');
  }
  if (o.action === 'self_monitoring' && (q !== 0 || !(m > 0))) {
    add(`${p}.monitoringDays`, 'Tự theo dõi: 0 ngày cách ly và số ngày theo dõi > 0');
  }
  if (o.action === 'none' && (q !== 0 || m !== 0 || o.testDays?.length || o.testAtCheckpoint)) {
    add(`${p}`, 'Không áp dụng biện pháp: không có ngày cách ly, theo dõi hay xét nghiệm');
  }
  if (o.action === 'test_at_checkpoint' && (!o.testAtCheckpoint || o.testDays?.[0] !== 1)) {
    add(`${p}.testAtCheckpoint`, 'Xét nghiệm tại chốt: testAtCheckpoint và xét nghiệm ngày 1');
  }
  if (o.testAtCheckpoint && o.testDays?.[0] !== 1) {
    add(`${p}.testDays`, 'Xét nghiệm tại chốt là xét nghiệm ngày 1: testDays phải bắt đầu bằng 1');
  }
  if (typeof o.isolate !== 'boolean') add(`${p}.isolate`, 'Phải là true hoặc false');
  if (typeof o.testAtCheckpoint !== 'boolean')
    add(`${p}.testAtCheckpoint`, 'Phải là true hoặc false');
  const lastDay = Math.max((isCount(q) ? q : 0) + (isCount(m) ? m : 0), 1);
  if (!Array.isArray(o.testDays)) {
    add(`${p}.testDays`, 'Phải là danh sách số ngày');
  } else {
    o.testDays.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 1 || d > lastDay) {
        add(`${p}.testDays[${i}]`, `Ngày xét nghiệm phải từ 1 đến ${lastDay}`);
      } else if (i > 0 && d <= (o.testDays[i - 1] ?? 0)) {
        add(`${p}.testDays[${i}]`, 'Ngày xét nghiệm phải tăng dần');
      }
    });
  }
  for (const lang of ['vi', 'en'] as const) {
    const text = o.explanation?.[lang];
    if (typeof text !== 'string' || !text.trim()) {
      add(`${p}.explanation.${lang}`, 'Thiếu lời giải thích');
      continue;
    }
    for (const match of text.matchAll(PLACEHOLDER_RE)) {
      const name = match[1] ?? '';
      if (!isPlaceholder(name)) {
        add(`${p}.explanation.${lang}`, `Biến không được hỗ trợ: {${name}}`);
        continue;
      }
      const missing = placeholderUnavailable(name, rule);
      if (missing) add(`${p}.explanation.${lang}`, `{${name}} ${missing}`);
    }
  }
}

/** Why a placeholder may have no value for this rule, or null when it always has one. */
function placeholderUnavailable(name: Placeholder, rule: Rule): string | null {
  const w = rule.when ?? {};
  const o = rule.then;
  switch (name) {
    case 'level':
      return w.fromEpidemicArea === true || w.originLevels ? null : 'cần điều kiện về cấp độ vùng';
    case 'recoveredOn':
    case 'recoveredWithinDays':
      return w.recoveredWithinDays !== undefined ? null : 'cần điều kiện recoveredWithinDays';
    case 'negativeTestHours':
      return w.negativeTest ? null : 'cần điều kiện negativeTest';
    case 'symptoms':
      return w.hasSymptoms === true ? null : 'cần điều kiện hasSymptoms: true';
    case 'testDays':
    case 'testDates':
      return o.testDays?.length ? null : 'cần ít nhất một ngày xét nghiệm';
    case 'quarantineEnds':
      return o.quarantineDays > 0 ? null : 'cần số ngày cách ly > 0';
    case 'monitoringEnds':
      return o.monitoringDays > 0 ? null : 'cần số ngày theo dõi > 0';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The rule sets epiguard ships (RULES.md, "Arrivals from epidemic areas").

const CV_8399: LegalBasis = {
  number: 'CV 8399/BYT-MT',
  date: '2021-10-06',
  // Paraphrased: RULES.md gives the number, date and content, not the exact title.
  title: 'Hướng dẫn về y tế đối với người đến/về từ vùng có dịch COVID-19',
};

const SYMPTOMS_VI =
  'Về từ {origin}, có triệu chứng ({symptoms}) → test nhanh tại chốt và cách ly tạm thời, chuyển cơ sở y tế; phân loại lại theo kết quả xét nghiệm — theo {basis}';
const SYMPTOMS_EN =
  'From {origin}, with symptoms ({symptoms}) → rapid test at the checkpoint and temporary isolation, referral to a health facility; reclassify on the test result — under {basis}';

const POSITIVE_VI =
  'Về từ {origin}, có kết quả xét nghiệm dương tính → cách ly tạm thời ngay, lấy mẫu RT-PCR khẳng định, báo trạm y tế; phân loại lại theo kết quả — theo {basis}';
const POSITIVE_EN =
  'From {origin}, with a positive test → immediate temporary isolation, RT-PCR sample to confirm, health station informed; reclassify on the result — under {basis}';

/**
 * First rule of every shipped set: a positive test (the rapid test done at the checkpoint, or a
 * declared one within 72 hours) is a suspected F0 (RULES.md, F0 definitions), whatever the origin.
 */
const positiveTestRule = (id: string): Rule => ({
  id,
  when: { positiveTest: { withinHours: 72, types: ['pcr', 'rapid'] } },
  then: {
    action: 'test_at_checkpoint',
    quarantineDays: 0,
    monitoringDays: 0,
    testDays: [1],
    testAtCheckpoint: true,
    isolate: true,
    explanation: { vi: POSITIVE_VI, en: POSITIVE_EN },
  },
  confidence: 'reconstructed',
  notes:
    'Not in RULES.md as an arrival rule: epiguard default drawn from the F0 definitions (a positive ' +
    'rapid test needs RT-PCR confirmation unless the person is an F1). Without it a positive rapid ' +
    'test at the checkpoint would be read only as "no negative test".',
});

/** CV 8399/BYT-MT of 06/10/2021: arrivals from epidemic areas by vaccination status. */
export const RULESET_CV8399: ArrivalRuleSet = {
  id: 'arrival-cv8399-2021-10-06',
  kind: 'arrival_classification',
  name: 'Phân loại người đến/về từ vùng dịch theo CV 8399/BYT-MT',
  legalBasis: CV_8399,
  issuer: 'Bộ Y tế',
  scope: 'national',
  overrides: false,
  validFrom: '2021-10-06',
  validTo: null,
  confidence: 'sure',
  notes:
    'Durations and test days as RULES.md states them (sure). Decisions of epiguard, each marked on its rule: ' +
    'symptoms are handled first whatever the origin; the unvaccinated go to centralised quarantine; ' +
    'an origin is an epidemic area from level 2 (definitions.epidemicAreaMinLevel): level 1 (green, ' +
    '"new normal" under QĐ 4800/QĐ-BYT six days later) is not; an arrival not from an epidemic area ' +
    'gets no measure. Fully vaccinated = primary series complete, last dose ≥ 14 days before entry ' +
    '(definitions.fullyVaccinatedAfterDays); recovered = within 180 days ("6 months"). ' +
    'Legal basis title paraphrased: check it against the letter.',
  definitions: { fullyVaccinatedAfterDays: 14, epidemicAreaMinLevel: 2 },
  rules: [
    positiveTestRule('cv8399-positive-test'),
    {
      id: 'cv8399-symptoms',
      when: { hasSymptoms: true },
      then: {
        action: 'test_at_checkpoint',
        quarantineDays: 0,
        monitoringDays: 0,
        testDays: [1],
        testAtCheckpoint: true,
        isolate: true,
        explanation: { vi: SYMPTOMS_VI, en: SYMPTOMS_EN },
      },
      confidence: 'reconstructed',
      notes:
        'Not in RULES.md: epiguard default. Anyone arriving with symptoms (fever, cough, shortness of ' +
        'breath…), from any origin and whatever their vaccination, is tested at the checkpoint and ' +
        'isolated until the result, then classified again; the rules below assume no symptoms.',
    },
    {
      id: 'cv8399-full',
      when: { fromEpidemicArea: true, vaccination: ['full'] },
      then: {
        action: 'self_monitoring',
        quarantineDays: 0,
        monitoringDays: 7,
        testDays: [1],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, {vaccination} → tự theo dõi sức khỏe {monitoringDays} ngày (đến hết {monitoringEnds}); xét nghiệm ngày {testDays} ({testDates}) — theo {basis}',
          en: 'From {origin}, {vaccination} → self-monitoring {monitoringDays} days (until {monitoringEnds}); tests on days {testDays} ({testDates}) — under {basis}',
        },
      },
      confidence: 'sure',
      notes:
        'RULES.md: fully vaccinated → self-monitoring 7 days, test day 1. A complete series whose last ' +
        'dose is less than 14 days old counts as partial.',
    },
    {
      id: 'cv8399-recovered',
      when: { fromEpidemicArea: true, recoveredWithinDays: 180 },
      then: {
        action: 'self_monitoring',
        quarantineDays: 0,
        monitoringDays: 7,
        testDays: [1],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, đã khỏi COVID-19 ngày {recoveredOn} (trong vòng {recoveredWithinDays} ngày) → tự theo dõi sức khỏe {monitoringDays} ngày (đến hết {monitoringEnds}); xét nghiệm ngày {testDays} ({testDates}) — theo {basis}',
          en: 'From {origin}, recovered from COVID-19 on {recoveredOn} (within {recoveredWithinDays} days) → self-monitoring {monitoringDays} days (until {monitoringEnds}); tests on days {testDays} ({testDates}) — under {basis}',
        },
      },
      confidence: 'sure',
      notes: 'RULES.md: recovered ≤ 6 months → as fully vaccinated. 6 months taken as 180 days.',
    },
    {
      id: 'cv8399-partial',
      when: { fromEpidemicArea: true, vaccination: ['partial'] },
      then: {
        action: 'home_quarantine',
        quarantineDays: 7,
        monitoringDays: 7,
        testDays: [1, 7],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, {vaccination} → cách ly tại nhà {quarantineDays} ngày + tự theo dõi {monitoringDays} ngày (đến hết {monitoringEnds}); xét nghiệm ngày {testDays} ({testDates}) — theo {basis}',
          en: 'From {origin}, {vaccination} → home quarantine {quarantineDays} days + self-monitoring {monitoringDays} days (until {monitoringEnds}); tests on days {testDays} ({testDates}) — under {basis}',
        },
      },
      confidence: 'sure',
      notes:
        'RULES.md: partly vaccinated → home quarantine 7 days + self-monitoring 7 days; tests days 1 and 7.',
    },
    {
      id: 'cv8399-unvaccinated',
      when: { fromEpidemicArea: true, vaccination: ['none'] },
      then: {
        action: 'centralised_quarantine',
        quarantineDays: 14,
        monitoringDays: 14,
        testDays: [1, 7, 14],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, {vaccination} → cách ly tập trung {quarantineDays} ngày + tự theo dõi {monitoringDays} ngày (đến hết {monitoringEnds}); xét nghiệm ngày {testDays} ({testDates}) — theo {basis}',
          en: 'From {origin}, {vaccination} → centralised quarantine {quarantineDays} days + self-monitoring {monitoringDays} days (until {monitoringEnds}); tests on days {testDays} ({testDates}) — under {basis}',
        },
      },
      confidence: 'sure',
      notes:
        'RULES.md: unvaccinated → "quarantine 14 days + self-monitoring 14 days; tests days 1, 7, 14" ' +
        'without saying where. Decision: centralised (cách ly tập trung), as the example text of ' +
        'issue 3 says; a province that allowed home quarantine for the unvaccinated changes the action ' +
        'to home_quarantine.',
    },
    {
      id: 'cv8399-not-epidemic-area',
      when: {},
      then: {
        action: 'none',
        quarantineDays: 0,
        monitoringDays: 0,
        testDays: [],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, không thuộc vùng dịch → không áp dụng biện pháp cách ly, theo dõi — theo {basis}',
          en: 'From {origin}, not an epidemic area → no quarantine or monitoring — under {basis}',
        },
      },
      confidence: 'sure',
      notes:
        'Fallback. Every arrival from an epidemic area matched a rule above (the vaccination status is ' +
        'always full, partial or none), so what reaches here is not from an epidemic area.',
    },
  ],
};

const DB_2106: LegalBasis = {
  number: 'CV 2106/UBND-KGVX',
  date: '2021-07-08',
  title:
    'Về việc tiếp tục tăng cường quản lý, cách ly y tế đối với người từ vùng dịch đến/về tỉnh Điện Biên để phòng, chống dịch bệnh COVID-19',
};

const DB_2299: LegalBasis = {
  number: 'CV 2299/UBND-KGVX',
  date: '2021-07-23',
  title:
    'Về việc triển khai các biện pháp cấp bách trong phòng chống dịch COVID-19 trên địa bàn tỉnh Điện Biên',
};

const SEED = 'seed 000 (Điện Biên report to 18h 01/8/2021)';

/**
 * Điện Biên, 07/2021: stricter than the ministry, RECONSTRUCTED from the provincial report (seed
 * 000) and RULES.md; the province's own texts were not available.
 */
export const RULESET_DIENBIEN_2021_07: ArrivalRuleSet = {
  id: 'arrival-dienbien-2021-07',
  kind: 'arrival_classification',
  name: 'Phân loại người đến/về tỉnh Điện Biên (07/2021, tái dựng)',
  legalBasis: DB_2106,
  issuer: 'UBND tỉnh Điện Biên',
  scope: 'provincial',
  overrides: true,
  validFrom: '2021-07-01',
  validTo: '2021-10-05',
  confidence: 'reconstructed',
  notes:
    `RECONSTRUCTED from ${SEED} and RULES.md; correct it when the texts are at hand. ` +
    'Seed line 25 names the documents: CV 2106/UBND-KGVX of 08/7/2021 (managing and quarantining ' +
    'people from epidemic areas) and CV 2299/UBND-KGVX of 23/7/2021 (urgent measures). Line 47: ' +
    'from 0h 24/7/2021, of 8,130 people entering, the 3,640 "chưa có xét nghiệm theo quy định" got a ' +
    'rapid test at the checkpoints. Line 81: people from Hà Nội since 20/7/2021 were split into ' +
    'centralised quarantine 142, home quarantine 701, self-monitoring 721 (line 83, Hồ Chí Minh City: ' +
    '37 centralised, 39 home). Line 37: centralised quarantine lasted 14 days. RULES.md: ~07/2021 ' +
    '14 days centralised + 14 days home monitoring. ' +
    'Reading of levels for 07/2021 (before QĐ 4800 defined them): 4 = under social distancing ' +
    '(Chỉ thị 16) or lockdown; 3 = other areas with community transmission; 2 = areas the ministry ' +
    'lists with cases; 1 = not an epidemic area. The three-way split of line 81 comes from entering ' +
    "Hà Nội's areas at those levels per district/commune (the most specific area wins). " +
    'Not in the seed, chosen: test validity 72 hours (PCR or rapid, as for green-lane permits); home ' +
    'quarantine 14 days; self-monitoring 14 days; tests days 1, 7, 14. validFrom 01/07/2021 as issue ' +
    '3 asks, although the documents are dated 06/07 to 23/07/2021 and the checkpoint test applied ' +
    'from 24/7/2021; validTo 05/10/2021, the day before CV 8399/BYT-MT.',
  definitions: { fullyVaccinatedAfterDays: 14, epidemicAreaMinLevel: 2 },
  rules: [
    positiveTestRule('dienbien-2021-07-positive-test'),
    {
      id: 'db2021-symptoms',
      when: { hasSymptoms: true },
      then: {
        action: 'test_at_checkpoint',
        quarantineDays: 0,
        monitoringDays: 0,
        testDays: [1],
        testAtCheckpoint: true,
        isolate: true,
        explanation: { vi: SYMPTOMS_VI, en: SYMPTOMS_EN },
      },
      confidence: 'reconstructed',
      notes: `${SEED}, line 49: people with signs such as fever, cough, shortness of breath are declared, sampled and isolated.`,
    },
    {
      id: 'db2021-level4',
      when: { originLevels: [4] },
      then: {
        action: 'centralised_quarantine',
        quarantineDays: 14,
        monitoringDays: 14,
        testDays: [1, 7, 14],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, vùng giãn cách xã hội (Chỉ thị 16) → cách ly tập trung {quarantineDays} ngày + theo dõi sức khỏe tại nhà {monitoringDays} ngày (đến hết {monitoringEnds}); xét nghiệm ngày {testDays} ({testDates}) — theo {basis}',
          en: 'From {origin}, under social distancing (Directive 16) → centralised quarantine {quarantineDays} days + home health monitoring {monitoringDays} days (until {monitoringEnds}); tests on days {testDays} ({testDates}) — under {basis}',
        },
      },
      confidence: 'reconstructed',
      notes:
        `${SEED}, lines 37, 81, 83 (centralised quarantine of 14 days; part of the Hà Nội and HCMC arrivals); ` +
        'RULES.md ~07/2021: 14 days centralised + 14 days home monitoring. Test days 1, 7, 14 chosen. ' +
        'Whatever the vaccination (few were vaccinated in 07/2021) and the test: the facility tests on day 1.',
    },
    {
      id: 'db2021-level3-untested',
      when: {
        originLevels: [3],
        negativeTest: { withinHours: 72, types: ['pcr', 'rapid'], present: false },
      },
      then: {
        action: 'home_quarantine',
        quarantineDays: 14,
        monitoringDays: 0,
        testDays: [1, 7, 14],
        testAtCheckpoint: true,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, vùng có dịch, không có kết quả xét nghiệm âm tính trong {negativeTestHours} giờ → test nhanh tại chốt (CV 2299/UBND-KGVX); cách ly tại nhà {quarantineDays} ngày (đến hết {quarantineEnds}); xét nghiệm ngày {testDays} ({testDates}) — theo {basis}',
          en: 'From {origin}, an epidemic area, no negative test within {negativeTestHours} hours → rapid test at the checkpoint (CV 2299/UBND-KGVX); home quarantine {quarantineDays} days (until {quarantineEnds}); tests on days {testDays} ({testDates}) — under {basis}',
        },
      },
      confidence: 'reconstructed',
      notes: `${SEED}, lines 47 and 81 (home quarantine 701 of the Hà Nội arrivals). 14 days and test days chosen; the day-1 test is the checkpoint rapid test.`,
    },
    {
      id: 'db2021-level3',
      when: { originLevels: [3] },
      then: {
        action: 'home_quarantine',
        quarantineDays: 14,
        monitoringDays: 0,
        testDays: [1, 7, 14],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, vùng có dịch → cách ly tại nhà {quarantineDays} ngày (đến hết {quarantineEnds}); xét nghiệm ngày {testDays} ({testDates}) — theo {basis}',
          en: 'From {origin}, an epidemic area → home quarantine {quarantineDays} days (until {quarantineEnds}); tests on days {testDays} ({testDates}) — under {basis}',
        },
      },
      confidence: 'reconstructed',
      notes: `${SEED}, line 81 (home quarantine 701 of the Hà Nội arrivals). 14 days and test days chosen.`,
    },
    {
      id: 'db2021-level2-untested',
      when: {
        originLevels: [2],
        negativeTest: { withinHours: 72, types: ['pcr', 'rapid'], present: false },
      },
      then: {
        action: 'self_monitoring',
        quarantineDays: 0,
        monitoringDays: 14,
        testDays: [1],
        testAtCheckpoint: true,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, không có kết quả xét nghiệm âm tính trong {negativeTestHours} giờ → test nhanh tại chốt (CV 2299/UBND-KGVX); tự theo dõi sức khỏe {monitoringDays} ngày (đến hết {monitoringEnds}) — theo {basis}',
          en: 'From {origin}, no negative test within {negativeTestHours} hours → rapid test at the checkpoint (CV 2299/UBND-KGVX); self-monitoring {monitoringDays} days (until {monitoringEnds}) — under {basis}',
        },
      },
      confidence: 'reconstructed',
      notes: `${SEED}, lines 47 and 81 (self-monitoring 721 of the Hà Nội arrivals). 14 days chosen.`,
    },
    {
      id: 'db2021-level2',
      when: { originLevels: [2] },
      then: {
        action: 'self_monitoring',
        quarantineDays: 0,
        monitoringDays: 14,
        testDays: [],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, có kết quả xét nghiệm âm tính còn hiệu lực → tự theo dõi sức khỏe {monitoringDays} ngày (đến hết {monitoringEnds}) — theo {basis}',
          en: 'From {origin}, with a valid negative test → self-monitoring {monitoringDays} days (until {monitoringEnds}) — under {basis}',
        },
      },
      confidence: 'reconstructed',
      notes: `${SEED}, line 81 (self-monitoring 721 of the Hà Nội arrivals). 14 days chosen; the valid negative test stands for the day-1 test.`,
    },
    {
      id: 'db2021-untested',
      when: { negativeTest: { withinHours: 72, types: ['pcr', 'rapid'], present: false } },
      then: {
        action: 'test_at_checkpoint',
        quarantineDays: 0,
        monitoringDays: 0,
        testDays: [1],
        testAtCheckpoint: true,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, không có kết quả xét nghiệm âm tính trong {negativeTestHours} giờ → test nhanh tại chốt — theo {basis}',
          en: 'From {origin}, no negative test within {negativeTestHours} hours → rapid test at the checkpoint — under {basis}',
        },
      },
      confidence: 'reconstructed',
      legalBasis: DB_2299,
      notes: `${SEED}, line 47: from 24/7/2021 everyone entering without the required test was rapid-tested at the checkpoint (3,640 of 8,130). 72 hours chosen.`,
    },
    {
      id: 'db2021-fallback',
      when: {},
      then: {
        action: 'none',
        quarantineDays: 0,
        monitoringDays: 0,
        testDays: [],
        testAtCheckpoint: false,
        isolate: false,
        explanation: {
          vi: 'Về từ {origin}, không thuộc vùng dịch, có kết quả xét nghiệm âm tính còn hiệu lực → không áp dụng biện pháp cách ly, theo dõi — theo {basis}',
          en: 'From {origin}, not an epidemic area, with a valid negative test → no quarantine or monitoring — under {basis}',
        },
      },
      confidence: 'reconstructed',
      notes:
        'Fallback: not from a level 2–4 area, no symptoms, and (the rule above took the others) a valid negative test.',
    },
  ],
};

/** The rule sets epiguard ships; an administrator adds newer ones beside them. */
export const DEFAULT_RULESETS: readonly ArrivalRuleSet[] = [
  RULESET_DIENBIEN_2021_07,
  RULESET_CV8399,
];
