import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contains } from '../../domain/access.ts';
import { fold } from '../../domain/text.ts';
import {
  areaScope,
  audit,
  loadScoped,
  requireActor,
  requirePermission,
  scopePredicate,
} from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, conflict, fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { EXPORT_RATE_LIMIT, readTable, toCsv } from '../tabular.ts';
import { getUnit, POPULATION_SOURCE, presentUnit, UNIT_COLUMNS, type UnitRow } from './units.ts';

export const VILLAGE_KINDS = ['thon', 'ban', 'to_dan_pho', 'khu_pho', 'ap', 'khac'] as const;
const VILLAGE_KIND_NAMES: Record<string, (typeof VILLAGE_KINDS)[number]> = {
  thon: 'thon',
  ban: 'ban',
  to_dan_pho: 'to_dan_pho',
  tdp: 'to_dan_pho',
  khu_pho: 'khu_pho',
  ap: 'ap',
  khac: 'khac',
};

const unitCode = z
  .string()
  .regex(/^\d{2}(\d{1}|\d{3})?$/, 'Mã đơn vị hành chính gồm 2, 3 hoặc 5 chữ số');
const communeCode = z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số');
const uuid = z.uuid('Mã không hợp lệ');

const villageBody = z.object({
  communeCode,
  name: z.string().trim().min(1, 'Bắt buộc').max(120),
  kind: z.enum(VILLAGE_KINDS),
  population: z.number().int().min(0).max(1_000_000).nullable().optional(),
  households: z.number().int().min(0).max(500_000).nullable().optional(),
  clientId: z.uuid().optional(),
});
const villagePatch = villageBody.omit({ communeCode: true, clientId: true }).partial();

interface VillageRow {
  id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  name: string;
  kind: string;
  population: number | null;
  households: number | null;
}
const VILLAGE_COLUMNS =
  'id, province_code, district_code, commune_code, name, kind, population, households';

const presentVillage = (v: VillageRow) => ({
  id: v.id,
  provinceCode: v.province_code,
  districtCode: v.district_code,
  communeCode: v.commune_code,
  name: v.name,
  kind: v.kind,
  population: v.population,
  households: v.households,
});
const villagePlace = (v: VillageRow) => ({
  provinceCode: v.province_code,
  districtCode: v.district_code,
  communeCode: v.commune_code,
  villageId: v.id,
});

async function loadVillage(q: Queryable, id: string) {
  const rows = await q.query<VillageRow>(`SELECT ${VILLAGE_COLUMNS} FROM villages WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/**
 * The commune a request names must exist and lie in the actor's scope; otherwise 404, audited,
 * exactly as for a record outside the scope.
 */
async function communeInScope(
  req: FastifyRequest,
  code: string,
  action: 'villages.read' | 'villages.write',
) {
  const actor = requireActor(req);
  const unit = await getUnit(req.server.db, code);
  const place =
    unit && unit.level === 3
      ? {
          provinceCode: unit.province_code,
          districtCode: unit.district_code,
          communeCode: unit.code,
        }
      : null;
  const inScope =
    place &&
    actor.scope.level !== 'village' &&
    contains(await areaScope(req.server.db, actor.scope), place);
  if (!place || !inScope) {
    await audit(req.server.db, req, {
      action,
      resourceType: 'commune',
      resourceId: code,
      outcome: 'denied',
      reason: place ? 'outside_scope' : 'not_found',
    });
    throw notFound('Xã');
  }
  return place;
}

export async function geoRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const publicRate = { rateLimit: { max: 300, timeWindow: '1 minute' } };

  // Reference data: public, because the public declaration form needs the list of communes.
  app.get(
    '/api/v1/admin-units',
    {
      config: publicRate,
      schema: {
        tags: ['geography'],
        summary: 'Administrative units: children of a unit, provinces, or a name search',
        querystring: z.object({
          parent: unitCode.optional(),
          q: z.string().trim().min(1).max(80).optional(),
          level: z.coerce.number().int().min(1).max(3).optional(),
          province: z
            .string()
            .regex(/^\d{2}$/)
            .optional(),
        }),
      },
    },
    async (req) => {
      const { parent, q, level, province } = req.query;
      const params: unknown[] = [];
      const where: string[] = [];
      if (parent) {
        if (!(await getUnit(db, parent))) throw notFound('Đơn vị hành chính');
        params.push(parent);
        where.push(`u.parent_code = $${params.length}`);
      } else if (!q && !province) {
        where.push('u.level = 1');
      }
      if (q) {
        params.push(`%${fold(q)}%`);
        where.push(`u.search_name LIKE $${params.length}`);
      }
      if (level) {
        params.push(level);
        where.push(`u.level = $${params.length}`);
      }
      if (province) {
        params.push(province);
        where.push(`u.province_code = $${params.length}`);
      }
      const rows = await db.query<UnitRow>(
        `SELECT ${UNIT_COLUMNS} FROM admin_units u WHERE ${where.join(' AND ')} ORDER BY u.level, u.code LIMIT 1000`,
        params,
      );
      return { items: rows.map(presentUnit), populationSource: POPULATION_SOURCE };
    },
  );

  app.get(
    '/api/v1/admin-units/:code',
    {
      config: publicRate,
      schema: {
        tags: ['geography'],
        summary: 'One administrative unit with population and children counts',
        params: z.object({ code: unitCode }),
      },
    },
    async (req) => {
      const unit = await getUnit(db, req.params.code);
      if (!unit) throw notFound('Đơn vị hành chính');
      const path = await db.query<{ code: string; name: string; level: number }>(
        'SELECT code, name, level FROM admin_units WHERE code = ANY($1) ORDER BY level',
        [[unit.province_code, unit.district_code, unit.code].filter(Boolean)],
      );
      const [{ n }] = (await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM villages WHERE ${unit.level === 1 ? 'province_code' : unit.level === 2 ? 'district_code' : 'commune_code'} = $1`,
        [unit.code],
      )) as [{ n: number }];
      return { ...presentUnit(unit), path, villagesCount: n, populationSource: POPULATION_SOURCE };
    },
  );

  // Villages: commune-scoped records.
  app.get(
    '/api/v1/villages',
    {
      preHandler: requirePermission('villages.read'),
      schema: {
        tags: ['geography'],
        summary: 'Villages of a commune (or all in scope), keyset-paginated',
        querystring: z.object({
          commune: communeCode.optional(),
          q: z.string().max(80).optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { commune, q, limit, cursor } = req.query;
      const params: unknown[] = [];
      // A site's staff see the villages of the site's commune.
      const where = [
        scopePredicate(await areaScope(db, actor.scope), params, '', { village: 'id' }),
      ];
      if (commune) {
        await communeInScope(req, commune, 'villages.read');
        params.push(commune);
        where.push(`commune_code = $${params.length}`);
      }
      if (q) {
        params.push(`%${fold(q)}%`);
        where.push(`search_name LIKE $${params.length}`);
      }
      const after = decodeCursor(cursor, 2);
      if (after) {
        params.push(after[0], after[1]);
        where.push(`(commune_code, search_name) > ($${params.length - 1}, $${params.length})`);
      }
      params.push(limit + 1);
      const rows = await db.query<VillageRow & { search_name: string }>(
        `SELECT ${VILLAGE_COLUMNS}, search_name FROM villages WHERE ${where.join(' AND ')}
         ORDER BY commune_code, search_name LIMIT $${params.length}`,
        params,
      );
      const p = page(rows, limit, (r) => [r.commune_code, r.search_name]);
      return { items: p.items.map(presentVillage), nextCursor: p.nextCursor };
    },
  );

  app.get(
    '/api/v1/villages/export.csv',
    {
      config: EXPORT_RATE_LIMIT,
      preHandler: requirePermission('villages.read'),
      schema: {
        tags: ['geography'],
        summary: 'Villages of a commune as CSV',
        querystring: z.object({ commune: communeCode }),
      },
    },
    async (req, reply) => {
      await communeInScope(req, req.query.commune, 'villages.read');
      const rows = await db.query<VillageRow>(
        `SELECT ${VILLAGE_COLUMNS} FROM villages WHERE commune_code = $1 ORDER BY search_name`,
        [req.query.commune],
      );
      await audit(db, req, {
        action: 'villages.export',
        resourceType: 'commune',
        resourceId: req.query.commune,
        outcome: 'allowed',
        detail: { rows: rows.length },
      });
      const csv = toCsv(
        rows.map((r) => ({
          ma_xa: r.commune_code,
          ten: r.name,
          loai: r.kind,
          dan_so: r.population,
          so_ho: r.households,
        })),
        ['ma_xa', 'ten', 'loai', 'dan_so', 'so_ho'],
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="thon-ban-${req.query.commune}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/api/v1/villages/:id',
    {
      preHandler: requirePermission('villages.read'),
      schema: { tags: ['geography'], params: z.object({ id: uuid }) },
    },
    async (req) => {
      const v = await loadScoped(req, {
        action: 'villages.read',
        resourceType: 'village',
        id: req.params.id,
        label: 'Thôn/bản',
        auditAllowed: false,
        load: async () => {
          const row = await loadVillage(db, req.params.id);
          return row && { ...villagePlace(row), row };
        },
      });
      return presentVillage(v.row);
    },
  );

  app.post(
    '/api/v1/villages',
    {
      preHandler: requirePermission('villages.write'),
      schema: {
        tags: ['geography'],
        summary: 'Add a village (thôn/bản/tổ dân phố) to a commune',
        body: villageBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const place = await communeInScope(req, b.communeCode, 'villages.write');
      const created = await db.tx(async (q) => {
        if (b.clientId) {
          const prior = await q.query<VillageRow>(
            `SELECT ${VILLAGE_COLUMNS} FROM villages WHERE client_id = $1`,
            [b.clientId],
          );
          if (prior[0]) return { row: prior[0], replay: true };
        }
        const rows = await q.query<VillageRow>(
          `INSERT INTO villages (province_code, district_code, commune_code, name, kind, population, households, search_name, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
           ON CONFLICT (commune_code, search_name) DO NOTHING RETURNING ${VILLAGE_COLUMNS}`,
          [
            place.provinceCode,
            place.districtCode,
            place.communeCode,
            b.name,
            b.kind,
            b.population ?? null,
            b.households ?? null,
            fold(b.name),
            b.clientId ?? null,
            requireActor(req).id,
          ],
        );
        if (!rows[0])
          throw conflict(`Thôn/bản "${b.name}" đã có trong xã này`, [
            { path: 'name', message: 'Đã có thôn/bản cùng tên trong xã' },
          ]);
        await audit(q, req, {
          action: 'villages.create',
          resourceType: 'village',
          resourceId: rows[0].id,
          outcome: 'allowed',
        });
        return { row: rows[0], replay: false };
      });
      return reply.status(created.replay ? 200 : 201).send(presentVillage(created.row));
    },
  );

  app.patch(
    '/api/v1/villages/:id',
    {
      preHandler: requirePermission('villages.write'),
      schema: { tags: ['geography'], params: z.object({ id: uuid }), body: villagePatch },
    },
    async (req) => {
      const v = await loadScoped(req, {
        action: 'villages.write',
        resourceType: 'village',
        id: req.params.id,
        label: 'Thôn/bản',
        auditAllowed: false,
        load: async () => {
          const row = await loadVillage(db, req.params.id);
          return row && { ...villagePlace(row), row };
        },
      });
      const b = req.body;
      const next = {
        ...v.row,
        ...Object.fromEntries(Object.entries(b).filter(([, val]) => val !== undefined)),
      } as VillageRow;
      const updated = await db.tx(async (q) => {
        const rows = await q.query<VillageRow>(
          `UPDATE villages SET name = $2, kind = $3, population = $4, households = $5, search_name = $6, updated_at = now()
           WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM villages o WHERE o.commune_code = $7 AND o.search_name = $6 AND o.id <> $1)
           RETURNING ${VILLAGE_COLUMNS}`,
          [
            v.row.id,
            next.name,
            next.kind,
            next.population,
            next.households,
            fold(next.name),
            v.row.commune_code,
          ],
        );
        if (!rows[0])
          throw conflict(`Thôn/bản "${next.name}" đã có trong xã này`, [
            { path: 'name', message: 'Đã có thôn/bản cùng tên trong xã' },
          ]);
        await audit(q, req, {
          action: 'villages.update',
          resourceType: 'village',
          resourceId: v.row.id,
          outcome: 'allowed',
          detail: { changed: Object.keys(b) },
        });
        return rows[0];
      });
      return presentVillage(updated);
    },
  );

  app.post(
    '/api/v1/villages/import',
    {
      preHandler: requirePermission('villages.write'),
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['geography'],
        summary:
          'Upload villages from CSV or XLSX (columns ma_xa, ten, loai, dan_so, so_ho); all rows or none',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      if (!req.isMultipart())
        throw fieldError('file', 'Gửi tệp CSV hoặc XLSX trong trường "file" (multipart/form-data)');
      const file = await req.file({ limits: { fileSize: 10 * 1024 * 1024 } });
      if (!file) throw fieldError('file', 'Thiếu tệp');
      const data = await file.toBuffer().catch(() => {
        throw fieldError('file', 'Tệp quá lớn (tối đa 10 MB)');
      });
      const table = await readTable(data, file.filename);
      if (table.length === 0) throw fieldError('file', 'Tệp không có dòng dữ liệu');
      if (table.length > 5000) throw fieldError('file', 'Tối đa 5.000 dòng mỗi lần tải lên');

      const units = new Map(
        (
          await db.query<UnitRow>(
            `SELECT ${UNIT_COLUMNS} FROM admin_units u WHERE u.code = ANY($1) AND u.level = 3`,
            [[...new Set(table.map((r) => r.values.ma_xa ?? ''))]],
          )
        ).map((u) => [u.code, u]),
      );
      type Planned = {
        row: number;
        status: 'created' | 'unchanged' | 'rejected';
        name: string;
        message?: string;
        insert?: unknown[];
      };
      const seen = new Set<string>();
      const plan: Planned[] = [];
      for (const { row, values } of table) {
        const name = (values.ten ?? '').trim();
        const reject = (message: string) => plan.push({ row, status: 'rejected', name, message });
        const unit = units.get(values.ma_xa ?? '');
        if (!values.ma_xa) {
          reject('ma_xa: thiếu mã xã');
          continue;
        }
        if (!unit) {
          reject(`ma_xa: không có xã mã ${values.ma_xa}`);
          continue;
        }
        const place = {
          provinceCode: unit.province_code,
          districtCode: unit.district_code,
          communeCode: unit.code,
        };
        if (!contains(actor.scope, place)) {
          reject(`ma_xa: xã ${values.ma_xa} ngoài địa bàn của bạn`);
          continue;
        }
        if (!name) {
          reject('ten: thiếu tên thôn/bản');
          continue;
        }
        if (name.length > 120) {
          reject('ten: dài quá 120 ký tự');
          continue;
        }
        const kind =
          VILLAGE_KIND_NAMES[
            (values.loai ?? 'thon').replace(/\s+/g, '_').toLowerCase() || 'thon'
          ] ?? VILLAGE_KIND_NAMES[fold(values.loai ?? '').replace(/\s+/g, '_')];
        if (!kind) {
          reject(`loai: "${values.loai}" không phải thon, ban, to_dan_pho, khu_pho, ap, khac`);
          continue;
        }
        const num = (key: 'dan_so' | 'so_ho') => {
          const raw = (values[key] ?? '').replace(/[.\s]/g, '');
          if (!raw) return null;
          return /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
        };
        const population = num('dan_so');
        const households = num('so_ho');
        if (Number.isNaN(population)) {
          reject(`dan_so: "${values.dan_so}" không phải số`);
          continue;
        }
        if (Number.isNaN(households)) {
          reject(`so_ho: "${values.so_ho}" không phải số`);
          continue;
        }
        const key = `${unit.code}|${fold(name)}`;
        if (seen.has(key)) {
          reject(`ten: "${name}" lặp lại trong tệp`);
          continue;
        }
        seen.add(key);
        plan.push({
          row,
          status: 'created',
          name,
          insert: [
            place.provinceCode,
            place.districtCode,
            place.communeCode,
            name,
            kind,
            population,
            households,
            fold(name),
            actor.id,
          ],
        });
      }
      const rejected = plan.filter((p) => p.status === 'rejected').length;
      const report = () => ({
        created: plan.filter((p) => p.status === 'created').length,
        unchanged: plan.filter((p) => p.status === 'unchanged').length,
        rejected,
        rows: plan.map(({ insert: _i, ...r }) => r),
      });
      if (rejected > 0) {
        for (const p of plan)
          if (p.status === 'created') {
            p.status = 'unchanged';
            p.message = 'Không ghi vì tệp có dòng lỗi';
          }
        await audit(db, req, {
          action: 'villages.import',
          resourceType: 'file',
          resourceId: file.filename,
          outcome: 'denied',
          reason: 'invalid_rows',
          detail: { rejected },
        });
        throw new AppError(
          400,
          'validation',
          `Tệp có ${rejected} dòng lỗi; chưa ghi dòng nào`,
          [{ path: 'file', message: `${rejected} dòng lỗi` }],
          { report: report() },
        );
      }
      await db.tx(async (q) => {
        for (const p of plan) {
          const rows = await q.query(
            `INSERT INTO villages (province_code, district_code, commune_code, name, kind, population, households, search_name, created_by)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (commune_code, search_name) DO NOTHING RETURNING id`,
            p.insert,
          );
          if (!rows[0]) {
            p.status = 'unchanged';
            p.message = 'Đã có';
          }
        }
        await audit(q, req, {
          action: 'villages.import',
          resourceType: 'file',
          resourceId: file.filename,
          outcome: 'allowed',
          detail: { rows: plan.length },
        });
      });
      return reply.status(200).send(report());
    },
  );
}
