/**
 * Enforcement (issue 18 item 3): violation types with the article that punishes them and its
 * fine range, as versioned data (a rule set of kind 'violation_types'), and the check of a
 * decision against them. Pure functions, no I/O.
 */
import type { FieldProblem } from './supplies.ts';
import type { LegalBasis } from './rulesets.ts';

type Words = { vi: string; en: string };

export const DECISIONS = ['pending', 'warning', 'fine', 'criminal_referral'] as const;
export type Decision = (typeof DECISIONS)[number];
export const DECISION_LABELS: Record<Decision, Words> = {
  pending: { vi: 'Chưa quyết định', en: 'Pending' },
  warning: { vi: 'Cảnh cáo', en: 'Warning' },
  fine: { vi: 'Phạt tiền', en: 'Fine' },
  criminal_referral: { vi: 'Chuyển xử lý hình sự', en: 'Referred for prosecution' },
};

/** The records that can show a violation. */
export const EVIDENCE_KINDS = ['entry', 'quarantine_order', 'declaration'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface ViolationType {
  code: string;
  name: Words;
  /** The provision, as decisions cite it: 'Điều 12 khoản 1 Nghị định 117/2020/NĐ-CP'. */
  article: string;
  /** Fine range in đồng; null: no administrative fine (a crime). */
  fine: { min: number; max: number } | null;
  /** The decisions this provision allows besides 'pending'. */
  decisions: Exclude<Decision, 'pending'>[];
  /** Records that typically show it (suggested on the form). */
  evidence: EvidenceKind[];
}

export interface ViolationTypeSet {
  id: string;
  kind: 'violation_types';
  name: string;
  legalBasis: LegalBasis;
  validFrom: string;
  validTo: string | null;
  confidence: 'sure' | 'reconstructed';
  types: ViolationType[];
}

/**
 * The seeds' list: Điện Biên (seed 000) dealt with 27 false declarations, 30 people without a
 * mask in public, 11 escapes from centralised quarantine and 15 online violations; Lạng Sơn
 * (seed 002) fined 25 people 95 million đồng for false information online and prosecuted a
 * forger of test papers. The articles and ranges are those of Decree 117/2020/NĐ-CP (health
 * sanctions, from 15/11/2020) and Decree 15/2020/NĐ-CP (online information) as we recall them:
 * reconstructed, to be checked against the decrees before a decision cites them.
 */
export const DEFAULT_VIOLATION_TYPES: ViolationTypeSet = {
  id: 'violation-types-2020-11',
  kind: 'violation_types',
  name: 'Hành vi vi phạm về phòng, chống dịch COVID-19 và mức phạt',
  legalBasis: {
    number: 'NĐ 117/2020/NĐ-CP',
    date: '2020-09-28',
    title: 'Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực y tế',
  },
  validFrom: '2020-11-15',
  validTo: null,
  confidence: 'reconstructed',
  types: [
    {
      code: 'false_declaration',
      name: { vi: 'Khai báo y tế không trung thực', en: 'False health declaration' },
      article: 'Điều 7 khoản 2 Nghị định 117/2020/NĐ-CP',
      fine: { min: 5_000_000, max: 10_000_000 },
      decisions: ['warning', 'fine'],
      evidence: ['declaration', 'entry'],
    },
    {
      code: 'no_mask',
      name: { vi: 'Không đeo khẩu trang nơi công cộng', en: 'No mask in a public place' },
      article: 'Điều 12 khoản 1 Nghị định 117/2020/NĐ-CP',
      fine: { min: 1_000_000, max: 3_000_000 },
      decisions: ['warning', 'fine'],
      evidence: [],
    },
    {
      code: 'quarantine_escape',
      name: { vi: 'Trốn khỏi khu cách ly', en: 'Escaping quarantine' },
      article: 'Điều 11 khoản 2 Nghị định 117/2020/NĐ-CP',
      fine: { min: 10_000_000, max: 20_000_000 },
      decisions: ['fine', 'criminal_referral'],
      evidence: ['quarantine_order'],
    },
    {
      code: 'online_misinformation',
      name: {
        vi: 'Đăng tải, chia sẻ thông tin sai sự thật trên không gian mạng',
        en: 'False information online',
      },
      article: 'Điều 101 khoản 1 Nghị định 15/2020/NĐ-CP',
      fine: { min: 10_000_000, max: 20_000_000 },
      decisions: ['fine', 'criminal_referral'],
      evidence: [],
    },
    {
      code: 'forged_test_papers',
      name: { vi: 'Làm giả giấy xét nghiệm', en: 'Forged test papers' },
      article: 'Điều 341 Bộ luật Hình sự 2015',
      fine: null,
      decisions: ['criminal_referral'],
      evidence: ['entry'],
    },
  ],
};

/** The version in force on `date` (ISO), the latest one starting first. */
export function typesInForce(sets: readonly ViolationTypeSet[], date: string) {
  return [...sets]
    .filter((s) => s.validFrom <= date && (!s.validTo || date <= s.validTo))
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
}

export interface DecisionInput {
  decision: Decision;
  fineAmount?: number | null;
}

/**
 * Checks a decision against the violation's type: the decision must be one the provision allows,
 * a fine carries an amount within the range (bounds included) and nothing else carries one.
 */
export function checkDecision(type: ViolationType, d: DecisionInput): FieldProblem[] {
  if (d.decision !== 'pending' && !type.decisions.includes(d.decision))
    return [
      {
        path: 'decision',
        message: `${type.article} cho phép: ${type.decisions.map((x) => DECISION_LABELS[x].vi).join(', ')}`,
      },
    ];
  if (d.decision !== 'fine') {
    return d.fineAmount != null
      ? [{ path: 'fineAmount', message: 'Chỉ quyết định phạt tiền mới có số tiền phạt' }]
      : [];
  }
  const f = type.fine!;
  if (d.fineAmount == null) return [{ path: 'fineAmount', message: 'Nhập số tiền phạt' }];
  if (!Number.isSafeInteger(d.fineAmount) || d.fineAmount < f.min || d.fineAmount > f.max)
    return [
      {
        path: 'fineAmount',
        message: `Mức phạt theo ${type.article}: từ ${vnd(f.min)} đến ${vnd(f.max)}`,
      },
    ];
  return [];
}

/** Why the decision stands, in words, with the provision (stored with the violation). */
export function explainDecision(type: ViolationType, d: DecisionInput): Words {
  const base = { vi: `${type.name.vi} — ${type.article}`, en: `${type.name.en} — ${type.article}` };
  if (d.decision === 'fine')
    return {
      vi: `${base.vi}: phạt ${vnd(d.fineAmount!)} (khung ${vnd(type.fine!.min)}–${vnd(type.fine!.max)})`,
      en: `${base.en}: fined ${d.fineAmount} VND (range ${type.fine!.min}–${type.fine!.max} VND)`,
    };
  return {
    vi: `${base.vi}: ${DECISION_LABELS[d.decision].vi.toLowerCase()}`,
    en: `${base.en}: ${DECISION_LABELS[d.decision].en.toLowerCase()}`,
  };
}

/** 5000000 → '5.000.000 đ' (Vietnamese grouping). */
export function vnd(n: number): string {
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đ`;
}

/** A version of the list: codes unique, ranges ordered, a fine decision only with a range. */
export function validateViolationTypes(s: ViolationTypeSet): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!Array.isArray(s.types) || s.types.length === 0)
    return [{ path: 'types', message: 'Cần ít nhất một hành vi' }];
  const seen = new Set<string>();
  s.types.forEach((t, i) => {
    const at = (f: string) => `types.${i}.${f}`;
    if (!/^[a-z][a-z0-9_]{1,39}$/.test(t.code ?? ''))
      p.push({ path: at('code'), message: 'Mã: chữ thường, số, gạch dưới' });
    if (seen.has(t.code)) p.push({ path: at('code'), message: 'Mã bị trùng' });
    seen.add(t.code);
    if (!t.name?.vi?.trim() || !t.name?.en?.trim())
      p.push({ path: at('name'), message: 'Tên (vi, en) bắt buộc' });
    if (!t.article?.trim()) p.push({ path: at('article'), message: 'Điều khoản bắt buộc' });
    if (t.fine && !(Number.isSafeInteger(t.fine.min) && t.fine.min > 0 && t.fine.max >= t.fine.min))
      p.push({ path: at('fine'), message: 'Khung phạt: 0 < tối thiểu ≤ tối đa' });
    if (!Array.isArray(t.decisions) || t.decisions.length === 0)
      p.push({ path: at('decisions'), message: 'Cần ít nhất một hình thức xử lý' });
    else if (t.decisions.includes('fine') && !t.fine)
      p.push({ path: at('fine'), message: 'Phạt tiền cần khung phạt' });
  });
  return p;
}
