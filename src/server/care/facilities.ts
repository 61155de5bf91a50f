/**
 * Facilities (centralised quarantine, treatment tiers 1–3, field hospitals, mobile medical
 * stations) with rooms, beds by kind, ventilators, oxygen and staff. Each is a site of kind
 * 'facility' so its managers are placed there; occupancy lives on the facility and room rows
 * and changes in the same transaction as every admission and release.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowed } from '../../domain/access.ts';
import { oxygenDaysLeft } from '../../domain/care.ts';
import {
  audit,
  loadScopedAny,
  requireActor,
  requirePermission,
  scopePredicate,
} from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { placeOf, TAG, todayVn, unitCode, unitForActor, type PlaceRow } from './common.ts';
import { facilityCohorts, facilityRooms, facilityToday, presentRoom } from './rooms.ts';

/** Rooms shown with a facility (the rest through its room list). */
const ROOM_PAGE = 50;

export const FACILITY_KINDS = [
  'quarantine',
  'tier1',
  'tier2',
  'tier3',
  'field_hospital',
  'mobile_station',
] as const;

export interface FacilityRow extends PlaceRow {
  id: string;
  site_id: string;
  kind: (typeof FACILITY_KINDS)[number];
  name: string;
  ventilators: number;
  ventilators_in_use: number;
  oxygen_cylinders: number;
  oxygen_concentrators: number;
  oxygen_liquid_litres: string | number;
  oxygen_use_litres_per_day: string | number;
  staff_on_duty: number;
  beds_total: number;
  beds_occupied: number;
  oxygen_beds_total: number;
  oxygen_beds_occupied: number;
  icu_total: number;
  icu_occupied: number;
}
export const FACILITY_COLUMNS = `f.id, f.site_id, f.kind, f.name, f.province_code, f.district_code, f.commune_code,
  f.ventilators, f.ventilators_in_use, f.oxygen_cylinders, f.oxygen_concentrators, f.oxygen_liquid_litres,
  f.oxygen_use_litres_per_day, f.staff_on_duty, f.beds_total, f.beds_occupied, f.oxygen_beds_total,
  f.oxygen_beds_occupied, f.icu_total, f.icu_occupied`;

export function presentFacility(f: FacilityRow) {
  return {
    id: f.id,
    siteId: f.site_id,
    kind: f.kind,
    name: f.name,
    provinceCode: f.province_code,
    districtCode: f.district_code,
    communeCode: f.commune_code,
    beds: { total: f.beds_total, occupied: f.beds_occupied, free: f.beds_total - f.beds_occupied },
    oxygenBeds: { total: f.oxygen_beds_total, occupied: f.oxygen_beds_occupied },
    icu: { total: f.icu_total, occupied: f.icu_occupied },
    ventilators: { total: f.ventilators, inUse: f.ventilators_in_use },
    oxygen: {
      cylinders: f.oxygen_cylinders,
      concentrators: f.oxygen_concentrators,
      liquidLitres: Number(f.oxygen_liquid_litres),
      useLitresPerDay: Number(f.oxygen_use_litres_per_day),
      daysLeft: oxygenDaysLeft({
        cylinders: f.oxygen_cylinders,
        liquidLitres: Number(f.oxygen_liquid_litres),
        useLitresPerDay: Number(f.oxygen_use_litres_per_day),
      }),
    },
    staffOnDuty: f.staff_on_duty,
  };
}

/** The list's SQL (exported for the plan test): a unit's facilities by name, keyset on (name, id). */
export function facilityListSql(
  scopeSql: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopeSql];
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(f.name, f.id) > ($${params.length - 1}::text, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  return `SELECT ${FACILITY_COLUMNS} FROM care_facilities f WHERE ${where.join(' AND ')}
    ORDER BY f.name, f.id LIMIT $${params.length}`;
}

export const loadFacility = (
  req: FastifyRequest,
  id: string,
  action: 'facilities.read' | 'facilities.manage' | 'admissions.write',
) =>
  loadScopedAny(req, {
    action,
    resourceType: 'care_facility',
    id,
    label: 'Cơ sở',
    auditAllowed: false,
    load: async () => {
      const r = (
        await req.server.db.query<FacilityRow>(
          `SELECT ${FACILITY_COLUMNS} FROM care_facilities f WHERE f.id = $1`,
          [id],
        )
      )[0];
      return r && { places: [placeOf(r)], row: r };
    },
  });

const roomBody = z.object({
  name: z.string().trim().min(1).max(50),
  ordinary: z.number().int().min(0).max(200).default(0),
  oxygen: z.number().int().min(0).max(200).default(0),
  icu: z.number().int().min(0).max(200).default(0),
});
const supplies = {
  ventilators: z.number().int().min(0).max(10_000).optional(),
  oxygenCylinders: z.number().int().min(0).max(1_000_000).optional(),
  oxygenConcentrators: z.number().int().min(0).max(100_000).optional(),
  oxygenLiquidLitres: z.number().min(0).max(10_000_000).optional(),
  oxygenUseLitresPerDay: z.number().min(0).max(100_000_000).optional(),
  staffOnDuty: z.number().int().min(0).max(100_000).optional(),
};

/** Adds rooms and their beds to a facility and its maintained totals (one transaction). */
async function addRooms(q: Queryable, facilityId: string, rooms: z.infer<typeof roomBody>[]) {
  for (const r of rooms) {
    const room = (
      await q.query<{ id: string }>(
        `INSERT INTO care_rooms (facility_id, name, free_ordinary, free_oxygen, free_icu) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (facility_id, name) DO NOTHING RETURNING id`,
        [facilityId, r.name, r.ordinary, r.oxygen, r.icu],
      )
    )[0];
    if (!room) throw fieldError('rooms', `Phòng ${r.name} đã có`);
    await q.query(
      `INSERT INTO care_beds (room_id, facility_id, label, kind)
       SELECT $1, $2, k.kind || '-' || g, k.kind
         FROM (VALUES ('ordinary', $3::int), ('oxygen', $4::int), ('icu', $5::int)) k(kind, n),
              generate_series(1, k.n) g`,
      [room.id, facilityId, r.ordinary, r.oxygen, r.icu],
    );
    await q.query(
      `UPDATE care_facilities SET beds_total = beds_total + $2, oxygen_beds_total = oxygen_beds_total + $3,
         icu_total = icu_total + $4, updated_at = now() WHERE id = $1`,
      [facilityId, r.ordinary + r.oxygen + r.icu, r.oxygen, r.icu],
    );
  }
}

export async function facilityRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/facilities',
    {
      preHandler: requirePermission('facilities.read'),
      schema: {
        tags: [TAG],
        summary:
          'Facilities in your area (or a unit of it), by name, with beds, ICU, ventilators and oxygen',
        querystring: z.object({ unit: unitCode.optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      let scopeSql = scopePredicate(actor.scope, params, 'f');
      if (req.query.unit) {
        const u = await unitForActor(req, req.query.unit, 'facilities.read');
        params.push(u.code);
        scopeSql += ` AND f.${u.column} = $${params.length}`;
      }
      const sql = facilityListSql(
        scopeSql,
        params,
        decodeCursor(req.query.cursor, 2),
        req.query.limit,
      );
      const rows = await db.query<FacilityRow>(sql, params);
      const pg = page(rows, req.query.limit, (r) => [r.name, r.id]);
      return { items: pg.items.map(presentFacility), nextCursor: pg.nextCursor };
    },
  );

  app.post(
    '/api/v1/facilities',
    {
      preHandler: requirePermission('facilities.manage'),
      schema: {
        tags: [TAG],
        summary: 'Open a facility with its rooms and beds (ordinary, oxygen, ICU) and supplies',
        body: z.object({
          clientId: z.uuid().optional(),
          kind: z.enum(FACILITY_KINDS),
          name: z.string().trim().min(2).max(200),
          communeCode: z.string().regex(/^\d{5}$/, 'Mã xã 5 chữ số'),
          address: z.string().trim().max(300).optional(),
          rooms: z.array(roomBody).max(2000).default([]),
          ...supplies,
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const unit = (
        await db.query<{ code: string; province_code: string; district_code: string }>(
          'SELECT code, province_code, district_code FROM admin_units WHERE code = $1 AND level = 3',
          [b.communeCode],
        )
      )[0];
      if (!unit) throw fieldError('communeCode', `Không có xã mã ${b.communeCode}`);
      const place = {
        provinceCode: unit.province_code,
        districtCode: unit.district_code,
        communeCode: unit.code,
      };
      if (!allowed(actor, 'facilities.manage', place)) {
        await audit(db, req, {
          action: 'facilities.manage',
          resourceType: 'admin_unit',
          resourceId: b.communeCode,
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw notFound('Xã');
      }
      const names = b.rooms.map((r) => r.name);
      if (new Set(names).size !== names.length) throw fieldError('rooms', 'Tên phòng trùng nhau');
      const out = await db.tx(async (q) => {
        if (b.clientId) {
          const old = (
            await q.query<{ id: string }>('SELECT id FROM care_facilities WHERE client_id = $1', [
              b.clientId,
            ])
          )[0];
          if (old) return { id: old.id, replayed: true };
        }
        const site = (
          await q.query<{ id: string }>(
            `INSERT INTO sites (kind, name, province_code, district_code, commune_code, address) VALUES ('facility',$1,$2,$3,$4,$5) RETURNING id`,
            [b.name, unit.province_code, unit.district_code, unit.code, b.address ?? null],
          )
        )[0]!;
        const f = (
          await q.query<{ id: string }>(
            `INSERT INTO care_facilities (site_id, kind, name, province_code, district_code, commune_code, ventilators,
               oxygen_cylinders, oxygen_concentrators, oxygen_liquid_litres, oxygen_use_litres_per_day, staff_on_duty, client_id, created_by)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`,
            [
              site.id,
              b.kind,
              b.name,
              unit.province_code,
              unit.district_code,
              unit.code,
              b.ventilators ?? 0,
              b.oxygenCylinders ?? 0,
              b.oxygenConcentrators ?? 0,
              b.oxygenLiquidLitres ?? 0,
              b.oxygenUseLitresPerDay ?? 0,
              b.staffOnDuty ?? 0,
              b.clientId ?? null,
              actor.id,
            ],
          )
        )[0]!;
        await addRooms(q, f.id, b.rooms);
        await audit(q, req, {
          action: 'facilities.create',
          resourceType: 'care_facility',
          resourceId: f.id,
          outcome: 'allowed',
        });
        return { id: f.id, replayed: false };
      });
      const row = (
        await db.query<FacilityRow>(
          `SELECT ${FACILITY_COLUMNS} FROM care_facilities f WHERE f.id = $1`,
          [out.id],
        )
      )[0]!;
      return reply.status(out.replayed ? 200 : 201).send(presentFacility(row));
    },
  );

  app.get(
    '/api/v1/facilities/:id',
    {
      preHandler: requirePermission('facilities.read'),
      schema: {
        tags: [TAG],
        summary: 'A facility: rooms, beds by kind, occupancy, cohorts',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const f = await loadFacility(req, req.params.id, 'facilities.read');
      const rows = await facilityRooms(db, f.id, null, ROOM_PAGE);
      const rooms = page(rows, ROOM_PAGE, (r) => [r.name, r.id]);
      return {
        ...presentFacility(f),
        today: await facilityToday(db, f.site_id, todayVn()),
        cohorts: await facilityCohorts(db, f.id),
        rooms: rooms.items.map(presentRoom),
        roomsNextCursor: rooms.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/facilities/:id/rooms',
    {
      preHandler: requirePermission('facilities.read'),
      schema: {
        tags: [TAG],
        summary: "A facility's rooms by name: beds, free beds by kind, the cohort each holds",
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ ...pageQuery }),
      },
    },
    async (req) => {
      const f = await loadFacility(req, req.params.id, 'facilities.read');
      const rows = await facilityRooms(
        db,
        f.id,
        decodeCursor(req.query.cursor, ['text', 'uuid']),
        req.query.limit,
      );
      const pg = page(rows, req.query.limit, (r) => [r.name, r.id]);
      return { items: pg.items.map(presentRoom), nextCursor: pg.nextCursor };
    },
  );

  app.patch(
    '/api/v1/facilities/:id',
    {
      preHandler: requirePermission('facilities.manage'),
      schema: {
        tags: [TAG],
        summary: 'Update supplies and staff, or add rooms',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          ...supplies,
          ventilatorsInUse: z.number().int().min(0).max(10_000).optional(),
          rooms: z.array(roomBody).max(500).default([]),
        }),
      },
    },
    async (req) => {
      const f = await loadFacility(req, req.params.id, 'facilities.manage');
      const b = req.body;
      const vent = b.ventilators ?? f.ventilators;
      if ((b.ventilatorsInUse ?? f.ventilators_in_use) > vent)
        throw fieldError('ventilatorsInUse', `Nhiều hơn số máy thở (${vent})`);
      await db.tx(async (q) => {
        await q.query(
          `UPDATE care_facilities SET ventilators = coalesce($2, ventilators), ventilators_in_use = coalesce($3, ventilators_in_use),
             oxygen_cylinders = coalesce($4, oxygen_cylinders), oxygen_concentrators = coalesce($5, oxygen_concentrators),
             oxygen_liquid_litres = coalesce($6, oxygen_liquid_litres), oxygen_use_litres_per_day = coalesce($7, oxygen_use_litres_per_day),
             staff_on_duty = coalesce($8, staff_on_duty), updated_at = now() WHERE id = $1`,
          [
            f.id,
            b.ventilators ?? null,
            b.ventilatorsInUse ?? null,
            b.oxygenCylinders ?? null,
            b.oxygenConcentrators ?? null,
            b.oxygenLiquidLitres ?? null,
            b.oxygenUseLitresPerDay ?? null,
            b.staffOnDuty ?? null,
          ],
        );
        await addRooms(q, f.id, b.rooms);
        await audit(q, req, {
          action: 'facilities.update',
          resourceType: 'care_facility',
          resourceId: f.id,
          outcome: 'allowed',
        });
      });
      const row = (
        await db.query<FacilityRow>(
          `SELECT ${FACILITY_COLUMNS} FROM care_facilities f WHERE f.id = $1`,
          [f.id],
        )
      )[0]!;
      return presentFacility(row);
    },
  );
}
