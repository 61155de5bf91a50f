/** Shared pieces of the vaccination routes: schemas, today's date, the person and site checks. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Action } from '../../domain/access.ts';
import { dateOfInstant, isValidIsoDate } from '../../domain/dates.ts';
import { requireActor } from '../context.ts';
import { personInScope, placeInScope } from '../scoped-ids.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError } from '../errors.ts';
import type { PersonRow } from '../people/store.ts';

export const TAG = 'vaccination';

// A real calendar date from year 1 (0000-01-01 passed a Date round trip and failed in the database).
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày dạng YYYY-MM-DD')
  .refine(isValidIsoDate, 'Ngày không có thật');

export const unitCode = z
  .string()
  .regex(/^\d{2}(\d|\d{3})?$/, 'Mã đơn vị hành chính gồm 2, 3 hoặc 5 chữ số');

/** Today in Vietnam (UTC+7). */
export const todayVn = () => dateOfInstant(Date.now());

/**
 * The person a vaccination record is about, held to the actor's area: a vaccination site works
 * for the residents of its commune. Outside the area, or unknown: 404, audited.
 */
export async function personForVaccination(
  q: Queryable,
  req: FastifyRequest,
  id: string,
  action: Action,
): Promise<PersonRow> {
  return personInScope(req, id, { action, field: 'personId', q });
}

export interface SiteRow {
  id: string;
  kind: string;
  name: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  disabled: boolean;
}

/** A site the actor may record at (their own site, or a site inside their area). */
export async function siteForActor(
  q: Queryable,
  req: FastifyRequest,
  id: string,
  field = 'siteId',
): Promise<SiteRow> {
  const actor = requireActor(req);
  const rows = await q.query<SiteRow>(
    'SELECT id, kind, name, province_code, district_code, commune_code, disabled FROM sites WHERE id = $1',
    [id],
  );
  const s = rows[0];
  await placeInScope(req, {
    action: 'sites.use',
    resourceType: 'site',
    id,
    field,
    place: s && { ...siteCodes(s), siteId: s.id },
    scope: actor.scope,
    label: 'Điểm tiêm',
  });
  if (!s) throw fieldError(field, 'Không có điểm tiêm này');
  if (s.disabled) throw fieldError(field, 'Điểm tiêm đã ngừng hoạt động');
  return s;
}

export const siteCodes = (s: SiteRow) => ({
  provinceCode: s.province_code,
  districtCode: s.district_code,
  communeCode: s.commune_code,
});

/** The site of a site-level actor, which every record they make is at. */
export const actorSiteId = (req: FastifyRequest): string | null => {
  const a = requireActor(req);
  return a.scope.level === 'site' ? (a.scope.siteId ?? null) : null;
};

/** A vaccination session a body names: at a site in the actor's area (404 + audit otherwise). */
export async function sessionInScope(q: Queryable, req: FastifyRequest, id: string) {
  const rows = await q.query<{
    province_code: string;
    district_code: string;
    commune_code: string;
    site_id: string;
  }>(
    'SELECT province_code, district_code, commune_code, site_id FROM vaccination_sessions WHERE id = $1',
    [id],
  );
  const s = rows[0];
  await placeInScope(req, {
    action: 'vaccinations.write',
    resourceType: 'vaccination_session',
    id,
    field: 'sessionId',
    place: s && {
      provinceCode: s.province_code,
      districtCode: s.district_code,
      communeCode: s.commune_code,
      siteId: s.site_id,
    },
    label: 'Buổi tiêm',
  });
}
