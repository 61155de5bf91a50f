/**
 * The public map (no login): the home province's published levels per district and commune,
 * new cases per commune in the 7 days of the published week (counts below SUPPRESS_BELOW are
 * shown as "< 5"), coverage, and the district boundaries (data/geo, GPL-3.0, dvhcvn). Only
 * aggregates of published weeks: nothing about any person. Cached and rate-limited.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { addDays } from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';

export const SUPPRESS_BELOW = 5;
const GEO = fileURLToPath(
  new URL('../../../data/geo/seed-districts-dien-bien-lang-son.geojson', import.meta.url),
);
const GEO_ALL = fileURLToPath(
  new URL('../../../data/geo/vn-districts-2021.geojson', import.meta.url),
);
const TTL_MS = 60_000;

export const suppress = (n: number) => (n < SUPPRESS_BELOW && n > 0 ? `< ${SUPPRESS_BELOW}` : n);

/** The published levels of the latest published week of a province (plan-tested). */
export const publicMapSql = `SELECT a.unit_code AS code, u.name, a.unit_level, a.district_code, a.level,
            to_char(a.week_end, 'YYYY-MM-DD') AS week_end, a.inputs
       FROM level_assessments a JOIN admin_units u ON u.code = a.unit_code
      WHERE a.province_code = $1 AND a.status = 'published'
        AND a.week_end = (SELECT max(week_end) FROM level_assessments
                           WHERE province_code = $1 AND status = 'published')
      ORDER BY a.unit_level, a.unit_code`;

export async function publicMap(q: Queryable, province: string) {
  const rows = await q.query<{
    code: string;
    name: string;
    unit_level: number;
    district_code: string | null;
    level: number;
    week_end: string;
    inputs: { cases7d: number; cov18OneDose: number | null };
  }>(publicMapSql, [province]);
  const weekEnd = rows[0]?.week_end ?? null;
  const present = (r: (typeof rows)[number]) => ({
    code: r.code,
    name: r.name,
    districtCode: r.unit_level === 3 ? r.district_code : null,
    level: r.level,
    cases7d: suppress(r.inputs.cases7d),
    cov18OneDose: r.inputs.cov18OneDose,
  });
  return {
    province: rows.find((r) => r.unit_level === 1)
      ? present(rows.find((r) => r.unit_level === 1)!)
      : null,
    weekEnd,
    from: weekEnd ? addDays(weekEnd, -6) : null,
    districts: rows.filter((r) => r.unit_level === 2).map(present),
    communes: rows.filter((r) => r.unit_level === 3).map(present),
    suppressedBelow: SUPPRESS_BELOW,
    populationSource: '2019 census',
  };
}

async function boundaries(province: string) {
  const pick = async (file: string) => {
    const fc = JSON.parse(await readFile(file, 'utf8')) as {
      features: { properties: { code: string; provinceCode?: string } }[];
    };
    return fc.features.filter((f) => f.properties.provinceCode === province);
  };
  let features = await pick(GEO);
  if (!features.length) features = await pick(GEO_ALL);
  return {
    type: 'FeatureCollection',
    features,
    licence:
      'GPL-3.0 — boundaries from github.com/daohoangson/dvhcvn (gis.chinhphu.vn); see data/README.md',
  };
}

export async function publicMapRoutes(server: FastifyInstance) {
  const province = server.config.province;
  let cached: { at: number; body: unknown } | null = null;
  let geo: Promise<unknown> | null = null;
  const rate = { rateLimit: { max: 120, timeWindow: '1 minute' } };
  server.get(
    '/api/v1/public/map',
    {
      config: rate,
      schema: {
        tags: ['public'],
        summary: 'Published levels and case counts of the home province (aggregates only)',
      },
    },
    async (_req, reply) => {
      if (!cached || Date.now() - cached.at > TTL_MS)
        cached = { at: Date.now(), body: await publicMap(server.db, province) };
      reply.header('cache-control', 'public, max-age=60');
      return cached.body;
    },
  );
  server.get(
    '/api/v1/public/map/boundaries',
    {
      config: rate,
      schema: {
        tags: ['public'],
        summary: 'District boundaries of the home province (GeoJSON, GPL-3.0)',
      },
    },
    async (_req, reply) => {
      geo ??= boundaries(province);
      reply.header('cache-control', 'public, max-age=86400');
      return geo;
    },
  );
}
