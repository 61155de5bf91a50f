import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contains } from '../../domain/access.ts';
import {
  AGE_GROUP_IDS,
  AGE_GROUPS,
  CENSUS_AGE_SHARES,
  coverageFigure,
  type AgeGroupId,
  type CoverageCounts,
  type CoverageFigure,
} from '../../domain/vaccination.ts';
import { areaScope, audit, requireActor, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError, notFound } from '../errors.ts';
import { getUnit, type UnitRow } from '../geo/units.ts';
import { isoDate, TAG, todayVn, unitCode } from './common.ts';

interface CommuneYearRow {
  commune_code: string;
  birth_year: number;
  one: number;
  full: number;
  booster: number;
}

/**
 * Counts per residence commune and birth year, read from vaccination_commune_year (kept with
 * every change of vaccination_status, migration 0024): a few thousand rows for a province.
 */
export async function communeYearCounts(
  q: Queryable,
  provinceCode: string,
  communes: string[] | null,
): Promise<CommuneYearRow[]> {
  return q.query<CommuneYearRow>(
    // the maintained aggregate (migration 0024), one row per commune and birth year
    `SELECT commune_code, birth_year, one, full_primary AS full, booster
       FROM vaccination_commune_year
      WHERE res_province_code = $1 AND ($2::text[] IS NULL OR commune_code = ANY($2::text[]))
        AND one > 0`,
    [provinceCode, communes],
  );
}

const zero = (): CoverageCounts => ({ atLeastOne: 0, fullPrimary: 0, booster: 0 });
type Buckets = Record<AgeGroupId | 'all', CoverageCounts>;
const emptyBuckets = (): Buckets =>
  Object.fromEntries([...AGE_GROUP_IDS, 'all'].map((g) => [g, zero()])) as Buckets;

/** Adds one commune × birth-year row into the buckets its age (counted by birth year) falls in. */
function addRow(b: Buckets, r: CommuneYearRow, year: number) {
  const age = year - r.birth_year;
  const into = (c: CoverageCounts) => {
    c.atLeastOne += r.one;
    c.fullPrimary += r.full;
    c.booster += r.booster;
  };
  into(b.all);
  for (const g of AGE_GROUPS) if (age >= g.min && (g.max === null || age <= g.max)) into(b[g.id]);
}

export interface UnitCoverage {
  code: string;
  name: string;
  level: number;
  all: CoverageCounts;
  byAge: Record<AgeGroupId, CoverageFigure>;
}

/** Coverage of `unit` and of every commune (and district) in it, on `asOf`. */
export async function coverageOf(q: Queryable, unit: UnitRow, asOf: string) {
  const year = Number(asOf.slice(0, 4));
  const units = await q.query<UnitRow>(
    `SELECT code, name, short_name, type, level, parent_code, province_code, district_code, population
       FROM admin_units
      WHERE province_code = $1 AND level > 1
        AND ($2::int = 1 OR code = $3 OR district_code = $3 OR parent_code = $3)`,
    [unit.province_code, unit.level, unit.code],
  );
  const communes = units.filter((u) => u.level === 3 && (unit.level < 3 || u.code === unit.code));
  const districts =
    unit.level === 1 ? units.filter((u) => u.level === 2) : unit.level === 2 ? [unit] : [];
  const rows = await communeYearCounts(
    q,
    unit.province_code,
    unit.level === 1 ? null : communes.map((c) => c.code),
  );
  const byCommune = new Map<string, Buckets>();
  const byDistrict = new Map<string, Buckets>();
  const total = emptyBuckets();
  const districtOf = new Map(communes.map((c) => [c.code, c.district_code ?? c.parent_code ?? '']));
  for (const r of rows) {
    let b = byCommune.get(r.commune_code);
    if (!b) byCommune.set(r.commune_code, (b = emptyBuckets()));
    addRow(b, r, year);
    const d = districtOf.get(r.commune_code) ?? '';
    let db = byDistrict.get(d);
    if (!db) byDistrict.set(d, (db = emptyBuckets()));
    addRow(db, r, year);
    addRow(total, r, year);
  }
  const targets = await q.query<{ unit_code: string; age_group: AgeGroupId; population: number }>(
    `SELECT unit_code, age_group, population FROM vaccination_targets
      WHERE unit_code = ANY($1::text[])`,
    [[unit.code, ...communes.map((c) => c.code), ...districts.map((d) => d.code)]],
  );
  const entered = new Map(targets.map((t) => [`${t.unit_code}|${t.age_group}`, t.population]));
  const present = (u: UnitRow, b: Buckets): UnitCoverage => ({
    code: u.code,
    name: u.name,
    level: u.level,
    all: b.all,
    byAge: Object.fromEntries(
      AGE_GROUP_IDS.map((g) => [
        g,
        coverageFigure(b[g], entered.get(`${u.code}|${g}`) ?? null, u.population ?? null, g),
      ]),
    ) as Record<AgeGroupId, CoverageFigure>,
  });
  return {
    unit: { code: unit.code, name: unit.name, level: unit.level },
    asOf,
    ageBasis: 'birth_year' as const,
    groups: AGE_GROUP_IDS,
    estimateNote: {
      vi: `Mẫu số "ước tính" = dân số Tổng điều tra 2019 × tỷ lệ nhóm tuổi toàn quốc (${AGE_GROUP_IDS.map((g) => `${g}: ${CENSUS_AGE_SHARES[g] * 100}%`).join(', ')}), dùng khi chưa nhập dân số đích.`,
      en: `"estimate" denominators = 2019 census population × national age shares, used until a target population is entered.`,
    },
    total: present(unit, total),
    districts: districts.map((d) => present(d, byDistrict.get(d.code) ?? emptyBuckets())),
    communes: communes.map((c) => present(c, byCommune.get(c.code) ?? emptyBuckets())),
  };
}

async function unitInScope(req: FastifyRequest, code: string, action: string, field: string) {
  const db = req.server.db;
  const actor = requireActor(req);
  const unit = await getUnit(db, code);
  const area = await areaScope(db, actor.scope);
  const place = unit && {
    provinceCode: unit.province_code,
    districtCode: unit.level >= 2 ? (unit.district_code ?? unit.code) : null,
    communeCode: unit.level === 3 ? unit.code : null,
  };
  // a unit above the actor's jurisdiction has no code to match and is not theirs to read
  const ok = !!place && contains(area, place);
  if (!unit || !ok) {
    await audit(db, req, {
      action,
      resourceType: 'admin_unit',
      resourceId: code,
      outcome: 'denied',
      reason: unit ? 'outside_scope' : 'not_found',
    });
    if (!unit) throw fieldError(field, `Không có đơn vị hành chính mã ${code}`);
    throw notFound('Đơn vị');
  }
  return unit;
}

export async function coverageRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/coverage',
    {
      preHandler: requirePermission('coverage.read'),
      schema: {
        tags: [TAG],
        summary: 'Vaccination coverage of a province, district or commune by age group',
        description:
          'Returns {unit, asOf, ageBasis, groups, estimateNote, total, districts[], communes[]}; each is {code, name, level, all:{atLeastOne, fullPrimary, booster}, byAge:{"12-17"|"18+"|"50+"|"65+": {atLeastOne, fullPrimary, booster, denominator, denominatorSource: entered|estimate|none, pct:{…}}}}. Counts by residence; age by birth year (age = year of asOf − birth year).',
        querystring: z.object({
          unit: unitCode.describe('Province (2 digits), district (3) or commune (5) code'),
          asOf: isoDate.optional().describe('Reference day for ages (default today)'),
        }),
      },
    },
    async (req) => {
      const unit = await unitInScope(req, req.query.unit, 'coverage.read', 'unit');
      const result = await coverageOf(db, unit, req.query.asOf ?? todayVn());
      await audit(db, req, {
        action: 'coverage.read',
        resourceType: 'coverage',
        resourceId: unit.code,
        outcome: 'allowed',
      });
      return result;
    },
  );

  app.put(
    '/api/v1/vaccination-targets',
    {
      preHandler: requirePermission('coverage.read'),
      schema: {
        tags: [TAG],
        summary: 'Enter the target population (denominator) of a unit and age group',
        body: z.object({
          unitCode: unitCode.describe('Province, district or commune code in your area'),
          ageGroup: z.enum(['12-17', '18+', '50+', '65+']),
          population: z.number().int().min(0).max(100_000_000),
          source: z.string().trim().max(300).optional().describe('Where the figure comes from'),
        }),
      },
    },
    async (req) => {
      const b = req.body;
      const unit = await unitInScope(req, b.unitCode, 'coverage.read', 'unitCode');
      await db.tx(async (q) => {
        await q.query(
          `INSERT INTO vaccination_targets (unit_code, age_group, population, source, updated_by)
           VALUES ($1,$2,$3,$4,$5)
           ON CONFLICT (unit_code, age_group) DO UPDATE SET population = EXCLUDED.population,
             source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [unit.code, b.ageGroup, b.population, b.source ?? null, requireActor(req).id],
        );
        await audit(q, req, {
          action: 'coverage.target',
          resourceType: 'admin_unit',
          resourceId: unit.code,
          outcome: 'allowed',
          detail: { ageGroup: b.ageGroup, population: b.population },
        });
      });
      return {
        unitCode: unit.code,
        ageGroup: b.ageGroup,
        population: b.population,
        source: b.source ?? null,
      };
    },
  );
}

export { unitInScope };
