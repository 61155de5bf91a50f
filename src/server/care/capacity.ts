/**
 * Beds, ICU, ventilators and oxygen — the capacity figure the epidemic-level rules, the steering
 * committee and the dashboards read. Read from maintained figures only: each facility row keeps
 * its beds and occupancy (changed in the same transaction as every admission, release and
 * transfer) and care_commune_counts keeps patients by tier and open alerts per commune, so a
 * province-wide summary sums a few dozen facility rows and a few hundred commune rows.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Scope } from '../../domain/access.ts';
import { oxygenDaysLeft } from '../../domain/care.ts';
import { audit, requireActor, requirePermission, scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { TAG, unitCode, unitForActor } from './common.ts';
import { FACILITY_COLUMNS, presentFacility, type FacilityRow } from './facilities.ts';

export interface CapacityTotals {
  facilities: number;
  beds: { total: number; occupied: number; free: number };
  oxygenBeds: { total: number; occupied: number };
  icu: { total: number; occupied: number };
  ventilators: { total: number; inUse: number };
  oxygen: {
    cylinders: number;
    concentrators: number;
    liquidLitres: number;
    useLitresPerDay: number;
    daysLeft: number | null;
  };
  patients: { home: number; tier1: number; tier2: number; tier3: number };
  openAlerts: { total: number; children: number; elderly: number };
}
export interface CapacitySummary {
  facilities: ReturnType<typeof presentFacility>[];
  districts: (CapacityTotals & { districtCode: string; districtName: string })[];
  total: CapacityTotals;
}

/**
 * Capacity within `scope` (an actor's scope, or one built for a unit: `{ level: 'district',
 * provinceCode, districtCode }`): every facility with its beds (total/occupied, oxygen, ICU),
 * ventilators and oxygen days left; the same totals per district with patients by tier and open
 * alerts (children < 16, elderly ≥ 65); and the grand total. For dashboards (issue 12):
 * `await capacitySummary(db, actor.scope)`.
 */
export async function capacitySummary(db: Queryable, scope: Scope): Promise<CapacitySummary> {
  const params: unknown[] = [];
  const fw = scopePredicate(scope, params, 'f');
  const facilities = await db.query<FacilityRow>(
    `SELECT ${FACILITY_COLUMNS} FROM care_facilities f WHERE ${fw} ORDER BY f.district_code, f.name, f.id`,
    params,
  );
  const cparams: unknown[] = [];
  // a site or village scope reads its facility alone; the commune counts are an area's
  const counts =
    scope.level === 'site' || scope.level === 'village'
      ? []
      : await db.query<{
          district_code: string;
          home: number;
          tier1: number;
          tier2: number;
          tier3: number;
          open_alerts: number;
          child: number;
          elderly: number;
        }>(
          `SELECT c.district_code, sum(home)::int AS home, sum(tier1)::int AS tier1, sum(tier2)::int AS tier2, sum(tier3)::int AS tier3,
                  sum(open_alerts)::int AS open_alerts, sum(open_alerts_child)::int AS child, sum(open_alerts_elderly)::int AS elderly
             FROM care_commune_counts c WHERE ${scopePredicate(scope, cparams, 'c')} GROUP BY c.district_code`,
          cparams,
        );
  const codes = [
    ...new Set([...facilities.map((f) => f.district_code), ...counts.map((c) => c.district_code)]),
  ].sort();
  const names = new Map(
    (
      await db.query<{ code: string; name: string }>(
        'SELECT code, name FROM admin_units WHERE code = ANY($1::text[])',
        [codes],
      )
    ).map((u) => [u.code, u.name]),
  );
  const empty = (): CapacityTotals => ({
    facilities: 0,
    beds: { total: 0, occupied: 0, free: 0 },
    oxygenBeds: { total: 0, occupied: 0 },
    icu: { total: 0, occupied: 0 },
    ventilators: { total: 0, inUse: 0 },
    oxygen: { cylinders: 0, concentrators: 0, liquidLitres: 0, useLitresPerDay: 0, daysLeft: null },
    patients: { home: 0, tier1: 0, tier2: 0, tier3: 0 },
    openAlerts: { total: 0, children: 0, elderly: 0 },
  });
  const add = (t: CapacityTotals, f: FacilityRow) => {
    t.facilities += 1;
    t.beds.total += f.beds_total;
    t.beds.occupied += f.beds_occupied;
    t.beds.free = t.beds.total - t.beds.occupied;
    t.oxygenBeds.total += f.oxygen_beds_total;
    t.oxygenBeds.occupied += f.oxygen_beds_occupied;
    t.icu.total += f.icu_total;
    t.icu.occupied += f.icu_occupied;
    t.ventilators.total += f.ventilators;
    t.ventilators.inUse += f.ventilators_in_use;
    t.oxygen.cylinders += f.oxygen_cylinders;
    t.oxygen.concentrators += f.oxygen_concentrators;
    t.oxygen.liquidLitres += Number(f.oxygen_liquid_litres);
    t.oxygen.useLitresPerDay += Number(f.oxygen_use_litres_per_day);
    t.oxygen.daysLeft = oxygenDaysLeft(t.oxygen);
  };
  const addCounts = (t: CapacityTotals, c: (typeof counts)[number]) => {
    t.patients.home += c.home;
    t.patients.tier1 += c.tier1;
    t.patients.tier2 += c.tier2;
    t.patients.tier3 += c.tier3;
    t.openAlerts.total += c.open_alerts;
    t.openAlerts.children += c.child;
    t.openAlerts.elderly += c.elderly;
  };
  const total = empty();
  const districts = codes.map((code) => {
    const t = empty();
    for (const f of facilities) if (f.district_code === code) add(t, f);
    for (const c of counts) if (c.district_code === code) addCounts(t, c);
    return { districtCode: code, districtName: names.get(code) ?? code, ...t };
  });
  for (const f of facilities) add(total, f);
  for (const c of counts) addCounts(total, c);
  return { facilities: facilities.map(presentFacility), districts, total };
}

export async function capacityRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.get(
    '/api/v1/capacity',
    {
      preHandler: requirePermission('capacity.read'),
      schema: {
        tags: [TAG],
        summary:
          'Beds by kind free and used, ICU, ventilators, oxygen days left, patients by tier, alerts by age — per facility, district and in total',
        querystring: z.object({ unit: unitCode.optional() }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      let scope: Scope = actor.scope;
      if (req.query.unit) {
        const u = await unitForActor(req, req.query.unit, 'capacity.read');
        scope =
          u.level === 1
            ? { level: 'province', provinceCode: u.code }
            : u.level === 2
              ? { level: 'district', provinceCode: u.province_code, districtCode: u.code }
              : {
                  level: 'commune',
                  provinceCode: u.province_code,
                  districtCode: u.district_code,
                  communeCode: u.code,
                };
      }
      const s = await capacitySummary(db, scope);
      await audit(db, req, {
        action: 'capacity.read',
        resourceType: 'capacity',
        resourceId: req.query.unit ?? null,
        outcome: 'allowed',
      });
      return s;
    },
  );
}
