/**
 * Rule sets read in words (vi + en), and what a candidate version would have changed over past
 * decisions (issue 18, item 5). Pure.
 */
import { formatViDate, type IsoDate } from './dates.ts';
import {
  ARRIVAL_ACTION_LABELS,
  type ArrivalAction,
  type ArrivalRuleSet,
  type LegalBasis,
  type RuleConditions,
  type RuleOutcome,
} from './rulesets.ts';

export interface Words {
  vi: string;
  en: string;
}

const join = (parts: Words[], vi: string, en: string): Words => ({
  vi: parts.map((p) => p.vi).join(vi),
  en: parts.map((p) => p.en).join(en),
});

const VACCINATION: Record<string, Words> = {
  full: { vi: 'đã tiêm đủ liều', en: 'fully vaccinated' },
  partial: { vi: 'tiêm chưa đủ liều', en: 'partly vaccinated' },
  none: { vi: 'chưa tiêm', en: 'unvaccinated' },
};
const TEST: Record<string, Words> = {
  pcr: { vi: 'RT-PCR', en: 'RT-PCR' },
  rapid: { vi: 'test nhanh', en: 'rapid' },
};
const tests = (types: string[]) =>
  join(
    types.map((t) => TEST[t] ?? { vi: t, en: t }),
    ', ',
    ', ',
  );

/** The validity and basis of any version: "Hiệu lực từ 06/10/2021, không thời hạn — CV 8399/BYT-MT ngày 06/10/2021". */
export function validityWords(v: {
  validFrom: IsoDate;
  validTo: IsoDate | null;
  legalBasis: LegalBasis;
}): Words {
  const b = v.legalBasis;
  return {
    vi:
      `Hiệu lực từ ${formatViDate(v.validFrom)}` +
      (v.validTo ? ` đến hết ${formatViDate(v.validTo)}` : ', không thời hạn') +
      ` — căn cứ ${b.number} ngày ${formatViDate(b.date)}: ${b.title}`,
    en:
      `In force from ${v.validFrom}` +
      (v.validTo ? ` to ${v.validTo} inclusive` : ', open-ended') +
      ` — under ${b.number} of ${b.date}: ${b.title}`,
  };
}

/** A rule's conditions in words; none at all: everyone else. */
export function conditionWords(when: RuleConditions, minLevel: number): Words {
  const parts: Words[] = [];
  if (when.hasSymptoms !== undefined) {
    parts.push(
      when.hasSymptoms
        ? { vi: 'có triệu chứng', en: 'with symptoms' }
        : { vi: 'không có triệu chứng', en: 'without symptoms' },
    );
  }
  if (when.fromEpidemicArea !== undefined) {
    parts.push(
      when.fromEpidemicArea
        ? {
            vi: `từ vùng dịch (cấp độ ≥ ${minLevel})`,
            en: `from an epidemic area (level ≥ ${minLevel})`,
          }
        : { vi: 'không từ vùng dịch', en: 'not from an epidemic area' },
    );
  }
  if (when.originLevels) {
    const l = when.originLevels.join(', ');
    parts.push({ vi: `nơi đi ở cấp độ ${l}`, en: `origin at level ${l}` });
  }
  if (when.vaccination) {
    parts.push(
      join(
        when.vaccination.map((s) => VACCINATION[s]!),
        ' hoặc ',
        ' or ',
      ),
    );
  }
  if (when.recoveredWithinDays !== undefined) {
    const n = when.recoveredWithinDays;
    parts.push({
      vi: `đã khỏi COVID-19 trong vòng ${n} ngày`,
      en: `recovered from COVID-19 within ${n} days`,
    });
  }
  if (when.negativeTest) {
    const t = when.negativeTest;
    const kinds = tests(t.types);
    parts.push(
      t.present
        ? {
            vi: `có kết quả âm tính (${kinds.vi}) trong ${t.withinHours} giờ`,
            en: `with a negative ${kinds.en} test within ${t.withinHours} hours`,
          }
        : {
            vi: `không có kết quả âm tính (${kinds.vi}) trong ${t.withinHours} giờ`,
            en: `without a negative ${kinds.en} test within ${t.withinHours} hours`,
          },
    );
  }
  if (when.positiveTest) {
    const t = when.positiveTest;
    const kinds = tests(t.types);
    parts.push({
      vi: `có kết quả dương tính (${kinds.vi}) trong ${t.withinHours} giờ`,
      en: `with a positive ${kinds.en} test within ${t.withinHours} hours`,
    });
  }
  if (!parts.length) return { vi: 'Mọi trường hợp còn lại', en: 'Everyone else' };
  const all = join(parts, ', ', ', ');
  return { vi: `Người đến ${all.vi}`, en: `Arrivals ${all.en}` };
}

/** A rule's outcome in words: "Cách ly tại nhà 7 ngày, tự theo dõi 7 ngày; xét nghiệm ngày 1, 7". */
export function outcomeWords(o: RuleOutcome): Words {
  const parts: Words[] = [ARRIVAL_ACTION_LABELS[o.action]];
  if (o.quarantineDays > 0) {
    parts.push({
      vi: `cách ly ${o.quarantineDays} ngày`,
      en: `${o.quarantineDays} days quarantine`,
    });
  }
  if (o.monitoringDays > 0) {
    parts.push({
      vi: `tự theo dõi ${o.monitoringDays} ngày`,
      en: `${o.monitoringDays} days self-monitoring`,
    });
  }
  if (o.testDays.length) {
    const d = o.testDays.join(', ');
    parts.push({ vi: `xét nghiệm ngày ${d}`, en: `tests on days ${d}` });
  }
  if (o.testAtCheckpoint)
    parts.push({ vi: 'test nhanh tại chốt', en: 'rapid test at the checkpoint' });
  if (o.isolate) parts.push({ vi: 'cách ly tạm thời ngay', en: 'isolated at once' });
  return join(parts, '; ', '; ');
}

export interface RuleInWords {
  id: string;
  when: Words;
  then: Words;
  confidence: string;
  notes: string;
}

/** An arrival classification version, rule by rule, in the order they are tried. */
export function arrivalRulesInWords(rs: ArrivalRuleSet): RuleInWords[] {
  return rs.rules.map((r) => ({
    id: r.id,
    when: conditionWords(r.when, rs.definitions.epidemicAreaMinLevel),
    then: outcomeWords(r.then),
    confidence: r.confidence,
    notes: r.notes,
  }));
}

// ---------------------------------------------------------------------------------------------
// Preview: the decisions of last week, taken again with the candidate.

export interface PreviewTally {
  /** Records read again. */
  records: number;
  /** Records the candidate decides differently. */
  changed: number;
  /** Records the candidate could not decide (its message counted). */
  failed: number;
  /** Per action: how many were decided so, and how many the candidate would decide so. */
  before: Partial<Record<ArrivalAction, number>>;
  after: Partial<Record<ArrivalAction, number>>;
  /** "home_quarantine>centralised_quarantine" → count. */
  moves: Record<string, number>;
}

export const emptyTally = (): PreviewTally => ({
  records: 0,
  changed: 0,
  failed: 0,
  before: {},
  after: {},
  moves: {},
});

/** Counts one record in the tally; `after` null: the candidate could not decide it. */
export function tallyDecision(
  t: PreviewTally,
  before: ArrivalAction,
  after: ArrivalAction | null,
): void {
  t.records++;
  if (after === null) {
    t.failed++;
    return;
  }
  t.before[before] = (t.before[before] ?? 0) + 1;
  t.after[after] = (t.after[after] ?? 0) + 1;
  if (after !== before) {
    t.changed++;
    const k = `${before}>${after}`;
    t.moves[k] = (t.moves[k] ?? 0) + 1;
  }
}

/**
 * The tally in sentences, one per action whose count changes, the biggest change first:
 * "Phiên bản này sẽ đưa thêm 37 người đến vào Cách ly tại nhà".
 */
export function previewSentences(t: PreviewTally, from: IsoDate, to: IsoDate): Words[] {
  const head: Words = {
    vi: `Từ ${formatViDate(from)} đến ${formatViDate(to)}: ${t.records} lượt đến được phân loại lại, ${t.changed} lượt khác trước`,
    en: `${from} to ${to}: ${t.records} arrivals classified again, ${t.changed} decided differently`,
  };
  const actions = Object.keys(ARRIVAL_ACTION_LABELS) as ArrivalAction[];
  const diffs = actions
    .map((a) => ({ a, d: (t.after[a] ?? 0) - (t.before[a] ?? 0) }))
    .filter((x) => x.d !== 0)
    .sort((x, y) => Math.abs(y.d) - Math.abs(x.d) || y.d - x.d);
  const lines = diffs.map(({ a, d }) => {
    const label = ARRIVAL_ACTION_LABELS[a];
    return d > 0
      ? {
          vi: `Phiên bản này sẽ đưa thêm ${d} người đến vào ${label.vi.toLowerCase()}`,
          en: `This version would have sent ${d} more arrivals to ${label.en.toLowerCase()}`,
        }
      : {
          vi: `Phiên bản này sẽ đưa ít hơn ${-d} người đến vào ${label.vi.toLowerCase()}`,
          en: `This version would have sent ${-d} fewer arrivals to ${label.en.toLowerCase()}`,
        };
  });
  if (t.failed) {
    lines.push({
      vi: `${t.failed} lượt không phân loại được theo phiên bản này`,
      en: `${t.failed} arrivals could not be classified under this version`,
    });
  }
  return [head, ...lines];
}
