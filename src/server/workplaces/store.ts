/**
 * Workplaces and schools (issue 18 item 4): the row kept beside a workplace's site, the list SQL
 * (exported for the plan test) and what a screening upload changes. Screening results are the
 * testing module's own results (test_results with the workplace's site_id); `noteScreening` is
 * called by the testing module in the transaction that writes them.
 */
import { dateOfInstant } from '../../domain/dates.ts';
import { rulesetInForce } from '../../domain/rulesets.ts';
import {
  decideOutbreak,
  dueDates,
  outbreakWindowStart,
  riskRank,
  type RiskLevel,
  type WorkplaceSafetyRuleSet,
} from '../../domain/workplaces.ts';
import type { Queryable } from '../db/index.ts';
import { param } from '../lists.ts';
import { ruleSetsOfKind } from '../rulesets.ts';

export const todayVn = () => dateOfInstant(Date.now());

export interface WorkplaceRow {
  site_id: string;
  name: string;
  address: string | null;
  kind: string;
  workforce: number;
  latitude: number | null;
  longitude: number | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  commune_name?: string;
  district_name?: string;
  registered_on: string;
  assessment_id: string | null;
  assessed_on: string | null;
  risk_level: RiskLevel | null;
  score: string | number | null;
  screened_on: string | null;
  screened_total: number;
  positives_total: number;
  assessment_due_on: string;
  screening_due_on: string;
  due_on: string;
  risk_rank: number;
  outbreak: boolean;
  outbreak_since: string | null;
  outbreak_positives: number | null;
  outbreak_ruleset_id: string | null;
  outbreak_rule_id: string | null;
  outbreak_explanation: { vi: string; en: string } | null;
  client_id: string | null;
}

export const W_COLUMNS = `w.site_id, w.kind, w.workforce, w.latitude, w.longitude, w.province_code, w.district_code,
  w.commune_code, w.registered_on::text AS registered_on, w.assessment_id, w.assessed_on::text AS assessed_on,
  w.risk_level, w.score, w.screened_on::text AS screened_on, w.screened_total, w.positives_total,
  w.assessment_due_on::text AS assessment_due_on, w.screening_due_on::text AS screening_due_on,
  w.due_on::text AS due_on, w.risk_rank, w.outbreak, w.outbreak_since::text AS outbreak_since,
  w.outbreak_positives, w.outbreak_ruleset_id, w.outbreak_rule_id, w.outbreak_explanation, w.client_id`;

/** The page's rows joined to their site and units, after the page was chosen through an index. */
const JOIN = `JOIN sites s ON s.id = w.site_id
  LEFT JOIN admin_units cu ON cu.code = w.commune_code LEFT JOIN admin_units du ON du.code = w.district_code`;
const SHOWN = `w.*, s.name, s.address, cu.name AS commune_name, du.name AS district_name`;

export const placeOfWorkplace = (
  w: Pick<WorkplaceRow, 'province_code' | 'district_code' | 'commune_code' | 'site_id'>,
) => ({
  provinceCode: w.province_code,
  districtCode: w.district_code,
  communeCode: w.commune_code,
  siteId: w.site_id,
});

export async function loadWorkplace(q: Queryable, siteId: string) {
  return (
    await q.query<WorkplaceRow>(
      `SELECT ${SHOWN} FROM (SELECT ${W_COLUMNS} FROM workplaces w WHERE w.site_id = $1) w ${JOIN}`,
      [siteId],
    )
  )[0];
}

/**
 * The risk list: outbreaks first, then very high … low, not assessed last; keyset on
 * (risk_rank, site_id) descending through workplaces_risk_<level> before the join.
 */
export function riskListSql(
  scopeSql: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopeSql];
  if (after)
    where.push(
      `(w.risk_rank, w.site_id) < (${param(params, after[0])}::smallint, ${param(params, after[1])}::uuid)`,
    );
  const lim = param(params, limit + 1);
  return `SELECT ${SHOWN} FROM (SELECT ${W_COLUMNS} FROM workplaces w WHERE ${where.join(' AND ')}
      ORDER BY w.risk_rank DESC, w.site_id DESC LIMIT ${lim}) w ${JOIN}
    ORDER BY w.risk_rank DESC, w.site_id DESC`;
}

/**
 * The overdue list: workplaces whose assessment or screening was due before `today`, the longest
 * overdue first; keyset on (due_on, site_id) through workplaces_due_<level> before the join.
 */
export function overdueListSql(
  scopeSql: string,
  params: unknown[],
  today: string,
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopeSql, `w.due_on < ${param(params, today)}::date`];
  if (after)
    where.push(
      `(w.due_on, w.site_id) > (${param(params, after[0])}::date, ${param(params, after[1])}::uuid)`,
    );
  const lim = param(params, limit + 1);
  return `SELECT ${SHOWN} FROM (SELECT ${W_COLUMNS} FROM workplaces w WHERE ${where.join(' AND ')}
      ORDER BY w.due_on, w.site_id LIMIT ${lim}) w ${JOIN}
    ORDER BY w.due_on, w.site_id`;
}

/** Per district of the area: workplaces, outbreaks, the worst rank and how many are overdue. */
export function riskByDistrictSql(scopeSql: string, params: unknown[], today: string) {
  return `SELECT w.district_code, count(*)::int AS n, count(*) FILTER (WHERE w.outbreak)::int AS outbreaks,
      max(w.risk_rank)::int AS worst, count(*) FILTER (WHERE w.due_on < ${param(params, today)}::date)::int AS overdue
    FROM workplaces w WHERE ${scopeSql} GROUP BY w.district_code ORDER BY w.district_code`;
}

export async function workplaceRuleSets(q: Queryable) {
  return ruleSetsOfKind<WorkplaceSafetyRuleSet>(q, 'workplace_safety');
}
export function safetyInForce(sets: readonly WorkplaceSafetyRuleSet[], on: string) {
  return rulesetInForce(sets, 'workplace_safety', on);
}

/**
 * A screening upload wrote results at `siteId` (testing module, same transaction): if the site is
 * a workplace, its screening date and totals move on, the outbreak rule in force decides on the
 * positives of its window (counted through test_results_site), and the due dates and rank follow.
 * The flag is stored with the rule set and rule that decided and their words.
 */
export async function noteScreening(
  q: Queryable,
  siteId: string | null,
  written: { count: number; positives: number; lastSampleDate: string | null },
): Promise<void> {
  if (!siteId || written.count === 0) return;
  const w = (
    await q.query<
      Pick<
        WorkplaceRow,
        | 'registered_on'
        | 'assessed_on'
        | 'screened_on'
        | 'outbreak'
        | 'outbreak_since'
        | 'risk_level'
      >
    >(
      `SELECT registered_on::text AS registered_on, assessed_on::text AS assessed_on, screened_on::text AS screened_on,
              outbreak, outbreak_since::text AS outbreak_since, risk_level
         FROM workplaces WHERE site_id = $1 FOR UPDATE`,
      [siteId],
    )
  )[0];
  if (!w) return;
  const today = todayVn();
  const rs = safetyInForce(await workplaceRuleSets(q), today);
  if (!rs) return;
  const positives = (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM test_results
        WHERE site_id = $1 AND sample_date BETWEEN $2::date AND $3::date AND result = 'positive'`,
      [siteId, outbreakWindowStart(rs, today), today],
    )
  )[0]!.n;
  const decision = decideOutbreak(rs, positives, today);
  const last =
    written.lastSampleDate && written.lastSampleDate <= today ? written.lastSampleDate : today;
  const screenedOn = w.screened_on && w.screened_on > last ? w.screened_on : last;
  const due = dueDates(rs, {
    registeredOn: w.registered_on,
    assessedOn: w.assessed_on,
    screenedOn,
    outbreak: decision.outbreak,
  });
  await q.query(
    `UPDATE workplaces SET screened_on = $2, screened_total = screened_total + $3, positives_total = positives_total + $4,
        screening_due_on = $5, assessment_due_on = $6, outbreak = $7,
        outbreak_since = CASE WHEN $7 THEN coalesce(outbreak_since, $8::date) END,
        outbreak_positives = $9, outbreak_ruleset_id = $10, outbreak_rule_id = $11, outbreak_explanation = $12,
        risk_rank = $13, updated_at = now()
      WHERE site_id = $1`,
    [
      siteId,
      screenedOn,
      written.count,
      written.positives,
      due.screeningDueOn,
      due.assessmentDueOn,
      decision.outbreak,
      today,
      positives,
      rs.id,
      decision.ruleId,
      JSON.stringify(decision.explanation),
      riskRank(w.risk_level, decision.outbreak),
    ],
  );
}

export const presentWorkplace = (w: WorkplaceRow, today: string) => ({
  id: w.site_id,
  name: w.name,
  address: w.address,
  kind: w.kind,
  workforce: w.workforce,
  latitude: w.latitude,
  longitude: w.longitude,
  provinceCode: w.province_code,
  districtCode: w.district_code,
  districtName: w.district_name ?? null,
  communeCode: w.commune_code,
  communeName: w.commune_name ?? null,
  registeredOn: w.registered_on,
  assessment: w.assessment_id
    ? {
        id: w.assessment_id,
        assessedOn: w.assessed_on,
        riskLevel: w.risk_level,
        score: Number(w.score),
      }
    : null,
  screening: {
    lastOn: w.screened_on,
    total: w.screened_total,
    positives: w.positives_total,
  },
  assessmentDueOn: w.assessment_due_on,
  screeningDueOn: w.screening_due_on,
  assessmentOverdue: w.assessment_due_on < today,
  screeningOverdue: w.screening_due_on < today,
  riskRank: w.risk_rank,
  outbreak: w.outbreak
    ? {
        since: w.outbreak_since,
        positives: w.outbreak_positives,
        ruleSetId: w.outbreak_ruleset_id,
        ruleId: w.outbreak_rule_id,
        explanation: w.outbreak_explanation,
      }
    : null,
  // the last decision of the outbreak rule, also when it found none
  outbreakDecision: w.outbreak_rule_id
    ? {
        ruleSetId: w.outbreak_ruleset_id,
        ruleId: w.outbreak_rule_id,
        explanation: w.outbreak_explanation,
      }
    : null,
});
