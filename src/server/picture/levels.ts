/**
 * Levels per unit and week: inputs gathered set-wise from the maintained aggregates
 * (case_daily), vaccination coverage, the capacity answers and last week's levels; decided by
 * the pure rule set (src/domain/levels.ts); stored as drafts until the province publishes.
 */
import { addDays, type IsoDate } from '../../domain/dates.ts';
import {
  decideLevel,
  elderlyGroupOn,
  evaluateLevel,
  levelRuleSetFor,
  type LevelDecision,
  type LevelInputs,
  type LevelRuleSet,
} from '../../domain/levels.ts';
import type { EpidemicLevel } from '../../domain/rulesets.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError } from '../errors.ts';
import { getUnit } from '../geo/units.ts';
import {
  AGE_GROUP_IDS,
  AGE_GROUPS,
  birthYearsOf,
  coverageDenominator,
  percent,
  type AgeGroupId,
  type CoverageCounts,
} from '../../domain/vaccination.ts';

export interface AssessmentRow {
  unit_code: string;
  unit_name: string;
  unit_level: number;
  province_code: string;
  district_code: string | null;
  week_end: string;
  computed_level: number;
  level: number;
  inputs: LevelInputs & { capacitySource?: string; coverageAsOf?: string };
  rate: string | number;
  rule_set_id: string;
  rule_id: string;
  /** Null when computed in bulk: derived on reading from the rule set version and the inputs. */
  steps: LevelDecision['steps'] | null;
  explanation: { vi: string; en: string } | null;
  status: 'draft' | 'published';
  override_reason: string | null;
  computed_at: string;
  published_at: string | null;
}

export const ASSESSMENT_COLUMNS = `a.unit_code, u.name AS unit_name, a.unit_level, a.province_code, a.district_code,
  to_char(a.week_end, 'YYYY-MM-DD') AS week_end, a.computed_level, a.level, a.inputs, a.rate, a.rule_set_id,
  a.rule_id, a.steps, a.explanation, a.status, a.override_reason, a.computed_at, a.published_at`;

export function presentAssessment(r: AssessmentRow, sets: readonly LevelRuleSet[]) {
  const rs = sets.find((s) => s.id === r.rule_set_id);
  // the words are derived from the stored rule set version and inputs (a version never changes)
  const words =
    r.steps && r.explanation
      ? { steps: r.steps, explanation: r.explanation }
      : rs
        ? evaluateLevel(rs, r.week_end, r.inputs)
        : { steps: [], explanation: null };
  const step = words.steps.find((s) => s.id === r.rule_id);
  return {
    unit: { code: r.unit_code, name: r.unit_name, level: r.unit_level },
    date: r.week_end,
    level: r.level as EpidemicLevel,
    computedLevel: r.computed_level as EpidemicLevel,
    status: r.status,
    overrideReason: r.override_reason,
    rate: Number(r.rate),
    inputs: r.inputs,
    rule: { id: r.rule_id, text: step ? { vi: step.vi, en: step.en } : null },
    ruleSet: rs
      ? { id: rs.id, name: rs.name, legalBasis: rs.legalBasis, confidence: rs.confidence }
      : { id: r.rule_set_id },
    steps: words.steps,
    explanation: words.explanation,
    computedAt: r.computed_at,
    publishedAt: r.published_at,
  };
}

interface UnitPop {
  code: string;
  level: number;
  province_code: string;
  district: string | null;
  population: number | null;
}

type Buckets = Record<AgeGroupId | 'all', CoverageCounts>;
type StoredInputs = LevelInputs & { capacitySource: string; coverageAsOf: string };

/** The inputs a level stores, each with the SQL type it is sent as (every key of StoredInputs). */
const STORED_INPUTS = [
  ['population', 'int'],
  ['cases7d', 'int'],
  ['cov18OneDose', 'numeric'],
  ['elderlyFull', 'numeric'],
  ['populationFull', 'numeric'],
  ['capacityMet', 'boolean'],
  ['previous', 'smallint'],
  ['capacitySource', 'text'],
  ['coverageAsOf', 'text'],
] as const satisfies readonly (readonly [keyof StoredInputs, string])[];
// fails to compile when StoredInputs gains a key the list does not store
const storesEveryInput: Exclude<keyof StoredInputs, (typeof STORED_INPUTS)[number][0]> extends never
  ? true
  : never = true;
void storesEveryInput;

const empty = (): Buckets =>
  Object.fromEntries(
    [...AGE_GROUP_IDS, 'all'].map((g) => [g, { atLeastOne: 0, fullPrimary: 0, booster: 0 }]),
  ) as Buckets;
/** The counts of a unit with no vaccination recorded (read only). */
const NO_DOSES: Buckets = empty();
const SUMS = ['one', 'full', 'booster'] as const;

/**
 * Vaccination counts per commune and age group on `year` (age by birth year), summed in SQL
 * from the maintained vaccination_commune_year: one row per commune with a column per group.
 */
function coverageSql(year: number, province: string | null) {
  const cols = [
    ...SUMS.map((k, i) => `sum(${['one', 'full_primary', 'booster'][i]})::int AS all_${k}`),
    ...AGE_GROUPS.flatMap((g, gi) => {
      const { from, to } = birthYearsOf(g.id, year);
      const cond = `birth_year <= ${to}${from === null ? '' : ` AND birth_year >= ${from}`}`;
      return SUMS.map(
        (k, i) =>
          `(sum(${['one', 'full_primary', 'booster'][i]}) FILTER (WHERE ${cond}))::int AS g${gi}_${k}`,
      );
    }),
  ];
  return {
    sql: `SELECT commune_code, ${cols.join(', ')} FROM vaccination_commune_year
           WHERE ($1::text IS NULL OR res_province_code = $1) GROUP BY commune_code`,
    params: [province] as unknown[],
  };
}

/**
 * Computes the levels of every commune, district and province (of `provinceCode`, or of the
 * whole country when null) for the week ending on `date`, and stores them as drafts (a published
 * level of that week is kept). Set-wise: one statement per input over the maintained aggregates
 * (case_daily, vaccination_commune_year, unit_capacity_status, last week's level_assessments),
 * the pure rule set per unit in memory, and one upsert. Returns how many units were assessed and
 * which were skipped (no population figure).
 */
export async function computeLevels(
  q: Queryable,
  provinceCode: string | null,
  date: IsoDate,
  sets: readonly LevelRuleSet[],
) {
  const rs = levelRuleSetFor(sets, date);
  if (!rs) throw fieldError('date', `Không có bộ quy tắc cấp độ dịch nào có hiệu lực ngày ${date}`);
  if (provinceCode !== null) {
    const province = await getUnit(q, provinceCode);
    if (!province || province.level !== 1) throw fieldError('unit', 'Không phải mã tỉnh');
  }
  const t0 = performance.now();
  const p = [provinceCode];
  const where = (col = 'province_code') => `($1::text IS NULL OR ${col} = $1)`;
  const units = await q.query<UnitPop>(
    `SELECT code, level, province_code, CASE level WHEN 3 THEN coalesce(district_code, parent_code)
            WHEN 2 THEN code END AS district, population
       FROM admin_units WHERE ${where()}`,
    p,
  );
  const cases = await q.query<{ commune_code: string; n: number }>(
    `SELECT commune_code, sum(n)::int AS n FROM case_daily
      WHERE ${where()} AND day BETWEEN $2::date AND $3::date AND found_by = 'community'
      GROUP BY commune_code`,
    [provinceCode, addDays(date, -6), date],
  );
  const capacity = await q.query<{ unit_code: string; met: boolean }>(
    `SELECT unit_code, met FROM unit_capacity_status WHERE ${where()}`,
    p,
  );
  const previous = await q.query<{ unit_code: string; level: number }>(
    `SELECT unit_code, level FROM level_assessments WHERE ${where()} AND week_end = $2::date`,
    [provinceCode, addDays(date, -7)],
  );
  const c = coverageSql(Number(date.slice(0, 4)), provinceCode);
  const coverage = await q.query<Record<string, number | null> & { commune_code: string }>(
    c.sql,
    c.params,
  );
  const targets = await q.query<{ unit_code: string; age_group: AgeGroupId; population: number }>(
    `SELECT t.unit_code, t.age_group, t.population FROM vaccination_targets t
      WHERE $1::text IS NULL OR t.unit_code IN (SELECT code FROM admin_units WHERE province_code = $1)`,
    p,
  );

  const t1 = performance.now();
  // roll the communes up into their district and province
  const byCode = new Map(units.map((u) => [u.code, u]));
  const upward = (commune: string) => {
    const u = byCode.get(commune);
    return u ? [commune, u.district, u.province_code] : [];
  };
  const caseOf = new Map<string, number>();
  for (const r of cases)
    for (const k of upward(r.commune_code)) if (k) caseOf.set(k, (caseOf.get(k) ?? 0) + r.n);
  const buckets = new Map<string, Buckets>();
  for (const r of coverage)
    for (const k of upward(r.commune_code)) {
      if (!k) continue;
      let b = buckets.get(k);
      if (!b) buckets.set(k, (b = empty()));
      const add = (into: CoverageCounts, prefix: string) => {
        into.atLeastOne += r[`${prefix}_one`] ?? 0;
        into.fullPrimary += r[`${prefix}_full`] ?? 0;
        into.booster += r[`${prefix}_booster`] ?? 0;
      };
      add(b.all, 'all');
      AGE_GROUPS.forEach((g, gi) => add(b[g.id], `g${gi}`));
    }
  const entered = new Map(targets.map((t) => [`${t.unit_code}|${t.age_group}`, t.population]));
  const cap = new Map(capacity.map((x) => [x.unit_code, x.met]));
  const prev = new Map(previous.map((x) => [x.unit_code, x.level as EpidemicLevel]));
  const group = elderlyGroupOn(rs, date);
  // the rows to store, column by column (sent as typed arrays: parsing one JSON document of
  // 11,367 rows took the database more time than writing them)
  const cols = {
    unit_code: [] as string[],
    unit_level: [] as number[],
    province_code: [] as string[],
    district_code: [] as (string | null)[],
    level: [] as number[],
    rate: [] as number[],
    rule_id: [] as string[],
  };
  const inputCols = STORED_INPUTS.map(() => [] as unknown[]);
  const skipped: string[] = [];
  for (const u of units) {
    if (!u.population || u.population < 1) {
      skipped.push(u.code);
      continue;
    }
    const b = buckets.get(u.code) ?? NO_DOSES;
    const pct = (g: AgeGroupId, k: keyof CoverageCounts) =>
      percent(b[g][k], coverageDenominator(entered.get(`${u.code}|${g}`) ?? null, u.population, g));
    const inputs: StoredInputs = {
      population: u.population,
      cases7d: caseOf.get(u.code) ?? 0,
      cov18OneDose: pct('18+', 'atLeastOne'),
      elderlyFull: pct(group, 'fullPrimary'),
      populationFull: Math.round((b.all.fullPrimary / u.population) * 10000) / 100,
      capacityMet: cap.get(u.code) ?? false,
      previous: prev.get(u.code) ?? null,
      capacitySource: cap.has(u.code) ? 'entered' : 'not_entered',
      coverageAsOf: date,
    };
    // the level and its deciding rule; the words are rebuilt from these on reading
    const d = decideLevel(rs, date, inputs);
    cols.unit_code.push(u.code);
    cols.unit_level.push(u.level);
    cols.province_code.push(u.province_code);
    cols.district_code.push(u.district);
    cols.level.push(d.level);
    cols.rate.push(d.rate);
    cols.rule_id.push(d.ruleId);
    STORED_INPUTS.forEach(([k], i) => inputCols[i]!.push(inputs[k] ?? null));
  }
  const t2 = performance.now();
  // one statement; a published level of the week stays as published. The steps and words are
  // not stored (2 KB a unit, most of the time of a country-wide run): presentAssessment derives
  // them from the rule set version and the inputs stored here.
  const at = (i: number) => `$${i + 10}`;
  await q.query(
    `INSERT INTO level_assessments (unit_code, unit_level, province_code, district_code, week_end,
            computed_level, level, inputs, rate, rule_set_id, rule_id, steps, explanation)
     SELECT r.unit_code, r.unit_level, r.province_code, r.district_code, $1::date, r.level, r.level,
            jsonb_build_object(${STORED_INPUTS.map(([k], i) => `'${k}', i${i}`).join(', ')}),
            r.rate, $2, r.rule_id, NULL, NULL
       FROM unnest($3::text[], $4::smallint[], $5::text[], $6::text[], $7::smallint[], $8::numeric[],
                   $9::text[], ${STORED_INPUTS.map(([, type], i) => `${at(i)}::${type}[]`).join(', ')})
            AS r(unit_code, unit_level, province_code, district_code, level, rate, rule_id,
                 ${STORED_INPUTS.map((_, i) => `i${i}`).join(', ')})
     ON CONFLICT (unit_code, week_end) DO UPDATE SET
       computed_level = EXCLUDED.computed_level, level = EXCLUDED.level, inputs = EXCLUDED.inputs,
       rate = EXCLUDED.rate, rule_set_id = EXCLUDED.rule_set_id, rule_id = EXCLUDED.rule_id,
       steps = NULL, explanation = NULL, computed_at = now(),
       override_reason = NULL
     WHERE level_assessments.status = 'draft'`,
    [
      date,
      rs.id,
      cols.unit_code,
      cols.unit_level,
      cols.province_code,
      cols.district_code,
      cols.level,
      cols.rate,
      cols.rule_id,
      ...inputCols,
    ],
  );
  const t3 = performance.now();
  // where the time went (milliseconds): reading the inputs, deciding, storing
  const ms = { read: t1 - t0, decide: t2 - t1, write: t3 - t2 };
  return { ruleSetId: rs.id, assessed: cols.unit_code.length, skipped, ms };
}

/** The levels of one province (every commune, district and the province itself). */
export const computeProvinceLevels = (
  q: Queryable,
  provinceCode: string,
  date: IsoDate,
  sets: readonly LevelRuleSet[],
) => computeLevels(q, provinceCode, date, sets);

/**
 * The levels of `unit` and every unit in it for the week ending on `date`, ordered by code
 * (keyset on unit_code; (province_code, week_end, unit_code) serves scope and order).
 */
export function levelsListSql(
  unit: { code: string; level: number; province_code: string },
  date: IsoDate,
  after: string | null,
  limit: number,
) {
  const params: unknown[] = [unit.province_code, date, unit.code, after, limit + 1];
  const within =
    unit.level === 1
      ? '$3::text IS NOT NULL'
      : unit.level === 2
        ? '(a.unit_code = $3 OR a.district_code = $3)'
        : 'a.unit_code = $3';
  return {
    sql: `SELECT ${ASSESSMENT_COLUMNS}
            FROM level_assessments a JOIN admin_units u ON u.code = a.unit_code
           WHERE a.province_code = $1 AND a.week_end = $2::date AND ${within}
             AND ($4::text IS NULL OR a.unit_code > $4)
           ORDER BY a.unit_code LIMIT $5`,
    params,
  };
}

/** A unit's levels week by week, newest first (keyset on week_end). */
export function historySql(unitCode: string, before: string | null, limit: number) {
  return {
    sql: `SELECT ${ASSESSMENT_COLUMNS}
            FROM level_assessments a JOIN admin_units u ON u.code = a.unit_code
           WHERE a.unit_code = $1 AND ($2::date IS NULL OR a.week_end < $2::date)
           ORDER BY a.week_end DESC LIMIT $3`,
    params: [unitCode, before, limit + 1] as unknown[],
  };
}
