/**
 * Testing and labs (xét nghiệm): pure rules. What a positive result means under the F0
 * definition in force (rule-set kind 'f0_definition', versioned data with its legal basis), how
 * a pool's result resolves its members (gộp mẫu), which person an uploaded row is, and how a row
 * of an uploaded file is read. No I/O here; src/server/testing/ applies these.
 */
import { isValidIsoDate, parseInstant, type IsoDate } from './dates.ts';
import { parseLabDateTime, parseResultWord } from './lab-file.ts';
import { normaliseIdNumber, normalisePhone, nameKey } from './people.ts';
import type { Confidence, LegalBasis } from './rulesets.ts';
import { fold, nfc } from './text.ts';

export type TestKind = 'pcr' | 'rapid' | 'other';
export const RESULT_VALUES = ['negative', 'positive', 'invalid'] as const;
export type ResultValue = (typeof RESULT_VALUES)[number];
export const RESULT_LABELS: Record<ResultValue, { vi: string; en: string }> = {
  negative: { vi: 'Âm tính', en: 'Negative' },
  positive: { vi: 'Dương tính', en: 'Positive' },
  invalid: { vi: 'Không xác định (làm lại)', en: 'Invalid (repeat)' },
};

export const ORDER_REASONS = [
  'follow_up',
  'contact',
  'screening',
  'workplace',
  'request',
  'pool_retest',
  'confirmation',
  'import',
] as const;
export type OrderReason = (typeof ORDER_REASONS)[number];
export const ORDER_REASON_LABELS: Record<OrderReason, { vi: string; en: string }> = {
  follow_up: { vi: 'Theo dõi sau cách ly / nhập cảnh', en: 'Follow-up' },
  contact: { vi: 'Tiếp xúc gần (F1/F2)', en: 'Contact' },
  screening: { vi: 'Sàng lọc cộng đồng', en: 'Screening campaign' },
  workplace: { vi: 'Xét nghiệm tại nơi làm việc', en: 'Workplace' },
  request: { vi: 'Theo yêu cầu', en: 'On request' },
  pool_retest: { vi: 'Xét nghiệm lại đơn do mẫu gộp dương tính', en: 'Retest of a positive pool' },
  confirmation: { vi: 'Xét nghiệm khẳng định (RT-PCR)', en: 'Confirmation test (RT-PCR)' },
  import: { vi: 'Kết quả tải lên', en: 'Uploaded result' },
};

export const CAMPAIGN_KINDS = [
  'market',
  'bus_station',
  'village',
  'workplace',
  'school',
  'other',
] as const;

// ---------------------------------------------------------------------------------------------
// F0 definitions

/** What is known when a result arrives: this result, the person's recent results, and facts. */
export interface F0Input {
  result: { id?: string; kind: TestKind; value: ResultValue; sampledAt: string };
  /** Other results of the same person (any order); only positives within the windows matter. */
  recent: { id?: string; kind: TestKind; value: ResultValue; sampledAt: string }[];
  /** The person is a confirmed F1 (cases module). */
  confirmedF1: boolean;
  /** The person has an epidemiological link (cases module: contact, cluster, outbreak area). */
  epiLink: boolean;
  /** A suspected case: symptoms declared with the test (optional, false when unknown). */
  symptomatic?: boolean;
}

export type F0Outcome = 'open_case' | 'order_confirmation' | 'none';
export const F0_OUTCOME_LABELS: Record<F0Outcome, { vi: string; en: string }> = {
  open_case: { vi: 'Xác định ca bệnh (F0)', en: 'Confirmed case (F0)' },
  order_confirmation: {
    vi: 'Chỉ định xét nghiệm khẳng định RT-PCR',
    en: 'Confirmation PCR ordered',
  },
  none: { vi: 'Không phải ca bệnh', en: 'Not a case' },
};

export interface F0Conditions {
  /** The result is positive and of this kind. */
  kind?: TestKind;
  confirmedF1?: boolean;
  symptomatic?: boolean;
  epiLink?: boolean;
  /** Another positive rapid test of the person sampled within this many hours of this one. */
  secondRapidWithinHours?: number;
}

export interface F0Rule {
  id: string;
  when: F0Conditions;
  then: { outcome: F0Outcome; explanation: { vi: string; en: string } };
  confidence: Confidence;
  notes?: string;
}

export interface F0RuleSet {
  id: string;
  kind: 'f0_definition';
  name: string;
  legalBasis: LegalBasis;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  confidence: Confidence;
  notes?: string;
  rules: F0Rule[];
}

export interface F0Decision {
  outcome: F0Outcome;
  rulesetId: string;
  ruleId: string;
  explanation: { vi: string; en: string };
  /** The other positive rapid test that made the pair (rule secondRapidWithinHours). */
  pairedResultId?: string;
}

const DEF_2021_12_29: LegalBasis = {
  number: 'Định nghĩa ca bệnh COVID-19 (Bộ Y tế, 29/12/2021)',
  date: '2021-12-29',
  title:
    'Định nghĩa ca bệnh xác định: xét nghiệm RT-PCR dương tính; hoặc F1 có test nhanh kháng nguyên dương tính; hoặc ca nghi ngờ có test nhanh dương tính và yếu tố dịch tễ; hoặc hai lần test nhanh dương tính trong 8 giờ và có yếu tố dịch tễ',
};

const positiveRapidConfirm = (id: string): F0Rule => ({
  id,
  when: { kind: 'rapid' },
  then: {
    outcome: 'order_confirmation',
    explanation: {
      vi: 'Test nhanh dương tính, chưa đủ điều kiện xác định ca bệnh → chỉ định xét nghiệm khẳng định RT-PCR — theo {basis}',
      en: 'Positive rapid test, not enough to confirm a case → confirmation RT-PCR ordered — under {basis}',
    },
  },
  confidence: 'sure',
});

export const F0_2021_12_29: F0RuleSet = {
  id: 'f0-2021-12-29',
  kind: 'f0_definition',
  name: 'Định nghĩa ca bệnh xác định COVID-19 (29/12/2021)',
  legalBasis: DEF_2021_12_29,
  validFrom: '2021-12-29',
  validTo: null,
  confidence: 'sure',
  notes:
    'RULES.md, "F0 / F1 / F2": positive PCR; or an F1 with a positive rapid test; or a suspected case ' +
    'with a positive rapid test and an epidemiological link; or two positive rapid tests within 8 ' +
    'hours with an epidemiological link (29/12/2021 definition). The document number is not in ' +
    'RULES.md: complete legalBasis.number when the text is at hand. A positive rapid test that ' +
    'meets none of these gets a confirmation RT-PCR (epiguard default).',
  rules: [
    {
      id: 'pcr-positive',
      when: { kind: 'pcr' },
      then: {
        outcome: 'open_case',
        explanation: {
          vi: 'Xét nghiệm RT-PCR dương tính (mẫu lấy {sampledAt}) → ca bệnh xác định (F0) — theo {basis}',
          en: 'Positive RT-PCR (sampled {sampledAt}) → confirmed case (F0) — under {basis}',
        },
      },
      confidence: 'sure',
    },
    {
      id: 'f1-rapid-positive',
      when: { kind: 'rapid', confirmedF1: true },
      then: {
        outcome: 'open_case',
        explanation: {
          vi: 'F1 có test nhanh kháng nguyên dương tính (mẫu lấy {sampledAt}) → ca bệnh xác định (F0) — theo {basis}',
          en: 'An F1 with a positive rapid antigen test (sampled {sampledAt}) → confirmed case (F0) — under {basis}',
        },
      },
      confidence: 'sure',
    },
    {
      id: 'suspected-rapid-epi',
      when: { kind: 'rapid', symptomatic: true, epiLink: true },
      then: {
        outcome: 'open_case',
        explanation: {
          vi: 'Ca nghi ngờ (có triệu chứng) có test nhanh dương tính và yếu tố dịch tễ → ca bệnh xác định (F0) — theo {basis}',
          en: 'A suspected case (symptoms) with a positive rapid test and an epidemiological link → confirmed case (F0) — under {basis}',
        },
      },
      confidence: 'sure',
    },
    {
      id: 'two-rapid-8h-epi',
      when: { kind: 'rapid', epiLink: true, secondRapidWithinHours: 8 },
      then: {
        outcome: 'open_case',
        explanation: {
          vi: 'Hai lần test nhanh dương tính trong vòng {hours} giờ và có yếu tố dịch tễ → ca bệnh xác định (F0) — theo {basis}',
          en: 'Two positive rapid tests within {hours} hours and an epidemiological link → confirmed case (F0) — under {basis}',
        },
      },
      confidence: 'sure',
    },
    positiveRapidConfirm('rapid-positive-confirm'),
  ],
};

/**
 * Before 29/12/2021: RECONSTRUCTED, not in RULES.md. Only a positive RT-PCR confirmed a case; a
 * positive rapid test was screened and confirmed by RT-PCR. Kept so that results of 2021 are
 * judged by the definition of their day; the lead may drop it if it is not wanted.
 */
export const F0_BEFORE_2021_12_29: F0RuleSet = {
  id: 'f0-pcr-only-2021',
  kind: 'f0_definition',
  name: 'Ca bệnh xác định bằng RT-PCR (trước 29/12/2021, tái dựng)',
  legalBasis: {
    number: 'Hướng dẫn giám sát COVID-19 của Bộ Y tế (trước 29/12/2021)',
    date: '2021-01-01',
    title: 'Ca bệnh xác định là trường hợp có xét nghiệm RT-PCR dương tính',
  },
  validFrom: '2020-01-23',
  validTo: '2021-12-28',
  confidence: 'reconstructed',
  notes:
    'RECONSTRUCTED: RULES.md gives only the 29/12/2021 definition, which added rapid-test ' +
    'criteria; before it, a case was confirmed by RT-PCR and a positive rapid test led to RT-PCR. ' +
    'validFrom 23/01/2020 (first cases in Viet Nam) chosen.',
  rules: [
    {
      id: 'pcr-positive',
      when: { kind: 'pcr' },
      then: {
        outcome: 'open_case',
        explanation: {
          vi: 'Xét nghiệm RT-PCR dương tính (mẫu lấy {sampledAt}) → ca bệnh xác định (F0) — theo {basis}',
          en: 'Positive RT-PCR (sampled {sampledAt}) → confirmed case (F0) — under {basis}',
        },
      },
      confidence: 'reconstructed',
    },
    { ...positiveRapidConfirm('rapid-positive-confirm'), confidence: 'reconstructed' },
  ],
};

export const DEFAULT_F0_RULESETS: readonly F0RuleSet[] = [F0_BEFORE_2021_12_29, F0_2021_12_29];

/** Problems of an F0 rule set before it is saved (an administrator's edit). */
export function validateF0RuleSet(rs: F0RuleSet): string[] {
  const problems: string[] = [];
  if (rs.kind !== 'f0_definition') problems.push('kind: phải là f0_definition');
  if (!isValidIsoDate(rs.validFrom)) problems.push('validFrom: ngày không hợp lệ');
  if (rs.validTo !== null && (!isValidIsoDate(rs.validTo) || rs.validTo < rs.validFrom))
    problems.push('validTo: không hợp lệ');
  if (!rs.rules.length) problems.push('rules: cần ít nhất một quy tắc');
  const ids = new Set<string>();
  for (const [i, r] of rs.rules.entries()) {
    if (ids.has(r.id)) problems.push(`rules.${i}.id: trùng`);
    ids.add(r.id);
    if (!['open_case', 'order_confirmation', 'none'].includes(r.then.outcome))
      problems.push(`rules.${i}.then.outcome: không hợp lệ`);
  }
  return problems;
}

/** The rule set in force on a date: the latest validFrom that covers it. */
export function f0RulesetOn(sets: readonly F0RuleSet[], date: IsoDate): F0RuleSet | undefined {
  return [...sets]
    .filter((s) => s.validFrom <= date && (s.validTo === null || date <= s.validTo))
    .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
}

const HOUR = 3_600_000;
const viDateTime = (ms: number) => {
  const d = new Date(ms + 7 * HOUR);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
};

/**
 * What a result means under the F0 definition in force on its sample date. Negative and invalid
 * results decide nothing (outcome none, rule 'not-positive'); so does a positive of a kind no
 * rule speaks of.
 */
export function decideF0(input: F0Input, sets: readonly F0RuleSet[]): F0Decision | null {
  const at = parseInstant(input.result.sampledAt);
  if (at === null) return null;
  const date = new Date(at + 7 * HOUR).toISOString().slice(0, 10);
  const rs = f0RulesetOn(sets, date);
  if (!rs) return null;
  const fill = (t: string, vars: Record<string, string>) =>
    t.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
  if (input.result.value !== 'positive') {
    return {
      outcome: 'none',
      rulesetId: rs.id,
      ruleId: 'not-positive',
      explanation: {
        vi: `Kết quả ${RESULT_LABELS[input.result.value].vi.toLowerCase()}: không xác định ca bệnh`,
        en: `${RESULT_LABELS[input.result.value].en} result: no case decision`,
      },
    };
  }
  for (const rule of rs.rules) {
    const w = rule.when;
    if (w.kind && w.kind !== input.result.kind) continue;
    if (w.confirmedF1 !== undefined && w.confirmedF1 !== input.confirmedF1) continue;
    if (w.symptomatic !== undefined && w.symptomatic !== !!input.symptomatic) continue;
    if (w.epiLink !== undefined && w.epiLink !== input.epiLink) continue;
    let paired: string | undefined;
    if (w.secondRapidWithinHours !== undefined) {
      const hit = input.recent.find((r) => {
        if (r.kind !== 'rapid' || r.value !== 'positive') return false;
        if (r.id !== undefined && r.id === input.result.id) return false;
        const t = parseInstant(r.sampledAt);
        return t !== null && t !== at && Math.abs(t - at) <= w.secondRapidWithinHours! * HOUR;
      });
      if (!hit) continue;
      paired = hit.id ?? hit.sampledAt;
    }
    const vars = {
      basis: `${rs.legalBasis.number}`,
      sampledAt: viDateTime(at),
      hours: String(w.secondRapidWithinHours ?? ''),
    };
    return {
      outcome: rule.then.outcome,
      rulesetId: rs.id,
      ruleId: rule.id,
      explanation: {
        vi: fill(rule.then.explanation.vi, vars),
        en: fill(rule.then.explanation.en, vars),
      },
      ...(paired ? { pairedResultId: paired } : {}),
    };
  }
  return {
    outcome: 'none',
    rulesetId: rs.id,
    ruleId: 'no-rule',
    explanation: {
      vi: 'Kết quả dương tính của loại xét nghiệm này không thuộc định nghĩa ca bệnh',
      en: 'A positive result of this test type is not covered by the case definition',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pools (gộp mẫu)

export const POOL_MIN = 2;
export const POOL_MAX = 10;
/** After this many hours without a retest result, a member of a positive pool is overdue. */
export const RETEST_OVERDUE_HOURS = 48;

export type RetestMode = 'same_specimen' | 'new_sample';

export interface PoolMemberState {
  specimenId: string;
  /** The member's own outcome: null while its retest has not come back. */
  outcome: ResultValue | null;
  retestOrderId: string | null;
}

export type PoolPlan =
  | { kind: 'all_negative'; members: { specimenId: string; outcome: 'negative' }[] }
  | { kind: 'retest'; mode: RetestMode; members: { specimenId: string }[] };

/**
 * What a pool's result does: a negative pool makes every member negative; a positive pool
 * orders an individual retest for every member (on the same specimen, or a new sample).
 */
export function planPoolResult(
  result: 'negative' | 'positive',
  specimenIds: string[],
  mode: RetestMode = 'same_specimen',
): PoolPlan {
  if (result === 'negative')
    return {
      kind: 'all_negative',
      members: specimenIds.map((specimenId) => ({ specimenId, outcome: 'negative' })),
    };
  return { kind: 'retest', mode, members: specimenIds.map((specimenId) => ({ specimenId })) };
}

export interface PoolProgress {
  status: 'open' | 'negative' | 'awaiting_retests' | 'resolved';
  pending: string[];
  overdue: string[];
  positives: string[];
}

/** Where a pool stands: which retests are still out, which are overdue, who is positive. */
export function poolProgress(
  pool: { result: 'negative' | 'positive' | null; resultedAt: string | null },
  members: PoolMemberState[],
  nowMs: number,
  overdueHours = RETEST_OVERDUE_HOURS,
): PoolProgress {
  if (!pool.result) return { status: 'open', pending: [], overdue: [], positives: [] };
  if (pool.result === 'negative')
    return { status: 'negative', pending: [], overdue: [], positives: [] };
  // An invalid retest is not an end: it is repeated, so the member stays pending.
  const pending = members
    .filter((m) => m.outcome === null || m.outcome === 'invalid')
    .map((m) => m.specimenId);
  const at = pool.resultedAt ? Date.parse(pool.resultedAt) : nowMs;
  const overdue = nowMs - at > overdueHours * HOUR ? pending : [];
  return {
    status: pending.length ? 'awaiting_retests' : 'resolved',
    pending,
    overdue,
    positives: members.filter((m) => m.outcome === 'positive').map((m) => m.specimenId),
  };
}

// ---------------------------------------------------------------------------------------------
// Matching an uploaded row to a person

export interface MatchKey {
  idNumber: string | null;
  phone: string | null;
  /** nameKey of the full name */
  name: string;
  birthYear: number | null;
  communeCode: string | null;
}

export interface Candidate {
  id: string;
  idNumber: string | null;
  phone: string | null;
  searchName: string;
  birthYear: number;
  communeCode: string;
}

export type MatchResult =
  | { by: 'id_number' | 'phone' | 'name_birth_year'; personId: string }
  | { by: 'create' }
  | { by: 'ambiguous'; count: number }
  | { by: 'conflict'; personId: string; message: string; messageEn: string };

/**
 * Which person a row is, in this order: the ID number; else the phone together with the birth
 * year (a phone is often shared in a family, so the phone alone does not say who); else the
 * folded name and birth year — one candidate, or the one candidate in the row's commune. No
 * match: a new person. Several people and nothing to choose: ambiguous (the row is rejected,
 * never guessed). A row whose ID number belongs to someone of another birth year is a conflict.
 */
export function matchPerson(key: MatchKey, candidates: readonly Candidate[]): MatchResult {
  if (key.idNumber) {
    const byId = candidates.filter((c) => c.idNumber === key.idNumber);
    if (byId.length) {
      const c = byId[0]!;
      if (key.birthYear !== null && c.birthYear !== key.birthYear)
        return {
          by: 'conflict',
          personId: c.id,
          message: `Số giấy tờ ${key.idNumber} thuộc người sinh năm ${c.birthYear}, không phải ${key.birthYear}`,
          messageEn: `ID number ${key.idNumber} belongs to a person born in ${c.birthYear}, not ${key.birthYear}`,
        };
      return { by: 'id_number', personId: c.id };
    }
  }
  if (key.phone && key.birthYear !== null) {
    const byPhone = candidates.filter(
      (c) =>
        c.phone === key.phone && c.birthYear === key.birthYear && !(key.idNumber && c.idNumber),
    );
    if (byPhone.length === 1) return { by: 'phone', personId: byPhone[0]!.id };
    if (byPhone.length > 1) {
      const same = byPhone.filter((c) => c.searchName === key.name);
      if (same.length === 1) return { by: 'phone', personId: same[0]!.id };
    }
  }
  if (key.name && key.birthYear !== null) {
    const byName = candidates.filter(
      (c) =>
        c.searchName === key.name &&
        c.birthYear === key.birthYear &&
        // someone with another ID number is another person
        !(key.idNumber && c.idNumber && c.idNumber !== key.idNumber),
    );
    if (byName.length === 1) return { by: 'name_birth_year', personId: byName[0]!.id };
    if (byName.length > 1) {
      const local = key.communeCode ? byName.filter((c) => c.communeCode === key.communeCode) : [];
      if (local.length === 1) return { by: 'name_birth_year', personId: local[0]!.id };
      return { by: 'ambiguous', count: byName.length };
    }
  }
  return { by: 'create' };
}

// ---------------------------------------------------------------------------------------------
// Reading a row of an uploaded file

export const IMPORT_FIELDS = [
  'specimenCode',
  'fullName',
  'birthYear',
  'birthDate',
  'sex',
  'idNumber',
  'phone',
  'communeCode',
  'testType',
  'result',
  'sampledAt',
  'resultedAt',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** field → header key (headers folded to snake case: "Họ và tên" → "ho_va_ten"). */
export type ColumnMapping = Partial<Record<ImportField, string>>;

/**
 * The official names of the fields (the column headings of the Ministry's result forms), used
 * in the row report instead of the file's folded header keys (issue 16 item 4).
 */
export const IMPORT_FIELD_LABELS: Record<ImportField, { vi: string; en: string }> = {
  specimenCode: { vi: 'Mã mẫu', en: 'Specimen code' },
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  birthYear: { vi: 'Năm sinh', en: 'Birth year' },
  birthDate: { vi: 'Ngày sinh', en: 'Date of birth' },
  sex: { vi: 'Giới tính', en: 'Sex' },
  idNumber: { vi: 'Số CCCD/CMND', en: 'ID number (CCCD/CMND)' },
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  communeCode: { vi: 'Mã xã', en: 'Commune code' },
  testType: { vi: 'Loại xét nghiệm', en: 'Test type' },
  result: { vi: 'Kết quả', en: 'Result' },
  sampledAt: { vi: 'Ngày lấy mẫu', en: 'Sample date' },
  resultedAt: { vi: 'Ngày trả kết quả', en: 'Result date' },
};

/** A row report message about one field, in both languages: "Ngày lấy mẫu: …". */
export const fieldMessage = (f: ImportField, vi: string, en: string) => ({
  message: `${IMPORT_FIELD_LABELS[f].vi}: ${vi}`,
  messageEn: `${IMPORT_FIELD_LABELS[f].en}: ${en}`,
});

/** Header names recognised without a saved mapping. */
export const DEFAULT_HEADER_ALIASES: Record<ImportField, string[]> = {
  specimenCode: ['ma_mau', 'ma_xet_nghiem', 'ma_so_mau', 'specimen_code', 'code'],
  fullName: ['ho_ten', 'ho_va_ten', 'ten', 'full_name', 'name'],
  birthYear: ['nam_sinh', 'birth_year'],
  birthDate: ['ngay_sinh', 'birth_date', 'dob'],
  sex: ['gioi_tinh', 'gioi', 'sex'],
  idNumber: ['cccd', 'so_cccd', 'cmnd', 'so_giay_to', 'cccd_cmnd', 'so_dinh_danh', 'id_number'],
  phone: ['so_dien_thoai', 'dien_thoai', 'sdt', 'phone'],
  communeCode: ['ma_xa', 'xa', 'commune_code'],
  testType: ['loai_xet_nghiem', 'loai_xn', 'phuong_phap', 'test_type'],
  result: ['ket_qua', 'kq', 'result'],
  sampledAt: ['ngay_lay_mau', 'thoi_gian_lay_mau', 'ngay_xet_nghiem', 'sampled_at'],
  resultedAt: ['ngay_tra_ket_qua', 'thoi_gian_tra_ket_qua', 'resulted_at'],
};

/** The longest layout kept (60 columns of short headers fit; a longer one is cut). */
export const LAYOUT_MAX = 4000;

/**
 * A file's layout (issue 16.4): its header keys, sorted and without repeats, so that each layout
 * a unit uploads keeps its own saved mapping ("ho_ten|ket_qua|ngay_lay_mau|…").
 */
export const layoutOf = (headerKeys: readonly string[]): string =>
  [...new Set(headerKeys.filter(Boolean))].sort().join('|').slice(0, LAYOUT_MAX);

/** The mapping for a file: the saved one where it names a header present, else the aliases. */
export function resolveMapping(
  headers: readonly string[],
  saved: ColumnMapping = {},
): ColumnMapping {
  const present = new Set(headers);
  const out: ColumnMapping = {};
  for (const f of IMPORT_FIELDS) {
    const s = saved[f];
    if (s && present.has(s)) out[f] = s;
    else {
      const alias = DEFAULT_HEADER_ALIASES[f].find((a) => present.has(a));
      if (alias) out[f] = alias;
    }
  }
  return out;
}

/** The mapping misses what every row needs. */
export function mappingProblems(m: ColumnMapping): string[] {
  const p: string[] = [];
  if (!m.result) p.push('result: không thấy cột kết quả (ket_qua)');
  if (!m.sampledAt) p.push('sampledAt: không thấy cột ngày lấy mẫu (ngay_lay_mau)');
  if (!m.fullName && !m.idNumber && !m.specimenCode)
    p.push('fullName: cần cột họ tên, số giấy tờ hoặc mã mẫu');
  return p;
}

export interface ParsedRow {
  specimenCode: string | null;
  fullName: string | null;
  nameKey: string;
  birthYear: number | null;
  birthDate: IsoDate | null;
  sex: 'male' | 'female' | 'other' | null;
  idNumber: string | null;
  phone: string | null;
  communeCode: string | null;
  testType: string;
  result: ResultValue;
  sampledAt: string;
  resultedAt: string;
}

const SEX_WORDS: Record<string, 'male' | 'female' | 'other'> = {
  nam: 'male',
  m: 'male',
  male: 'male',
  nu: 'female',
  f: 'female',
  female: 'female',
  khac: 'other',
  other: 'other',
};
/** Test types as typed in spreadsheets → catalogue codes. */
export const TEST_TYPE_WORDS: Record<string, string> = {
  rt_pcr: 'rt_pcr',
  pcr: 'rt_pcr',
  rtpcr: 'rt_pcr',
  test_nhanh: 'rapid_antigen',
  test_nhanh_khang_nguyen: 'rapid_antigen',
  khang_nguyen: 'rapid_antigen',
  rapid: 'rapid_antigen',
  rapid_antigen: 'rapid_antigen',
  ag: 'rapid_antigen',
};
const word = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9+-]+/g, '_')
    .replace(/^_|_$/g, '');

/**
 * A date or date-time as labs write it (see lab-file.ts for the forms); Vietnam time. Null when
 * it is not a real date.
 */
export function parseViDateTime(raw: string, nowMs: number = Date.now()): number | null {
  return parseLabDateTime(raw, new Date(nowMs + 7 * HOUR).getUTCFullYear());
}

/**
 * Reads one row with a mapping. `defaults` fills what the file does not say (the uploader's
 * usual test type; the sample time as the result time). Errors name the column.
 */
export function parseImportRow(
  values: Record<string, string>,
  m: ColumnMapping,
  ctx: { nowMs: number; defaultTestType?: string; knownTestTypes: ReadonlySet<string> },
): { ok: true; row: ParsedRow } | { ok: false; field: string; message: string; messageEn: string } {
  const get = (f: ImportField) => {
    const h = m[f];
    return h ? (values[h] ?? '').trim() : '';
  };
  const fail = (f: ImportField, vi: string, en: string) => ({
    ok: false as const,
    field: m[f] ?? f,
    ...fieldMessage(f, vi, en),
  });
  const fullName = nfc(get('fullName')) || null; // one spelling of a name (issue 13 item 6)
  const idRaw = get('idNumber');
  const idNumber = idRaw ? normaliseIdNumber(idRaw) : null;
  if (idNumber && !/^[A-Z0-9/]{6,30}$/.test(idNumber))
    return fail('idNumber', `"${idRaw}" không phải số giấy tờ`, `"${idRaw}" is not an ID number`);
  const phoneRaw = get('phone');
  const phone = phoneRaw ? normalisePhone(phoneRaw) : null;
  if (phoneRaw && !phone)
    return fail(
      'phone',
      `"${phoneRaw}" không phải số điện thoại`,
      `"${phoneRaw}" is not a phone number`,
    );
  let birthDate: IsoDate | null = null;
  const bdRaw = get('birthDate');
  if (bdRaw) {
    const t = parseViDateTime(bdRaw, ctx.nowMs);
    if (t === null)
      return fail(
        'birthDate',
        `"${bdRaw}" không phải ngày (dd/mm/yyyy)`,
        `"${bdRaw}" is not a date (dd/mm/yyyy)`,
      );
    birthDate = new Date(t + 7 * HOUR).toISOString().slice(0, 10);
  }
  const byRaw = get('birthYear');
  let birthYear: number | null = birthDate ? Number(birthDate.slice(0, 4)) : null;
  if (byRaw) {
    if (!/^\d{4}$/.test(byRaw))
      return fail(
        'birthYear',
        `"${byRaw}" không phải năm sinh`,
        `"${byRaw}" is not a year of birth`,
      );
    if (birthYear !== null && birthYear !== Number(byRaw))
      return fail(
        'birthYear',
        'khác với năm của ngày sinh',
        'differs from the year of the date of birth',
      );
    birthYear = Number(byRaw);
  }
  const thisYear = new Date(ctx.nowMs + 7 * HOUR).getUTCFullYear();
  if (birthYear !== null && (birthYear < 1900 || birthYear > thisYear))
    return fail(
      byRaw ? 'birthYear' : 'birthDate',
      `năm sinh ${birthYear} không hợp lệ`,
      `year of birth ${birthYear} is not possible`,
    );
  const sexRaw = get('sex');
  const sex = sexRaw ? (SEX_WORDS[word(sexRaw)] ?? null) : null;
  if (sexRaw && !sex)
    return fail('sex', `"${sexRaw}" không phải Nam/Nữ`, `"${sexRaw}" is not Nam/Nữ (male/female)`);
  const communeCode = get('communeCode') || null;
  if (communeCode && !/^\d{5}$/.test(communeCode))
    return fail(
      'communeCode',
      `"${communeCode}" không phải mã xã (5 chữ số)`,
      `"${communeCode}" is not a commune code (5 digits)`,
    );
  const ttRaw = get('testType');
  const ttWord = fold(ttRaw)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  const testType = ttRaw ? (TEST_TYPE_WORDS[ttWord] ?? ttWord) : ctx.defaultTestType;
  if (!testType) return fail('testType', 'thiếu loại xét nghiệm', 'missing');
  if (!ctx.knownTestTypes.has(testType))
    return fail(
      'testType',
      `"${ttRaw}" không có trong danh mục xét nghiệm`,
      `"${ttRaw}" is not in the list of tests`,
    );
  const resRaw = get('result');
  if (!resRaw) return fail('result', 'thiếu kết quả', 'missing');
  const result = parseResultWord(resRaw);
  if (!result)
    return fail(
      'result',
      `"${resRaw}" không phải Âm tính/Dương tính`,
      `"${resRaw}" is not Âm tính/Dương tính (negative/positive)`,
    );
  const saRaw = get('sampledAt');
  if (!saRaw) return fail('sampledAt', 'thiếu ngày lấy mẫu', 'missing');
  const sampled = parseViDateTime(saRaw, ctx.nowMs);
  if (sampled === null)
    return fail(
      'sampledAt',
      `"${saRaw}" không phải ngày (dd/mm/yyyy)`,
      `"${saRaw}" is not a date (dd/mm/yyyy)`,
    );
  if (sampled > ctx.nowMs + 10 * 60_000)
    return fail('sampledAt', 'ngày lấy mẫu ở tương lai', 'the sample date is in the future');
  if (sampled < ctx.nowMs - 366 * 24 * HOUR)
    return fail(
      'sampledAt',
      'ngày lấy mẫu quá một năm trước',
      'the sample date is more than a year ago',
    );
  const raRaw = get('resultedAt');
  const resulted = raRaw ? parseViDateTime(raRaw, ctx.nowMs) : sampled;
  if (resulted === null)
    return fail(
      'resultedAt',
      `"${raRaw}" không phải ngày (dd/mm/yyyy)`,
      `"${raRaw}" is not a date (dd/mm/yyyy)`,
    );
  if (resulted < sampled)
    return fail(
      'resultedAt',
      'ngày trả kết quả trước ngày lấy mẫu',
      'the result date is before the sample date',
    );
  const specimenCode = get('specimenCode').toUpperCase() || null;
  if (specimenCode && !/^[A-Z0-9._/-]{3,40}$/.test(specimenCode))
    return fail(
      'specimenCode',
      `"${specimenCode}" không phải mã mẫu`,
      `"${specimenCode}" is not a specimen code`,
    );
  if (!idNumber && !(fullName && birthYear !== null) && !specimenCode)
    return fail(
      'fullName',
      'cần số giấy tờ, hoặc họ tên và năm sinh',
      'an ID number, or a full name and year of birth, is needed',
    );
  if (fullName && fullName.length > 120)
    return fail('fullName', 'dài quá 120 ký tự', 'longer than 120 characters');
  return {
    ok: true,
    row: {
      specimenCode,
      fullName,
      nameKey: fullName ? nameKey(fullName) : '',
      birthYear,
      birthDate,
      sex,
      idNumber,
      phone,
      communeCode,
      testType,
      result,
      sampledAt: new Date(sampled).toISOString(),
      resultedAt: new Date(resulted).toISOString(),
    },
  };
}

/**
 * The key that makes a result row unique: the uploader and the code of their sample; else the
 * person, the test type and the sample time. The same row uploaded twice finds its result.
 */
export function resultNaturalKey(
  r: { specimenCode: string | null; testType: string; sampledAt: string },
  uploaderKey: string,
  personId: string,
): string {
  return r.specimenCode
    ? `code:${uploaderKey}:${r.specimenCode}`
    : `person:${personId}:${r.testType}:${new Date(r.sampledAt).toISOString()}`;
}

// Crockford's base32 without look-alikes: a code can be read out over the phone.
export const SPECIMEN_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SPECIMEN_CODE_RE = /^XN[0-9A-HJKMNP-TV-Z]{10}$/;
