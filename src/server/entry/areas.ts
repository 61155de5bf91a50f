import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, requireActor, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError, notFound } from '../errors.ts';
import { getUnit, unitRef } from '../geo/units.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày dạng YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(d + 'T00:00:00Z');
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, 'Ngày không có thật');

export interface AreaRow {
  id: string;
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  level: number;
  valid_from: string;
  valid_to: string | null;
  note: string | null;
  name?: string;
}

export const presentArea = (a: AreaRow) => ({
  id: a.id,
  provinceCode: a.province_code,
  districtCode: a.district_code,
  communeCode: a.commune_code,
  unitCode: a.commune_code ?? a.district_code ?? a.province_code,
  unitName: a.name ?? null,
  level: a.level,
  validFrom: a.valid_from,
  validTo: a.valid_to,
  note: a.note,
});

/** The areas whose validity covers `date` (all areas when no date). */
export async function areasInForce(q: Queryable, date?: string): Promise<AreaRow[]> {
  return q.query<AreaRow>(
    `SELECT a.id, a.province_code, a.district_code, a.commune_code, a.level, a.valid_from::text AS valid_from,
            a.valid_to::text AS valid_to, a.note, u.name
       FROM epidemic_areas a JOIN admin_units u ON u.code = coalesce(a.commune_code, a.district_code, a.province_code)
      WHERE ($1::date IS NULL OR (a.valid_from <= $1::date AND (a.valid_to IS NULL OR a.valid_to >= $1::date)))
      ORDER BY a.valid_from DESC, a.province_code, a.district_code NULLS FIRST, a.commune_code NULLS FIRST`,
    [date ?? null],
  );
}

const areaCaches = new WeakMap<Queryable, { at: number; rows: Promise<AreaRow[]> }>();
/** How long another server process may go on using an area list it read (this one forgets at once). */
export const AREA_CACHE_MS = 30_000;

/**
 * Every epidemic area (all dates), as classification needs them on every entry: kept in memory
 * and forgotten whenever an area is added or changed through this server (`forgetAreas`).
 */
export function allAreasCached(db: Queryable): Promise<AreaRow[]> {
  const hit = areaCaches.get(db);
  if (hit && Date.now() - hit.at < AREA_CACHE_MS) return hit.rows;
  const rows = areasInForce(db);
  areaCaches.set(db, { at: Date.now(), rows });
  rows.catch(() => areaCaches.delete(db));
  return rows;
}

export function forgetAreas(db: Queryable): void {
  areaCaches.delete(db);
}

/** Epidemic areas (vùng dịch): any province, district or commune, with a level and dates. */
export async function areaRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/epidemic-areas',
    {
      preHandler: requirePermission('geo.read'),
      schema: {
        tags: ['entry'],
        summary: 'Epidemic areas, all or those in force on a date',
        querystring: z.object({ date: isoDate.optional() }),
      },
    },
    async (req) => ({ items: (await areasInForce(db, req.query.date)).map(presentArea) }),
  );

  const body = z
    .object({
      unitCode: z
        .string()
        .regex(/^\d{2}(\d|\d{3})?$/, 'Mã đơn vị hành chính gồm 2, 3 hoặc 5 chữ số'),
      level: z.number().int().min(1).max(4),
      validFrom: isoDate,
      validTo: isoDate.nullable().optional(),
      note: z.string().max(500).optional(),
    })
    .refine((b) => !b.validTo || b.validTo >= b.validFrom, {
      path: ['validTo'],
      message: 'Ngày kết thúc trước ngày bắt đầu',
    });

  app.post(
    '/api/v1/epidemic-areas',
    {
      preHandler: requirePermission('areas.manage'),
      schema: {
        tags: ['entry'],
        summary: 'Declare an epidemic area with its level and dates',
        body,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const unit = await getUnit(db, b.unitCode);
      if (!unit) throw fieldError('unitCode', `Không có đơn vị hành chính mã ${b.unitCode}`);
      const row = await db.tx(async (q) => {
        const rows = await q.query<AreaRow>(
          `INSERT INTO epidemic_areas (province_code, district_code, commune_code, level, valid_from, valid_to, note, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
           RETURNING id, province_code, district_code, commune_code, level, valid_from::text AS valid_from,
                     valid_to::text AS valid_to, note`,
          [
            unit.province_code,
            unit.level >= 2 ? (unit.district_code ?? unit.code) : null,
            unit.level === 3 ? unit.code : null,
            b.level,
            b.validFrom,
            b.validTo ?? null,
            b.note ?? null,
            requireActor(req).id,
          ],
        );
        await audit(q, req, {
          action: 'areas.create',
          resourceType: 'epidemic_area',
          resourceId: rows[0]!.id,
          outcome: 'allowed',
        });
        return rows[0]!;
      });
      forgetAreas(db);
      return reply.status(201).send(presentArea({ ...row, name: unit.name }));
    },
  );

  app.patch(
    '/api/v1/epidemic-areas/:id',
    {
      preHandler: requirePermission('areas.manage'),
      schema: {
        tags: ['entry'],
        summary: 'End an epidemic area (set its last day) or correct its note',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          validTo: isoDate.nullable().optional(),
          note: z.string().max(500).optional(),
        }),
      },
    },
    async (req) => {
      const rows = await db.tx(async (q) => {
        const r = await q.query<AreaRow>(
          `UPDATE epidemic_areas SET valid_to = CASE WHEN $2::boolean THEN $3::date ELSE valid_to END, note = coalesce($4, note)
            WHERE id = $1 AND ($3::date IS NULL OR $3::date >= valid_from)
           RETURNING id, province_code, district_code, commune_code, level, valid_from::text AS valid_from,
                     valid_to::text AS valid_to, note`,
          [
            req.params.id,
            req.body.validTo !== undefined,
            req.body.validTo ?? null,
            req.body.note ?? null,
          ],
        );
        if (r[0])
          await audit(q, req, {
            action: 'areas.update',
            resourceType: 'epidemic_area',
            resourceId: r[0].id,
            outcome: 'allowed',
          });
        return r;
      });
      forgetAreas(db);
      if (!rows[0]) {
        const exists = await db.query('SELECT 1 FROM epidemic_areas WHERE id = $1', [
          req.params.id,
        ]);
        if (exists[0]) throw fieldError('validTo', 'Ngày kết thúc trước ngày bắt đầu');
        throw notFound('Vùng dịch');
      }
      const a = rows[0];
      const unit = await unitRef(db, a.commune_code ?? a.district_code ?? a.province_code);
      return presentArea({ ...a, name: unit?.name });
    },
  );
}
