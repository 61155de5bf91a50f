/**
 * The figures of the steering committee's report for a period, from the maintained aggregates
 * (case_daily, case_status_counts, entry_daily_counts) and the published levels.
 */
import type { IsoDate } from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';

export interface SteeringFigures {
  province: { code: string; name: string };
  from: IsoDate;
  to: IsoDate;
  cases: { total: number; cumulative: number; byFoundBy: Record<string, number> };
  byDistrict: { code: string; name: string; period: number; cumulative: number }[];
  treatment: { status: string; n: number }[];
  entry: {
    people_in: number;
    from_epidemic_area: number;
    centralised: number;
    home_quarantine: number;
    rapid_tests: number;
    rapid_positive: number;
  };
  levels: {
    weekEnd: string | null;
    communesByLevel: Record<string, number>;
    highCommunes: { name: string; district: string; level: number }[];
    cov18OneDose: number | null;
    elderlyFull: number | null;
  };
}

export async function steeringFigures(
  q: Queryable,
  provinceCode: string,
  from: IsoDate,
  to: IsoDate,
): Promise<SteeringFigures> {
  const [province] = await q.query<{ code: string; name: string }>(
    'SELECT code, name FROM admin_units WHERE code = $1',
    [provinceCode],
  );
  const byFound = await q.query<{ found_by: string; n: number }>(
    `SELECT found_by, sum(n)::int AS n FROM case_daily
      WHERE province_code = $1 AND day BETWEEN $2::date AND $3::date GROUP BY found_by`,
    [provinceCode, from, to],
  );
  const byDistrict = await q.query<{
    code: string;
    name: string;
    period: number;
    cumulative: number;
  }>(
    `SELECT u.code, u.name,
            coalesce(sum(c.n) FILTER (WHERE c.day >= $2::date), 0)::int AS period,
            coalesce(sum(c.n), 0)::int AS cumulative
       FROM admin_units u
       LEFT JOIN case_daily c ON c.district_code = u.code AND c.day <= $3::date
      WHERE u.province_code = $1 AND u.level = 2
      GROUP BY u.code, u.name ORDER BY u.code`,
    [provinceCode, from, to],
  );
  const treatment = await q.query<{ status: string; n: number }>(
    `SELECT status, sum(n)::int AS n FROM case_status_counts
      WHERE province_code = $1 AND status IN ('unisolated', 'home_isolation', 'facility', 'hospital')
      GROUP BY status HAVING sum(n) > 0 ORDER BY status`,
    [provinceCode],
  );
  const [entry] = await q.query<SteeringFigures['entry']>(
    `SELECT coalesce(sum(people_in), 0)::int AS people_in,
            coalesce(sum(from_epidemic_area), 0)::int AS from_epidemic_area,
            coalesce(sum(centralised), 0)::int AS centralised,
            coalesce(sum(home_quarantine), 0)::int AS home_quarantine,
            coalesce(sum(rapid_tests), 0)::int AS rapid_tests,
            coalesce(sum(rapid_positive), 0)::int AS rapid_positive
       FROM entry_daily_counts WHERE province_code = $1 AND day BETWEEN $2::date AND $3::date`,
    [provinceCode, from, to],
  );
  const levelRows = await q.query<{
    unit_code: string;
    name: string;
    district: string | null;
    unit_level: number;
    level: number;
    week_end: string;
    inputs: { cov18OneDose: number | null; elderlyFull: number | null };
  }>(
    `SELECT a.unit_code, u.name, d.name AS district, a.unit_level, a.level,
            to_char(a.week_end, 'YYYY-MM-DD') AS week_end, a.inputs
       FROM level_assessments a JOIN admin_units u ON u.code = a.unit_code
       LEFT JOIN admin_units d ON d.code = a.district_code
      WHERE a.province_code = $1 AND a.status = 'published'
        AND a.week_end = (SELECT max(week_end) FROM level_assessments
                           WHERE province_code = $1 AND status = 'published' AND week_end <= $2::date)
      ORDER BY a.level DESC, a.unit_code`,
    [provinceCode, to],
  );
  const communesByLevel: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const r of levelRows)
    if (r.unit_level === 3) communesByLevel[r.level] = (communesByLevel[r.level] ?? 0) + 1;
  const own = levelRows.find((r) => r.unit_code === provinceCode);
  const total = byFound.reduce((s, r) => s + r.n, 0);
  return {
    province: province!,
    from,
    to,
    cases: {
      total,
      cumulative: byDistrict.reduce((s, r) => s + r.cumulative, 0),
      byFoundBy: Object.fromEntries(byFound.map((r) => [r.found_by, r.n])),
    },
    byDistrict,
    treatment,
    entry: entry!,
    levels: {
      weekEnd: levelRows[0]?.week_end ?? null,
      communesByLevel,
      highCommunes: levelRows
        .filter((r) => r.unit_level === 3 && r.level >= 3)
        .map((r) => ({ name: r.name, district: r.district ?? '', level: r.level })),
      cov18OneDose: own?.inputs.cov18OneDose ?? null,
      elderlyFull: own?.inputs.elderlyFull ?? null,
    },
  };
}
