/**
 * Pooled RT-PCR samples (gộp mẫu), RULES.md "Pooled RT-PCR samples": who may be pooled, the
 * declared pool size, and when a pool's result may be dated. The rules are versioned data (kind
 * 'pooling'); every decision names its rule set and rule and explains itself in Vietnamese and
 * English. Pure: no I/O.
 */
import type { LegalBasis } from './rulesets.ts';

type Bi = { vi: string; en: string };

export interface PoolingRuleSet {
  id: string;
  kind: 'pooling';
  name: string;
  legalBasis: LegalBasis;
  validFrom: string;
  validTo: string | null;
  confidence: 'sure' | 'reconstructed';
  notes?: string;
  /** The pool sizes a lab declares (the seeds: "gộp 5", "gộp 10"). */
  declaredSizes: number[];
  /** Fewest specimens in a pool. */
  minMembers: number;
  /** A result may be dated this many minutes after the clock of the server (clock drift). */
  futureToleranceMinutes: number;
}

export const POOLING_BYT_2021: PoolingRuleSet = {
  id: 'pooling-byt-2021',
  kind: 'pooling',
  name: 'Gộp mẫu xét nghiệm RT-PCR (hướng dẫn của Bộ Y tế, 2021)',
  legalBasis: {
    number: 'Hướng dẫn gộp mẫu RT-PCR, Bộ Y tế 2021',
    date: '2021-05-01',
    title: 'Hướng dẫn xét nghiệm gộp mẫu SARS-CoV-2 bằng RT-PCR (tái dựng)',
  },
  validFrom: '2021-01-01',
  validTo: null,
  confidence: 'reconstructed',
  notes:
    'RULES.md, "Pooled RT-PCR samples" (reconstructed): pools of up to 10 (gộp 5, gộp 10) for ' +
    'screening; never pooled: people with symptoms, F1 close contacts, samples for diagnosis or ' +
    'release; one person once in a pool; the declared size kept beside the number in it; a ' +
    'result never earlier than its samples nor in the future. The document number and date are ' +
    'not in RULES.md: complete legalBasis when the text is at hand.',
  declaredSizes: [5, 10],
  minMembers: 2,
  futureToleranceMinutes: 5,
};

export const DEFAULT_POOLING_RULESETS: readonly PoolingRuleSet[] = [POOLING_BYT_2021];

/** What the lab knows of each specimen it wants to pool. */
export interface PoolCandidate {
  code: string;
  personId: string;
  /** The specimen was taken from someone with symptoms. */
  symptoms: boolean;
  /** The person is a confirmed F1 on the day of the sample. */
  confirmedF1: boolean;
  /** Why the sample was taken (the order's reason). */
  reason: string;
}

/** Orders whose samples are for diagnosis or release: tested singly. */
const SINGLE_REASONS = new Set(['contact', 'confirmation', 'pool_retest']);

export interface PoolRefusal {
  /** Index of the specimen in the request; null: the pool as a whole. */
  index: number | null;
  ruleId: string;
  explanation: Bi;
}

export type PoolDecision =
  | { ok: true; declaredSize: number; ruleSetId: string; ruleId: 'admitted'; explanation: Bi }
  | { ok: false; ruleSetId: string; refusals: PoolRefusal[] };

/** The pooling rule set in force on `date` (the latest that started on or before it). */
export function poolingRulesetOn(
  sets: readonly PoolingRuleSet[],
  date: string,
): PoolingRuleSet | undefined {
  return [...sets]
    .filter((s) => s.validFrom <= date && (s.validTo === null || date <= s.validTo))
    .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
}

/**
 * May these specimens make one pool? Refuses each specimen that breaks a rule (same person twice,
 * symptoms, F1, a diagnostic sample) and a count outside [minMembers, declared size]. Without a
 * declared size, the smallest declared size that holds them is taken.
 */
export function decidePool(
  rs: PoolingRuleSet,
  members: readonly PoolCandidate[],
  declaredSize?: number,
): PoolDecision {
  const refusals: PoolRefusal[] = [];
  const max = Math.max(...rs.declaredSizes);
  const declared =
    declaredSize ?? [...rs.declaredSizes].sort((a, b) => a - b).find((s) => s >= members.length);
  if (declaredSize !== undefined && !rs.declaredSizes.includes(declaredSize))
    refusals.push({
      index: null,
      ruleId: 'declared-size',
      explanation: {
        vi: `Cỡ gộp ${declaredSize} không có trong quy định (${rs.declaredSizes.join(' hoặc ')})`,
        en: `Pool size ${declaredSize} is not allowed (${rs.declaredSizes.join(' or ')})`,
      },
    });
  else if (members.length < rs.minMembers || declared === undefined || members.length > declared)
    refusals.push({
      index: null,
      ruleId: 'member-count',
      explanation: {
        vi: `Mẫu gộp ${declared ?? max} chứa từ ${rs.minMembers} đến ${declared ?? max} mẫu; có ${members.length}`,
        en: `A pool of ${declared ?? max} holds ${rs.minMembers} to ${declared ?? max} specimens; got ${members.length}`,
      },
    });
  const seen = new Map<string, string>();
  members.forEach((m, index) => {
    const first = seen.get(m.personId);
    if (first)
      refusals.push({
        index,
        ruleId: 'one-person-once',
        explanation: {
          vi: `Mẫu ${m.code} cùng một người với mẫu ${first}: mỗi người chỉ một lần trong mẫu gộp`,
          en: `Specimen ${m.code} is the same person as ${first}: one person appears once in a pool`,
        },
      });
    else seen.set(m.personId, m.code);
    if (m.symptoms)
      refusals.push({
        index,
        ruleId: 'no-symptoms',
        explanation: {
          vi: `Mẫu ${m.code}: người có triệu chứng được xét nghiệm đơn, không gộp`,
          en: `Specimen ${m.code}: people with symptoms are tested singly, never pooled`,
        },
      });
    if (m.confirmedF1)
      refusals.push({
        index,
        ruleId: 'no-f1',
        explanation: {
          vi: `Mẫu ${m.code}: F1 (tiếp xúc gần) được xét nghiệm đơn, không gộp`,
          en: `Specimen ${m.code}: F1 close contacts are tested singly, never pooled`,
        },
      });
    if (SINGLE_REASONS.has(m.reason))
      refusals.push({
        index,
        ruleId: 'screening-only',
        explanation: {
          vi: `Mẫu ${m.code}: mẫu để chẩn đoán hoặc ra cách ly được xét nghiệm đơn`,
          en: `Specimen ${m.code}: samples for diagnosis or release are tested singly`,
        },
      });
  });
  if (refusals.length) return { ok: false, ruleSetId: rs.id, refusals };
  return {
    ok: true,
    declaredSize: declared!,
    ruleSetId: rs.id,
    ruleId: 'admitted',
    explanation: {
      vi: `Gộp ${members.length}/${declared} mẫu sàng lọc, mỗi người một lần, không có người có triệu chứng hay F1 — theo ${rs.legalBasis.number}`,
      en: `${members.length} of ${declared} screening specimens pooled, one per person, no one with symptoms or F1 — under ${rs.legalBasis.number}`,
    },
  };
}

/**
 * A result is never earlier than its samples nor in the future: null when `resultedAt` is
 * fine, else why not.
 */
export function resultTimeProblem(
  rs: Pick<PoolingRuleSet, 'futureToleranceMinutes'>,
  resultedAt: number,
  sampledAts: readonly number[],
  now: number,
): Bi | null {
  const last = Math.max(...sampledAts);
  if (sampledAts.length && resultedAt < last)
    return {
      vi: 'Thời điểm có kết quả sớm hơn thời điểm lấy mẫu',
      en: 'The result is dated before its samples were taken',
    };
  if (resultedAt > now + rs.futureToleranceMinutes * 60_000)
    return {
      vi: 'Thời điểm có kết quả ở tương lai',
      en: 'The result is dated in the future',
    };
  return null;
}
