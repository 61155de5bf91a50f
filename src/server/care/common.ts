/** What the care module's handlers share: the place of a record, the unit parameter, counts. */
import type { FastifyRequest } from 'fastify';
import type { Action } from '../../domain/access.ts';
import { z } from 'zod';
import { contains, type Place, type Scope } from '../../domain/access.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import type { Tier } from '../../domain/care-f0.ts';
import { audit, loadScopedAny, requireActor, scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError, notFound } from '../errors.ts';

export const TAG = 'care';
export const todayVn = () => dateOfInstant(Date.now());
export const unitCode = z.string().regex(/^\d{2}(\d{1}|\d{3})?$/, 'Mã đơn vị 2, 3 hoặc 5 chữ số');

export interface PlaceRow {
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id?: string | null;
  site_id?: string | null;
}
export const placeOf = (r: PlaceRow): Place => ({
  provinceCode: r.province_code,
  districtCode: r.district_code,
  communeCode: r.commune_code,
  villageId: r.village_id ?? null,
  siteId: r.site_id ?? null,
});

/** An admin unit the actor may read (a site reads its commune): 400 when unknown, 404 + audit outside. */
export async function unitForActor(req: FastifyRequest, code: string, action: string) {
  const db = req.server.db;
  const actor = requireActor(req);
  const u = (
    await db.query<{
      code: string;
      name: string;
      level: number;
      province_code: string;
      district_code: string | null;
    }>('SELECT code, name, level, province_code, district_code FROM admin_units WHERE code = $1', [
      code,
    ])
  )[0];
  if (!u) throw fieldError('unit', `Không có đơn vị hành chính mã ${code}`);
  const place: Place = {
    provinceCode: u.province_code,
    districtCode: u.level >= 2 ? (u.level === 2 ? u.code : u.district_code) : null,
    communeCode: u.level === 3 ? u.code : null,
  };
  let scope = actor.scope;
  if (scope.level === 'site' || scope.level === 'village') {
    const s = (
      await db.query<PlaceRow>(
        scope.level === 'site'
          ? 'SELECT province_code, district_code, commune_code FROM sites WHERE id = $1'
          : `SELECT a.province_code, a.district_code, v.commune_code FROM villages v
               JOIN admin_units a ON a.code = v.commune_code WHERE v.id = $1`,
        [scope.level === 'site' ? scope.siteId : scope.villageId],
      )
    )[0];
    scope = s ? { level: 'commune', ...placeOf(s) } : scope;
  }
  if (!contains(scope, place)) {
    await audit(db, req, {
      action,
      resourceType: 'admin_unit',
      resourceId: code,
      outcome: 'denied',
      reason: 'outside_scope',
    });
    throw notFound('Đơn vị');
  }
  return {
    ...u,
    column: u.level === 1 ? 'province_code' : u.level === 2 ? 'district_code' : 'commune_code',
  };
}

/** Moves one patient between tiers (or in/out) in the commune's maintained counts. */
export async function bumpTier(
  q: Queryable,
  p: PlaceRow,
  from: Tier | null,
  to: Tier | null,
): Promise<void> {
  const set = [
    from && `${from} = care_commune_counts.${from} - 1`,
    to && `${to} = care_commune_counts.${to} + 1`,
  ]
    .filter(Boolean)
    .join(', ');
  if (!set) return;
  await q.query(
    `INSERT INTO care_commune_counts (commune_code, district_code, province_code, ${to ?? 'home'})
     VALUES ($1, $2, $3, ${to ? 1 : 0})
     ON CONFLICT (commune_code) DO UPDATE SET ${set}`,
    [p.commune_code, p.district_code, p.province_code],
  );
}

/** Opens (+1) or closes (-1) an alert in the commune's maintained counts, by age band. */
export async function bumpAlerts(q: Queryable, p: PlaceRow, age: number | null, delta: 1 | -1) {
  const child = age !== null && age < 16 ? delta : 0;
  const elderly = age !== null && age >= 65 ? delta : 0;
  await q.query(
    `INSERT INTO care_commune_counts (commune_code, district_code, province_code, open_alerts, open_alerts_child, open_alerts_elderly)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (commune_code) DO UPDATE SET open_alerts = care_commune_counts.open_alerts + $4,
       open_alerts_child = care_commune_counts.open_alerts_child + $5,
       open_alerts_elderly = care_commune_counts.open_alerts_elderly + $6`,
    [p.commune_code, p.district_code, p.province_code, delta, child, elderly],
  );
}

/**
 * The scope predicate of the care lists. A facility manager's scope is their facility's site:
 * patients under care in that facility (care_treatments_facility, migration 0023), and the
 * alerts of those patients; every other scope is `scopePredicate` on the row's own codes.
 */
export function careScopeSql(scope: Scope, params: unknown[], alias: 't' | 'a'): string {
  if (scope.level !== 'site') return scopePredicate(scope, params, alias);
  params.push(scope.siteId);
  const facility = `(SELECT f.id FROM care_facilities f WHERE f.site_id = $${params.length})`;
  return alias === 't'
    ? `t.facility_id = ${facility}`
    : `a.treatment_id IN (SELECT x.id FROM care_treatments x WHERE x.facility_id = ${facility})`;
}

/** The site of the facility where a treatment's patient is now (a facility manager's scope). */
export const treatmentSiteSql = (treatmentId: string) =>
  `(SELECT f.site_id FROM care_treatments x JOIN care_facilities f ON f.id = x.facility_id WHERE x.id = ${treatmentId})`;

/**
 * One care record by id (a treatment or an alert, read by `sql` with $1 = the id and a
 * `site_id` column from `treatmentSiteSql`): seen from its area, or by the manager of the
 * facility where the patient is now; 404 + audit otherwise.
 */
export function loadCareRecord<T extends PlaceRow>(
  req: FastifyRequest,
  o: { action: Action; resourceType: string; label: string; id: string; sql: string },
): Promise<T> {
  return loadScopedAny<T>(req, {
    action: o.action,
    resourceType: o.resourceType,
    id: o.id,
    label: o.label,
    auditAllowed: o.action.endsWith('.read'),
    load: async () => {
      const r = (await req.server.db.query<T>(o.sql, [o.id]))[0];
      return r && { places: [placeOf(r)], row: r };
    },
  });
}

/**
 * The scope of a care list (treatments `t` or alerts `a`): the actor's area, or one unit of it
 * when asked (400 unknown, 404 + audit outside); a village or a facility stays within its own.
 */
export async function careListScope(
  req: FastifyRequest,
  alias: 't' | 'a',
  unit: string | undefined,
  action: Action,
): Promise<{ scopeSql: string; params: unknown[] }> {
  const actor = requireActor(req);
  const params: unknown[] = [];
  if (!unit) return { scopeSql: careScopeSql(actor.scope, params, alias), params };
  const u = await unitForActor(req, unit, action);
  params.push(u.code);
  let scopeSql = `${alias}.${u.column} = $1`;
  if (actor.scope.level === 'village' || actor.scope.level === 'site')
    scopeSql += ` AND ${careScopeSql(actor.scope, params, alias)}`;
  return { scopeSql, params };
}
