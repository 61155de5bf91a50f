/**
 * Rule-set administration (issue 18, item 5): what a new version of a rule set must satisfy before
 * it is saved. Pure: the caller passes the versions already stored and today's date.
 *
 * - Its kind's zod schema: the arrival classification has a schema written out field by field
 *   (thresholds bounded); every other kind is checked against the shape of the versions it
 *   follows (`schemaFromVersions`: the same fields with the same types, no unknown field, no
 *   negative or non-finite number), then by the kind's own validator where the domain has one.
 * - Its validity: it starts tomorrow at the earliest (today only when no decision of the kind has
 *   been taken today, so a decision already taken keeps the version that was valid for it), and
 *   it overlaps no other version of the same kind, except that an open-ended version takes over
 *   from the open-ended one before it, which ends the day before.
 */
import { validateScenarioRuleSet, type ScenarioRuleSet } from './scenarios.ts'; // issue 12
import { z } from 'zod';
import { addDays, compare, formatViDate, isValidIsoDate, type IsoDate } from './dates.ts';
import { ARRIVAL_ACTIONS, validateRuleSet, type ArrivalRuleSet } from './rulesets.ts';
import { validateTracingRuleSet, type ContactTracingRuleSet } from './tracing.ts';
import { validateSchedule, type VaccineScheduleRuleSet } from './vaccination.ts';
import { validateWorkplaceSafety, type WorkplaceSafetyRuleSet } from './workplaces.ts'; // issue 18 item 4
import { validateSupplyCatalogue, type SupplyCatalogue } from './supplies.ts'; // issue 18 item 5
import { validateViolationTypes, type ViolationTypeSet } from './enforcement.ts'; // issue 18 item 5

/** Every kind of rule set the product reads, in words. */
export const RULE_SET_KINDS = {
  arrival_classification: { vi: 'Phân loại người đến/về', en: 'Arrival classification' },
  contact_tracing: { vi: 'Truy vết F1 (khung thời gian)', en: 'Contact tracing (F1 windows)' },
  f1_quarantine: { vi: 'Cách ly F1', en: 'F1 quarantine courses' },
  f0_definition: { vi: 'Định nghĩa ca F0', en: 'F0 definitions' },
  pooling: { vi: 'Xét nghiệm gộp mẫu', en: 'Pooled testing' },
  vaccine_schedule: { vi: 'Lịch tiêm vắc xin', en: 'Vaccine schedules' },
  care_placement: { vi: 'Nơi cách ly, điều trị', en: 'Quarantine and care placement' },
  quarantine_fees: { vi: 'Chi phí cách ly', en: 'Quarantine fees' },
  f0_home_eligibility: {
    vi: 'Điều kiện điều trị F0 tại nhà',
    en: 'Home-treatment eligibility',
  },
  f0_warning_signs: { vi: 'Dấu hiệu cảnh báo F0', en: 'F0 warning signs' },
  f0_discharge: { vi: 'Tiêu chuẩn kết thúc điều trị F0', en: 'F0 discharge' },
  epidemic_level: { vi: 'Cấp độ dịch', en: 'Epidemic levels' },
  scenario_ratios: { vi: 'Tỷ lệ nhu cầu theo kịch bản F0', en: 'Capacity scenario ratios' }, // issue 12
  // issue 18 item 4: the workplace COVID-safety self-assessment (criteria, levels, outbreak rule)
  workplace_safety: { vi: 'An toàn COVID-19 nơi làm việc', en: 'Workplace COVID safety' },
  // issue 18 item 5: the catalogues, versioned the same way
  supply_catalogue: { vi: 'Danh mục vật tư, trang thiết bị', en: 'Supply catalogue' },
  violation_types: { vi: 'Danh mục hành vi vi phạm, mức phạt', en: 'Violation types and fines' },
} as const;
export type AdminKind = keyof typeof RULE_SET_KINDS;
export const isAdminKind = (k: string): k is AdminKind =>
  Object.prototype.hasOwnProperty.call(RULE_SET_KINDS, k);

export interface VersionIssue {
  path: string;
  message: string;
}

/** A stored version as this module needs it. */
export interface StoredVersion {
  id: string;
  kind: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  overrides?: boolean;
  definition: Record<string, unknown>;
}

const isoDate = z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD');
const text = (what: string, max = 500) =>
  z.string(`Thiếu ${what}`).trim().min(1, `Thiếu ${what}`).max(max, `Tối đa ${max} ký tự`);
const days = (max: number) =>
  z
    .number('Phải là số ngày')
    .int('Phải là số ngày nguyên')
    .min(0, 'Phải ≥ 0')
    .max(max, `Tối đa ${max} ngày`);
const hours = z.number('Phải là số giờ').int().min(1, 'Phải > 0').max(720, 'Tối đa 720 giờ');
const testTypes = z.array(z.enum(['pcr', 'rapid'])).min(1, 'Ít nhất một loại xét nghiệm');
const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
  error: 'Cấp độ từ 1 đến 4',
});

export const legalBasisSchema = z.strictObject({
  number: text('số văn bản', 100),
  date: isoDate,
  title: text('trích yếu văn bản'),
  url: z.url('Địa chỉ văn bản không hợp lệ').optional(),
});

/** What every version has, whatever its kind. */
export const versionHeaderSchema = z.looseObject({
  id: z
    .string('Thiếu mã phiên bản')
    .regex(/^[a-z0-9][a-z0-9-]{2,79}$/, 'Mã: chữ thường, số, gạch ngang (3–80 ký tự)'),
  kind: z.string(),
  name: text('tên'),
  legalBasis: legalBasisSchema,
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  confidence: z.enum(['sure', 'reconstructed'], 'sure hoặc reconstructed'),
});

/** The arrival classification, field by field (src/domain/rulesets.ts describes each field). */
export const arrivalRuleSetSchema = versionHeaderSchema.extend({
  kind: z.literal('arrival_classification'),
  issuer: text('cơ quan ban hành'),
  scope: z.enum(['national', 'provincial']),
  overrides: z.boolean(),
  notes: z.string().max(4000),
  definitions: z.strictObject({
    fullyVaccinatedAfterDays: days(90),
    epidemicAreaMinLevel: level,
  }),
  rules: z
    .array(
      z.strictObject({
        id: text('mã quy tắc', 80),
        when: z.strictObject({
          hasSymptoms: z.boolean().optional(),
          fromEpidemicArea: z.boolean().optional(),
          originLevels: z.array(level).min(1).optional(),
          vaccination: z
            .array(z.enum(['full', 'partial', 'none']))
            .min(1)
            .optional(),
          recoveredWithinDays: days(365).optional(),
          negativeTest: z
            .strictObject({ withinHours: hours, types: testTypes, present: z.boolean() })
            .optional(),
          positiveTest: z.strictObject({ withinHours: hours, types: testTypes }).optional(),
        }),
        then: z.strictObject({
          action: z.enum(ARRIVAL_ACTIONS, 'Biện pháp không hợp lệ'),
          quarantineDays: days(60),
          monitoringDays: days(60),
          testDays: z.array(z.number().int().min(1).max(120)).max(20),
          testAtCheckpoint: z.boolean(),
          isolate: z.boolean(),
          explanation: z.strictObject({ vi: text('lời giải thích', 1000), en: text('', 1000) }),
        }),
        confidence: z.enum(['sure', 'reconstructed']),
        notes: z.string().max(4000),
        legalBasis: legalBasisSchema.optional(),
      }),
    )
    .min(1, 'Cần ít nhất một quy tắc')
    .max(50),
});

type Shape = { values: unknown[] };

/**
 * A zod schema that accepts what the given versions have in common: the same fields (a field
 * missing from some is optional), the same types, numbers finite and ≥ 0, no unknown field.
 */
export function schemaFromVersions(examples: readonly unknown[]): z.ZodType {
  return schemaOf({ values: [...examples] });
}

function schemaOf(shape: Shape): z.ZodType {
  const present = shape.values.filter((v) => v !== null && v !== undefined);
  const nullable = present.length < shape.values.length;
  const first = present[0];
  let schema: z.ZodType;
  if (first === undefined) schema = z.unknown();
  else if (typeof first === 'number')
    schema = z.number('Phải là số').finite().min(0, 'Phải là số ≥ 0');
  else if (typeof first === 'string') schema = z.string('Phải là chữ');
  else if (typeof first === 'boolean') schema = z.boolean('Phải là true hoặc false');
  else if (Array.isArray(first))
    schema = z.array(schemaOf({ values: present.flatMap((a) => (Array.isArray(a) ? a : [])) }));
  else if (typeof first === 'object') {
    const objects = present.filter(
      (v): v is Record<string, unknown> => typeof v === 'object' && !Array.isArray(v),
    );
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    const fields: Record<string, z.ZodType> = {};
    for (const k of keys) {
      const inAll = objects.every((o) => k in o);
      const s = schemaOf({ values: objects.map((o) => o[k]) });
      fields[k] = inAll ? s : s.optional();
    }
    schema = z.strictObject(fields);
  } else schema = z.unknown();
  return nullable ? schema.nullable() : schema;
}

/** "rules[2].then.quarantineDays" from a zod path. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
    .join('');
}

/** What the kind's schema and validator find wrong with `candidate` (empty when it may be saved). */
export function schemaIssues(
  kind: AdminKind,
  candidate: unknown,
  earlier: readonly StoredVersion[],
): VersionIssue[] {
  const header = versionHeaderSchema.safeParse(candidate);
  const schema =
    kind === 'arrival_classification'
      ? arrivalRuleSetSchema
      : schemaFromVersions(earlier.map((v) => v.definition));
  const parsed = schema.safeParse(candidate);
  const issues = [
    ...(header.success ? [] : header.error.issues),
    ...(parsed.success ? [] : parsed.error.issues),
  ].map((i) => ({ path: issuePath(i.path) || 'definition', message: i.message }));
  const c = candidate as { kind?: unknown };
  if (c && typeof c === 'object' && c.kind !== kind) {
    issues.push({ path: 'kind', message: `Phải là ${kind}` });
  }
  if (issues.length) return dedupe(issues);
  // The kind's own rules, on a candidate whose shape is now known.
  if (kind === 'arrival_classification') return validateRuleSet(candidate as ArrivalRuleSet);
  if (kind === 'vaccine_schedule') return validateSchedule(candidate as VaccineScheduleRuleSet);
  if (kind === 'scenario_ratios') return validateScenarioRuleSet(candidate as ScenarioRuleSet); // issue 12
  if (kind === 'workplace_safety')
    return validateWorkplaceSafety(candidate as WorkplaceSafetyRuleSet); // issue 18 item 4
  if (kind === 'supply_catalogue') return validateSupplyCatalogue(candidate as SupplyCatalogue);
  if (kind === 'violation_types') return validateViolationTypes(candidate as ViolationTypeSet);
  if (kind === 'contact_tracing') {
    return validateTracingRuleSet(candidate as ContactTracingRuleSet).map((m) => ({
      path: m.split(':')[0]?.trim() || 'definition',
      message: m,
    }));
  }
  return [];
}

function dedupe(issues: VersionIssue[]): VersionIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface ValidityCheck {
  /** Refusals on the validity (409): overlap or a start before what is allowed. */
  issues: VersionIssue[];
  /** The open-ended version in force that the new one ends the day before it starts. */
  closes: { id: string; validTo: IsoDate } | null;
}

/**
 * Where the candidate's validity fits among the stored versions of its kind. `decidedToday`:
 * a decision of this kind was already taken today (then the version starts tomorrow at the
 * earliest). A version marked `overrides` (a province stricter than the ministry) is compared
 * only with other overriding ones, and a plain one with plain ones: rulesetInForce gives the
 * overriding one precedence by design.
 */
export function checkValidity(
  candidate: { id: string; validFrom: IsoDate; validTo: IsoDate | null; overrides?: boolean },
  stored: readonly StoredVersion[],
  today: IsoDate,
  decidedToday: boolean,
): ValidityCheck {
  const issues: VersionIssue[] = [];
  const earliest = decidedToday ? addDays(today, 1) : today;
  if (compare(candidate.validFrom, earliest) < 0) {
    issues.push({
      path: 'validFrom',
      message: decidedToday
        ? `Từ ngày ${formatViDate(earliest)} trở đi: hôm nay đã có quyết định theo phiên bản đang hiệu lực`
        : `Không được bắt đầu trước hôm nay (${formatViDate(today)}): quyết định đã đưa ra không thay đổi`,
    });
  }
  if (candidate.validTo !== null && compare(candidate.validTo, candidate.validFrom) < 0) {
    issues.push({ path: 'validTo', message: 'Ngày hết hiệu lực trước ngày bắt đầu' });
  }
  const peers = stored.filter(
    (v) => (v.overrides === true) === (candidate.overrides === true) && v.id !== candidate.id,
  );
  // An open-ended candidate takes over from the open-ended peer that started before it, which
  // ends the day before. A bounded one inside an open-ended peer would leave a gap after it: refused.
  const open =
    candidate.validTo === null
      ? peers.find((v) => v.validTo === null && compare(v.validFrom, candidate.validFrom) < 0)
      : undefined;
  const closes = open ? { id: open.id, validTo: addDays(candidate.validFrom, -1) } : null;
  for (const v of peers) {
    const vTo = closes && v.id === closes.id ? closes.validTo : v.validTo;
    const startsBeforeItEnds = vTo === null || compare(candidate.validFrom, vTo) <= 0;
    const endsAfterItStarts =
      candidate.validTo === null || compare(candidate.validTo, v.validFrom) >= 0;
    if (startsBeforeItEnds && endsAfterItStarts) {
      const until = vTo === null ? '…' : formatViDate(vTo);
      issues.push({
        path: compare(candidate.validFrom, v.validFrom) >= 0 ? 'validFrom' : 'validTo',
        message: `Trùng thời gian hiệu lực với ${v.id} (${formatViDate(v.validFrom)} – ${until})`,
      });
    }
  }
  return { issues, closes: issues.length ? null : closes };
}
