/**
 * Vaccine supply: lots, allocations by Ministry decision → shipments received → distributions
 * to districts and sites → stock per site (distributed − given − wasted); rounds (đợt) and
 * sessions; and the one-line summary of seed 000 ("78.040 liều được cấp, 68.550 đã tiếp nhận,
 * 59.495 mũi đã tiêm (86,8 %)").
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { supplyLine, VACCINE_PRODUCTS } from '../../domain/vaccination.ts';
import { audit, requireActor, requirePermission, scopePredicate, areaScope } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError, notFound } from '../errors.ts';
import { getUnit } from '../geo/units.ts';
import { isoDate, siteForActor, TAG } from './common.ts';
import { unitInScope } from './coverage.ts';

const PRODUCT_CODES = VACCINE_PRODUCTS.map((p) => p.code) as [string, ...string[]];
const product = z.enum(PRODUCT_CODES).describe('Vaccine product code');
const doses = z.number().int().min(1).max(10_000_000);

async function provinceOnly(req: FastifyRequest, action: string) {
  const actor = requireActor(req);
  if (actor.scope.level !== 'province') {
    await audit(req.server.db, req, {
      action,
      resourceType: 'endpoint',
      resourceId: `${req.method} ${req.routeOptions.url}`,
      outcome: 'denied',
      reason: 'scope_level',
    });
    throw notFound('Trang');
  }
  return actor;
}

async function lotId(q: Queryable, productCode: string, lotNumber: string | undefined) {
  if (!lotNumber) return null;
  const rows = await q.query<{ id: string }>(
    'SELECT id FROM vaccine_lots WHERE product = $1 AND lot_number = $2',
    [productCode, lotNumber],
  );
  if (!rows[0])
    throw fieldError('lotNumber', 'Chưa khai báo lô vắc xin này (POST /api/v1/vaccine-lots)');
  return rows[0].id;
}

export async function supplyRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  // ---- lots
  app.get(
    '/api/v1/vaccine-lots',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary: 'Vaccine lots with expiry: {items[{id, product, lotNumber, expiresOn}]}',
      },
    },
    async () => ({
      items: (
        await db.query<{ id: string; product: string; lot_number: string; expires_on: string }>(
          'SELECT id, product, lot_number, expires_on::text AS expires_on FROM vaccine_lots ORDER BY expires_on, lot_number',
        )
      ).map((l) => ({
        id: l.id,
        product: l.product,
        lotNumber: l.lot_number,
        expiresOn: l.expires_on,
      })),
    }),
  );
  app.post(
    '/api/v1/vaccine-lots',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary: 'Declare a vaccine lot (lô) with its expiry; a replay returns the same lot',
        body: z.object({
          product,
          lotNumber: z.string().trim().min(1).max(60),
          expiresOn: isoDate,
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const row = await db.tx(async (q) => {
        const r = await q.query<{ id: string; expires_on: string; inserted: boolean }>(
          `INSERT INTO vaccine_lots (product, lot_number, expires_on, created_by) VALUES ($1,$2,$3,$4)
           ON CONFLICT (product, lot_number) DO UPDATE SET product = EXCLUDED.product
           RETURNING id, expires_on::text AS expires_on, (xmax = 0) AS inserted`,
          [b.product, b.lotNumber, b.expiresOn, requireActor(req).id],
        );
        await audit(q, req, {
          action: 'vaccines.manage',
          resourceType: 'vaccine_lot',
          resourceId: r[0]!.id,
          outcome: 'allowed',
        });
        return r[0]!;
      });
      return reply.status(row.inserted ? 201 : 200).send({
        id: row.id,
        product: b.product,
        lotNumber: b.lotNumber,
        expiresOn: row.expires_on,
      });
    },
  );

  // ---- rounds
  app.get(
    '/api/v1/vaccination-rounds',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary:
          'Rounds (đợt) of the province with doses allocated and persons vaccinated per dose number',
        description:
          'Returns {items[{id, number, name, targetGroup, area{districtCode, communeCode}, products, startsOn, endsOn, targetPersons, allocated, given{total, byDoseNumber{"1": n, …}}}]}.',
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const rounds = await db.query<{
        id: string;
        number: number;
        name: string;
        target_group: string;
        district_code: string | null;
        commune_code: string | null;
        products: string[];
        starts_on: string;
        ends_on: string | null;
        target_persons: number | null;
        allocated: number;
      }>(
        `SELECT r.id, r.number, r.name, r.target_group, r.district_code, r.commune_code, r.products,
                r.starts_on::text AS starts_on, r.ends_on::text AS ends_on, r.target_persons,
                coalesce((SELECT sum(a.doses) FROM vaccine_allocations a WHERE a.round_id = r.id), 0)::int AS allocated
           FROM vaccination_rounds r WHERE r.province_code = $1 ORDER BY r.number`,
        [actor.scope.provinceCode],
      );
      const given = await db.query<{ round_id: string; dose_number: number; n: number }>(
        `SELECT round_id, dose_number, count(*)::int AS n FROM vaccination_doses
          WHERE round_id = ANY($1::uuid[]) GROUP BY round_id, dose_number`,
        [rounds.map((r) => r.id)],
      );
      return {
        items: rounds.map((r) => {
          const mine = given.filter((g) => g.round_id === r.id);
          return {
            id: r.id,
            number: r.number,
            name: r.name,
            targetGroup: r.target_group,
            area: { districtCode: r.district_code, communeCode: r.commune_code },
            products: r.products,
            startsOn: r.starts_on,
            endsOn: r.ends_on,
            targetPersons: r.target_persons,
            allocated: r.allocated,
            given: {
              total: mine.reduce((s, g) => s + g.n, 0),
              byDoseNumber: Object.fromEntries(mine.map((g) => [String(g.dose_number), g.n])),
            },
          };
        }),
      };
    },
  );
  app.post(
    '/api/v1/vaccination-rounds',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary:
          'Create a round (đợt): target group, area, vaccines, dates; a replay (same number) returns it',
        body: z
          .object({
            clientId: z.uuid().optional(),
            number: z.number().int().min(1).max(1000),
            name: z.string().trim().min(1).max(200),
            targetGroup: z
              .string()
              .trim()
              .min(1)
              .max(300)
              .describe('e.g. "Người từ 18 tuổi trở lên"'),
            unitCode: z
              .string()
              .regex(/^\d{3}(\d{2})?$/)
              .optional()
              .describe('District or commune the round covers (default whole province)'),
            products: z.array(product).min(1).max(10),
            startsOn: isoDate,
            endsOn: isoDate.optional(),
            targetPersons: z.number().int().min(0).max(100_000_000).optional(),
          })
          .refine((b) => !b.endsOn || b.endsOn >= b.startsOn, {
            path: ['endsOn'],
            message: 'Ngày kết thúc trước ngày bắt đầu',
          }),
      },
    },
    async (req, reply) => {
      const actor = await provinceOnly(req, 'vaccines.manage');
      const b = req.body;
      const unit = b.unitCode ? await getUnit(db, b.unitCode) : null;
      if (b.unitCode && (!unit || unit.province_code !== actor.scope.provinceCode))
        throw fieldError('unitCode', 'Không có huyện/xã này trong tỉnh');
      const row = await db.tx(async (q) => {
        const r = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccination_rounds (province_code, district_code, commune_code, number, name, target_group,
              products, starts_on, ends_on, target_persons, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
           ON CONFLICT (province_code, number) DO UPDATE SET number = EXCLUDED.number
           RETURNING id, (xmax = 0) AS inserted`,
          [
            actor.scope.provinceCode,
            unit ? (unit.level === 2 ? unit.code : unit.district_code) : null,
            unit?.level === 3 ? unit.code : null,
            b.number,
            b.name,
            b.targetGroup,
            b.products,
            b.startsOn,
            b.endsOn ?? null,
            b.targetPersons ?? null,
            b.clientId ?? null,
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'vaccines.manage',
          resourceType: 'vaccination_round',
          resourceId: r[0]!.id,
          outcome: 'allowed',
        });
        return r[0]!;
      });
      return reply
        .status(row.inserted ? 201 : 200)
        .send({ id: row.id, number: b.number, replayed: !row.inserted });
    },
  );

  // ---- allocations and shipments (province level)
  app.get(
    '/api/v1/vaccine-allocations',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary:
          'Allocations by Ministry decision: {items[{id, decisionNumber, decisionDate, product, doses, roundId, received}]}',
      },
    },
    async (req) => ({
      items: (
        await db.query<{
          id: string;
          decision_number: string;
          decision_date: string;
          product: string;
          doses: number;
          round_id: string | null;
          note: string | null;
          received: number;
        }>(
          `SELECT a.id, a.decision_number, a.decision_date::text AS decision_date, a.product, a.doses, a.round_id, a.note,
                  coalesce((SELECT sum(s.doses) FROM vaccine_shipments s WHERE s.allocation_id = a.id), 0)::int AS received
             FROM vaccine_allocations a WHERE a.province_code = $1 ORDER BY a.decision_date, a.decision_number, a.product`,
          [requireActor(req).scope.provinceCode],
        )
      ).map((a) => ({
        id: a.id,
        decisionNumber: a.decision_number,
        decisionDate: a.decision_date,
        product: a.product,
        doses: a.doses,
        roundId: a.round_id,
        note: a.note,
        received: a.received,
      })),
    }),
  );
  app.post(
    '/api/v1/vaccine-allocations',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary:
          'Record an allocation by Ministry decision (number, date, product, doses); idempotent by decision + product',
        body: z.object({
          decisionNumber: z.string().trim().min(1).max(80).describe('e.g. "5946/BYT-DP"'),
          decisionDate: isoDate,
          product,
          doses,
          roundId: z.uuid().optional(),
          note: z.string().trim().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = await provinceOnly(req, 'vaccines.manage');
      const b = req.body;
      const row = await db.tx(async (q) => {
        if (
          b.roundId &&
          !(
            await q.query('SELECT 1 FROM vaccination_rounds WHERE id = $1 AND province_code = $2', [
              b.roundId,
              actor.scope.provinceCode,
            ])
          )[0]
        )
          throw fieldError('roundId', 'Không có đợt tiêm này');
        const r = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccine_allocations (province_code, decision_number, decision_date, product, doses, round_id, note, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
           ON CONFLICT (province_code, decision_number, product) DO UPDATE SET doses = vaccine_allocations.doses
           RETURNING id, (xmax = 0) AS inserted`,
          [
            actor.scope.provinceCode,
            b.decisionNumber,
            b.decisionDate,
            b.product,
            b.doses,
            b.roundId ?? null,
            b.note ?? null,
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'vaccines.manage',
          resourceType: 'vaccine_allocation',
          resourceId: r[0]!.id,
          outcome: 'allowed',
        });
        return r[0]!;
      });
      return reply.status(row.inserted ? 201 : 200).send({ id: row.id, replayed: !row.inserted });
    },
  );

  app.post(
    '/api/v1/vaccine-shipments',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary:
          'Record doses received by the province (against an allocation); idempotent by clientId',
        body: z.object({
          clientId: z.uuid().optional(),
          allocationId: z.uuid().optional(),
          product,
          lotNumber: z.string().trim().min(1).max(60).optional(),
          doses,
          receivedOn: isoDate,
        }),
      },
    },
    async (req, reply) => {
      const actor = await provinceOnly(req, 'vaccines.manage');
      const b = req.body;
      const row = await db.tx(async (q) => {
        if (b.allocationId) {
          const a = await q.query<{ product: string }>(
            'SELECT product FROM vaccine_allocations WHERE id = $1 AND province_code = $2',
            [b.allocationId, actor.scope.provinceCode],
          );
          if (!a[0]) throw fieldError('allocationId', 'Không có phân bổ này');
          if (a[0].product !== b.product) throw fieldError('product', 'Khác vắc xin của phân bổ');
        }
        const lot = await lotId(q, b.product, b.lotNumber);
        const r = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccine_shipments (province_code, allocation_id, product, lot_id, doses, received_on, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
           ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id RETURNING id, (xmax = 0) AS inserted`,
          [
            actor.scope.provinceCode,
            b.allocationId ?? null,
            b.product,
            lot,
            b.doses,
            b.receivedOn,
            b.clientId ?? null,
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'vaccines.manage',
          resourceType: 'vaccine_shipment',
          resourceId: r[0]!.id,
          outcome: 'allowed',
        });
        return r[0]!;
      });
      return reply.status(row.inserted ? 201 : 200).send({ id: row.id, replayed: !row.inserted });
    },
  );
  app.get(
    '/api/v1/vaccine-shipments',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary: 'Shipments received: {items[{id, allocationId, product, doses, receivedOn}]}',
      },
    },
    async (req) => ({
      items: (
        await db.query<{
          id: string;
          allocation_id: string | null;
          product: string;
          doses: number;
          received_on: string;
        }>(
          `SELECT id, allocation_id, product, doses, received_on::text AS received_on FROM vaccine_shipments
            WHERE province_code = $1 ORDER BY received_on, id`,
          [requireActor(req).scope.provinceCode],
        )
      ).map((s) => ({
        id: s.id,
        allocationId: s.allocation_id,
        product: s.product,
        doses: s.doses,
        receivedOn: s.received_on,
      })),
    }),
  );

  // ---- distributions
  app.post(
    '/api/v1/vaccine-distributions',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary:
          'Distribute doses to a district store or to a vaccination site; idempotent by clientId',
        body: z
          .object({
            clientId: z.uuid().optional(),
            districtCode: z
              .string()
              .regex(/^\d{3}$/)
              .optional()
              .describe('To a district store'),
            siteId: z.uuid().optional().describe('To a vaccination site'),
            product,
            lotNumber: z.string().trim().min(1).max(60).optional(),
            doses,
            distributedOn: isoDate,
          })
          .refine((b) => !b.districtCode !== !b.siteId, {
            path: ['siteId'],
            message: 'Chọn đúng một: districtCode hoặc siteId',
          }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const row = await db.tx(async (q) => {
        let place: { district: string; commune: string | null; site: string | null };
        if (b.siteId) {
          const s = await siteForActor(q, req, b.siteId);
          if (s.kind !== 'vaccination_site') throw fieldError('siteId', 'Không phải điểm tiêm');
          place = { district: s.district_code, commune: s.commune_code, site: s.id };
        } else {
          const u = await getUnit(q, b.districtCode!);
          if (
            !u ||
            u.level !== 2 ||
            u.province_code !== actor.scope.provinceCode ||
            (actor.scope.level !== 'province' && actor.scope.districtCode !== u.code)
          )
            throw fieldError('districtCode', 'Không có huyện này trong địa bàn của bạn');
          place = { district: u.code, commune: null, site: null };
        }
        const lot = await lotId(q, b.product, b.lotNumber);
        const r = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccine_distributions (province_code, district_code, commune_code, site_id, product, lot_id, doses, distributed_on, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
           ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id RETURNING id, (xmax = 0) AS inserted`,
          [
            actor.scope.provinceCode,
            place.district,
            place.commune,
            place.site,
            b.product,
            lot,
            b.doses,
            b.distributedOn,
            b.clientId ?? null,
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'vaccines.manage',
          resourceType: 'vaccine_distribution',
          resourceId: r[0]!.id,
          outcome: 'allowed',
        });
        return r[0]!;
      });
      return reply.status(row.inserted ? 201 : 200).send({ id: row.id, replayed: !row.inserted });
    },
  );
  app.get(
    '/api/v1/vaccine-distributions',
    {
      preHandler: requirePermission('vaccines.manage'),
      schema: {
        tags: [TAG],
        summary:
          'Distributions in your area: {items[{id, districtCode, communeCode, siteId, product, doses, distributedOn}]}',
      },
    },
    async (req) => {
      const params: unknown[] = [];
      const where = scopePredicate(requireActor(req).scope, params);
      const rows = await db.query<{
        id: string;
        district_code: string;
        commune_code: string | null;
        site_id: string | null;
        product: string;
        doses: number;
        distributed_on: string;
      }>(
        `SELECT id, district_code, commune_code, site_id, product, doses, distributed_on::text AS distributed_on
           FROM vaccine_distributions WHERE ${where} ORDER BY distributed_on, id LIMIT 5000`,
        params,
      );
      return {
        items: rows.map((d) => ({
          id: d.id,
          districtCode: d.district_code,
          communeCode: d.commune_code,
          siteId: d.site_id,
          product: d.product,
          doses: d.doses,
          distributedOn: d.distributed_on,
        })),
      };
    },
  );

  // ---- wastage (at a site)
  app.post(
    '/api/v1/vaccine-wastage',
    {
      preHandler: requirePermission('vaccinations.write'),
      schema: {
        tags: [TAG],
        summary:
          'Record doses wasted at a site (opened vial, expiry, cold chain…); idempotent by clientId',
        body: z.object({
          clientId: z.uuid().optional(),
          siteId: z.uuid(),
          product,
          lotNumber: z.string().trim().min(1).max(60).optional(),
          doses,
          reason: z.enum(['expired', 'opened_vial', 'cold_chain', 'broken', 'other']),
          recordedOn: isoDate,
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const row = await db.tx(async (q) => {
        const s = await siteForActor(q, req, b.siteId);
        const lot = await lotId(q, b.product, b.lotNumber);
        const r = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccine_wastage (province_code, district_code, commune_code, site_id, product, lot_id, doses, reason, recorded_on, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
           ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id RETURNING id, (xmax = 0) AS inserted`,
          [
            s.province_code,
            s.district_code,
            s.commune_code,
            s.id,
            b.product,
            lot,
            b.doses,
            b.reason,
            b.recordedOn,
            b.clientId ?? null,
            requireActor(req).id,
          ],
        );
        await audit(q, req, {
          action: 'vaccinations.write',
          resourceType: 'vaccine_wastage',
          resourceId: r[0]!.id,
          outcome: 'allowed',
        });
        return r[0]!;
      });
      return reply.status(row.inserted ? 201 : 200).send({ id: row.id, replayed: !row.inserted });
    },
  );

  // ---- stock per site
  app.get(
    '/api/v1/vaccine-stock',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary: 'Stock per vaccination site and product in your area',
        description:
          'Returns {items[{siteId, siteName, communeCode, product, received, given, wasted, balance}]}.',
      },
    },
    async (req) => {
      const params: unknown[] = [];
      const where = scopePredicate(requireActor(req).scope, params, 's', { site: 'id' });
      const rows = await db.query<{
        site_id: string;
        name: string;
        commune_code: string;
        product: string;
        received: number;
        given: number;
        wasted: number;
      }>(
        `WITH ins AS (SELECT site_id, product, sum(doses)::int AS n FROM vaccine_distributions WHERE site_id IS NOT NULL GROUP BY 1, 2),
              outs AS (SELECT site_id, product, count(*)::int AS n FROM vaccination_doses WHERE site_id IS NOT NULL GROUP BY 1, 2),
              waste AS (SELECT site_id, product, sum(doses)::int AS n FROM vaccine_wastage GROUP BY 1, 2),
              keys AS (SELECT site_id, product FROM ins UNION SELECT site_id, product FROM outs UNION SELECT site_id, product FROM waste)
         SELECT k.site_id, s.name, s.commune_code, k.product, coalesce(i.n, 0) AS received, coalesce(o.n, 0) AS given,
                coalesce(w.n, 0) AS wasted
           FROM keys k JOIN sites s ON s.id = k.site_id
           LEFT JOIN ins i ON i.site_id = k.site_id AND i.product = k.product
           LEFT JOIN outs o ON o.site_id = k.site_id AND o.product = k.product
           LEFT JOIN waste w ON w.site_id = k.site_id AND w.product = k.product
          WHERE ${where} ORDER BY s.commune_code, s.name, k.product`,
        params,
      );
      return {
        items: rows.map((r) => ({
          siteId: r.site_id,
          siteName: r.name,
          communeCode: r.commune_code,
          product: r.product,
          received: r.received,
          given: r.given,
          wasted: r.wasted,
          balance: r.received - r.given - r.wasted,
        })),
      };
    },
  );

  // ---- the summary line
  app.get(
    '/api/v1/vaccine-supply/summary',
    {
      preHandler: requirePermission('coverage.read'),
      schema: {
        tags: [TAG],
        summary:
          'Doses allocated, received and given, and given as % of received (seed 000’s line)',
        description:
          'Returns {unit, allocated, received, given, wasted, givenPctOfReceived, text{vi}, byProduct[{product, allocated, received, given, wasted}]}. For a province: allocated = Ministry allocations, received = shipments; for a district / commune: received = doses distributed into it. Given counts dose records of residents.',
        querystring: z.object({
          unit: z
            .string()
            .regex(/^\d{2}(\d|\d{3})?$/)
            .optional()
            .describe('Default: your jurisdiction'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const area = await areaScope(db, actor.scope);
      const code = req.query.unit ?? area.communeCode ?? area.districtCode ?? area.provinceCode;
      const unit = await unitInScope(req, code, 'coverage.read', 'unit');
      const col =
        unit.level === 1 ? 'province_code' : unit.level === 2 ? 'district_code' : 'commune_code';
      const rows = await db.query<{
        product: string;
        allocated: number;
        received: number;
        given: number;
        wasted: number;
      }>(
        `WITH a AS (SELECT product, sum(doses)::int AS n FROM vaccine_allocations WHERE $2::int = 1 AND province_code = $1 GROUP BY 1),
              r AS (SELECT product, sum(doses)::int AS n FROM vaccine_shipments WHERE $2::int = 1 AND province_code = $1 GROUP BY 1
                    UNION ALL
                    SELECT product, sum(doses)::int FROM vaccine_distributions
                     WHERE $2::int > 1 AND ${col} = $1 GROUP BY 1),
              g AS (SELECT product, count(*)::int AS n FROM vaccination_doses WHERE ${col} = $1 GROUP BY 1),
              w AS (SELECT product, sum(doses)::int AS n FROM vaccine_wastage WHERE ${col} = $1 GROUP BY 1),
              k AS (SELECT product FROM a UNION SELECT product FROM r UNION SELECT product FROM g UNION SELECT product FROM w)
         SELECT k.product, coalesce((SELECT n FROM a WHERE a.product = k.product), 0) AS allocated,
                coalesce((SELECT sum(n) FROM r WHERE r.product = k.product), 0)::int AS received,
                coalesce((SELECT n FROM g WHERE g.product = k.product), 0) AS given,
                coalesce((SELECT n FROM w WHERE w.product = k.product), 0) AS wasted
           FROM k ORDER BY k.product`,
        [unit.code, unit.level],
      );
      const sum = (k: 'allocated' | 'received' | 'given' | 'wasted') =>
        rows.reduce((s, r) => s + r[k], 0);
      const t = {
        allocated: sum('allocated'),
        received: sum('received'),
        given: sum('given'),
        wasted: sum('wasted'),
      };
      const line = supplyLine(t.allocated, t.received, t.given);
      await audit(db, req, {
        action: 'coverage.read',
        resourceType: 'vaccine_supply',
        resourceId: unit.code,
        outcome: 'allowed',
      });
      return {
        unit: { code: unit.code, name: unit.name, level: unit.level },
        ...t,
        givenPctOfReceived: line.givenPctOfReceived,
        text: { vi: line.vi },
        byProduct: rows,
      };
    },
  );

  // ---- sessions
  app.post(
    '/api/v1/vaccination-sessions',
    {
      preHandler: requirePermission('vaccinations.write'),
      schema: {
        tags: [TAG],
        summary: 'Open a session (buổi tiêm) at a site; idempotent by clientId',
        body: z.object({
          clientId: z.uuid().optional(),
          siteId: z.uuid(),
          roundId: z.uuid().optional(),
          date: isoDate,
          products: z.array(product).min(1).max(10),
          plannedPersons: z.number().int().min(0).max(100_000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const row = await db.tx(async (q) => {
        const s = await siteForActor(q, req, b.siteId);
        if (
          b.roundId &&
          !(await q.query('SELECT 1 FROM vaccination_rounds WHERE id = $1', [b.roundId]))[0]
        )
          throw fieldError('roundId', 'Không có đợt tiêm này');
        const r = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccination_sessions (round_id, site_id, province_code, district_code, commune_code, session_date, products, planned_persons, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
           ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id RETURNING id, (xmax = 0) AS inserted`,
          [
            b.roundId ?? null,
            s.id,
            s.province_code,
            s.district_code,
            s.commune_code,
            b.date,
            b.products,
            b.plannedPersons ?? null,
            b.clientId ?? null,
            requireActor(req).id,
          ],
        );
        await audit(q, req, {
          action: 'vaccinations.write',
          resourceType: 'vaccination_session',
          resourceId: r[0]!.id,
          outcome: 'allowed',
        });
        return r[0]!;
      });
      return reply.status(row.inserted ? 201 : 200).send({ id: row.id, replayed: !row.inserted });
    },
  );
  app.get(
    '/api/v1/vaccination-sessions',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary:
          'Sessions in your area with doses given: {items[{id, siteId, siteName, roundId, date, products, plannedPersons, given}]}',
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }),
      },
    },
    async (req) => {
      const params: unknown[] = [];
      const where = scopePredicate(requireActor(req).scope, params, 'v');
      params.push(req.query.from ?? null, req.query.to ?? null);
      const rows = await db.query<{
        id: string;
        site_id: string;
        name: string;
        round_id: string | null;
        session_date: string;
        products: string[];
        planned_persons: number | null;
        given: number;
      }>(
        `SELECT v.id, v.site_id, s.name, v.round_id, v.session_date::text AS session_date, v.products, v.planned_persons,
                (SELECT count(*)::int FROM vaccination_doses d WHERE d.session_id = v.id) AS given
           FROM vaccination_sessions v JOIN sites s ON s.id = v.site_id
          WHERE ${where} AND ($${params.length - 1}::date IS NULL OR v.session_date >= $${params.length - 1}::date)
            AND ($${params.length}::date IS NULL OR v.session_date <= $${params.length}::date)
          ORDER BY v.session_date DESC, v.id LIMIT 1000`,
        params,
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          siteId: r.site_id,
          siteName: r.name,
          roundId: r.round_id,
          date: r.session_date,
          products: r.products,
          plannedPersons: r.planned_persons,
          given: r.given,
        })),
      };
    },
  );
}
