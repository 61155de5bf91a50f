/** Shared pieces of the supplies routes: the holder row, its place, and the scope checks of ids. */
import type { FastifyRequest } from 'fastify';
import type { Action, Place } from '../../domain/access.ts';
import { unitForActor } from '../care/common.ts';
import { requireActor, scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError } from '../errors.ts';
import { placeInScope } from '../scoped-ids.ts';

export const TAG = 'supplies';

export interface HolderRow {
  id: string;
  kind: 'unit' | 'facility';
  name: string;
  unit_code: string;
  site_id: string | null;
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
}
export const HOLDER_COLUMNS =
  'h.id, h.kind, h.name, h.unit_code, h.site_id, h.province_code, h.district_code, h.commune_code';

export const holderPlace = (h: HolderRow): Place => ({
  provinceCode: h.province_code,
  districtCode: h.district_code,
  communeCode: h.commune_code,
  siteId: h.site_id,
});

export const presentHolder = (h: HolderRow) => ({
  id: h.id,
  kind: h.kind,
  name: h.name,
  unitCode: h.unit_code,
  siteId: h.site_id,
  provinceCode: h.province_code,
  districtCode: h.district_code,
  communeCode: h.commune_code,
});

export async function loadHolder(q: Queryable, id: string): Promise<HolderRow | undefined> {
  return (
    await q.query<HolderRow>(`SELECT ${HOLDER_COLUMNS} FROM supply_holders h WHERE h.id = $1`, [id])
  )[0];
}

/** A holder a request names (path, query or body): unknown or outside the scope → 404 naming `field`, audited. */
export async function holderInScope(
  req: FastifyRequest,
  id: string,
  action: Action,
  field: string,
): Promise<HolderRow> {
  const h = await loadHolder(req.server.db, id);
  await placeInScope(req, {
    action,
    resourceType: 'supply_holder',
    id,
    field,
    place: h && holderPlace(h),
    label: 'Nơi giữ vật tư',
  });
  return h!;
}

export interface ItemRow {
  code: string;
  name_vi: string;
  name_en: string;
  unit_vi: string;
  unit_en: string;
  category: string;
  daily_capacity: number | null;
  default_minimum: number;
  catalogue_id: string | null;
}

export async function loadItem(q: Queryable, code: string, field = 'itemCode'): Promise<ItemRow> {
  const row = (await q.query<ItemRow>('SELECT * FROM supply_items WHERE code = $1', [code]))[0];
  if (!row) throw fieldError(field, `Không có vật tư mã ${code} trong danh mục`);
  return row;
}

export const presentItem = (i: ItemRow) => ({
  code: i.code,
  name: { vi: i.name_vi, en: i.name_en },
  unit: { vi: i.unit_vi, en: i.unit_en },
  category: i.category,
  dailyCapacity: i.daily_capacity,
  defaultMinimum: i.default_minimum,
  catalogueId: i.catalogue_id,
});

/**
 * The scope predicate of a list on table `alias`, narrowed to `unit` when one is asked for
 * (a unit outside the actor's area: 404, audited). Parameters are appended to `params`.
 */
export async function listScope(
  req: FastifyRequest,
  params: unknown[],
  alias: string,
  unit: string | undefined,
  action: Action,
): Promise<string> {
  const sql = scopePredicate(requireActor(req).scope, params, alias);
  if (!unit) return sql;
  const u = await unitForActor(req, unit, action);
  params.push(u.code);
  return `${sql} AND ${alias}.${u.column} = $${params.length}`;
}
