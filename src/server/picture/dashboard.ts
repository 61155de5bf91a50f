import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Scope } from '../../domain/access.ts';
import { addDays, type IsoDate } from '../../domain/dates.ts';
import { LEVEL_COLOURS } from '../../domain/levels.ts';
import type { Queryable } from '../db/index.ts';
import { audit, requirePermission } from '../context.ts';
import type { UnitRow } from '../geo/units.ts';
import { isoDate, todayVn, unitCode } from '../vaccination/common.ts';
import { unitInScope } from '../vaccination/coverage.ts';
import type { CapacitySource } from './capacity.ts';

export const FOUND_BY = ['community', 'quarantine', 'entry', 'imported', 'screening'] as const;
const OPEN_STATUSES = ['unisolated', 'home_isolation', 'facility', 'hospital'] as const;

/** The column that holds a unit's code in the aggregates: a province, district or commune. */
export const unitColumn = (u: Pick<UnitRow, 'level'>) =>
  u.level === 1 ? 'province_code' : u.level === 2 ? 'district_code' : 'commune_code';

/** The area of a unit as a scope, for the readers that take one (capacity). */
export const unitScope = (unit: UnitRow): Scope => ({
  level: unit.level === 1 ? 'province' : unit.level === 2 ? 'district' : 'commune',
  provinceCode: unit.province_code,
  districtCode: unit.level === 2 ? unit.code : unit.district_code,
  communeCode: unit.level === 3 ? unit.code : null,
});

/** The epidemic curve of a unit: one index range of case_daily per unit level. */
export function curveSql(unit: Pick<UnitRow, 'level' | 'code'>, from: IsoDate, to: IsoDate) {
  return {
    sql: `SELECT to_char(day, 'YYYY-MM-DD') AS day, found_by, sum(n)::int AS n FROM case_daily
           WHERE ${unitColumn(unit)} = $1 AND day BETWEEN $2::date AND $3::date GROUP BY day, found_by`,
    params: [unit.code, from, to] as unknown[],
  };
}

/**
 * The dashboard's four reads of maintained aggregates — the curve, F0 under treatment, arrivals,
 * the levels of the latest week — as ONE statement (one round trip), each an indexed range.
 * Params: $1 unit code, $2 from, $3 to, $4 open statuses, $5 province code.
 */
export function dashboardSql(
  unit: Pick<UnitRow, 'level' | 'code' | 'province_code'>,
  from: IsoDate,
  to: IsoDate,
) {
  const col = unitColumn(unit);
  const agg = (sql: string) => `(SELECT coalesce(json_agg(x), '[]'::json) FROM (${sql}) x)`;
  const sql = `SELECT
    ${agg(`SELECT to_char(day, 'YYYY-MM-DD') AS day, found_by, sum(n)::int AS n FROM case_daily
            WHERE ${col} = $1 AND day BETWEEN $2::date AND $3::date GROUP BY day, found_by`)} AS curve,
    ${agg(`SELECT status, tier, sum(n)::int AS n FROM case_status_counts
            WHERE ${col} = $1 AND status = ANY($4::text[]) GROUP BY status, tier ORDER BY status, tier`)} AS status,
    ${agg(`SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(people_in)::int AS people_in,
                  sum(from_epidemic_area)::int AS from_epidemic_area
             FROM entry_daily_counts WHERE province_code = $5 AND ${col === 'province_code' ? '$1::text IS NOT NULL' : `${col} = $1`}
              AND day BETWEEN $2::date AND $3::date GROUP BY day ORDER BY day`)} AS arrivals,
    ${agg(`SELECT a.unit_code, u.name, a.unit_level, a.level, a.status, to_char(a.week_end, 'YYYY-MM-DD') AS week_end,
                  a.rate, a.inputs
             FROM level_assessments a JOIN admin_units u ON u.code = a.unit_code
            WHERE a.province_code = $5
              AND a.week_end = (SELECT max(week_end) FROM level_assessments
                                 WHERE province_code = $5 AND unit_code = $1 AND week_end <= $3::date)
              AND (a.unit_code = $1 OR ${unit.level === 1 ? 'a.unit_level = 2' : unit.level === 2 ? 'a.district_code = $1' : 'false'})
            ORDER BY a.unit_level, a.unit_code`)} AS levels`;
  return { sql, params: [unit.code, from, to, OPEN_STATUSES, unit.province_code] as unknown[] };
}

/** Every figure of the dashboard, from maintained aggregates only (no count over records). */
export async function dashboardOf(
  q: Queryable,
  unit: UnitRow,
  date: IsoDate,
  days: number,
  capacity: CapacitySource,
) {
  const from = addDays(date, -(days - 1));
  const d = dashboardSql(unit, from, date);
  const [all] = await q.query<{
    curve: { day: string; found_by: string; n: number }[];
    status: { status: string; tier: number; n: number }[];
    arrivals: { day: string; people_in: number; from_epidemic_area: number }[];
    levels: {
      unit_code: string;
      name: string;
      unit_level: number;
      level: number;
      status: string;
      week_end: string;
      rate: string | number;
      inputs: { cases7d: number; cov18OneDose: number | null; elderlyFull: number | null };
    }[];
  }>(d.sql, d.params);
  const { curve: curveRows, status: statusRows, arrivals, levels } = all!;
  const curve: Record<string, number | string>[] = [];
  const byDay = new Map<string, Record<string, number | string>>();
  for (let i = 0; i < days; i++) {
    const day = addDays(from, i);
    const row: Record<string, number | string> = { day, total: 0 };
    for (const f of FOUND_BY) row[f] = 0;
    byDay.set(day, row);
    curve.push(row);
  }
  for (const r of curveRows) {
    const row = byDay.get(r.day);
    if (!row) continue;
    row[r.found_by] = r.n;
    row.total = (row.total as number) + r.n;
  }
  const treatment = statusRows
    .filter((r) => r.n > 0)
    .map((r) => ({ status: r.status, tier: r.tier || null, n: r.n }));
  const own = levels.find((l) => l.unit_code === unit.code);
  const cap = await capacity(q, unitScope(unit));
  return {
    unit: { code: unit.code, name: unit.name, level: unit.level, population: unit.population },
    date,
    curve,
    treatment,
    arrivals,
    level: own
      ? {
          level: own.level,
          colour: LEVEL_COLOURS[own.level as 1 | 2 | 3 | 4],
          status: own.status,
          weekEnd: own.week_end,
          rate: Number(own.rate),
        }
      : null,
    coverage: own
      ? {
          cov18OneDose: own.inputs.cov18OneDose,
          elderlyFull: own.inputs.elderlyFull,
          asOf: own.week_end,
        }
      : null,
    subunits: levels
      .filter((l) => l.unit_code !== unit.code)
      .map((l) => ({
        code: l.unit_code,
        name: l.name,
        level: l.level,
        status: l.status,
        rate: Number(l.rate),
        cases7d: l.inputs.cases7d,
        cov18OneDose: l.inputs.cov18OneDose,
      })),
    capacity: cap,
    notAvailable: ['tests', 'quarantine', ...(cap ? [] : ['capacity'])],
  };
}

export async function dashboardRoutes(server: FastifyInstance, opts: { capacity: CapacitySource }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/dashboard',
    {
      preHandler: requirePermission('dashboard.read'),
      schema: {
        tags: ['dashboard'],
        summary: 'The picture of a province, district or commune, from maintained aggregates',
        querystring: z.object({
          unit: unitCode,
          date: isoDate.optional(),
          days: z.coerce.number().int().min(7).max(180).default(60),
        }),
      },
    },
    async (req) => {
      const unit = await unitInScope(req, req.query.unit, 'dashboard.read', 'unit');
      const out = await dashboardOf(
        app.db,
        unit,
        req.query.date ?? todayVn(),
        req.query.days,
        opts.capacity,
      );
      await audit(app.db, req, {
        action: 'dashboard.read',
        resourceType: 'dashboard',
        resourceId: unit.code,
        outcome: 'allowed',
      });
      return out;
    },
  );
}
