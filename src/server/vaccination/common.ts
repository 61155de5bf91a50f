/** Shared pieces of the vaccination routes: schemas, today's date, the person and site checks. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { allowed, contains, type Action, type Scope } from '../../domain/access.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import { audit, areaScope, requireActor } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError, notFound } from '../errors.ts';
import { canonicalPersonId, loadPerson, personPlaces, type PersonRow } from '../people/store.ts';

export const TAG = 'vaccination';

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày dạng YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(d + 'T00:00:00Z');
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, 'Ngày không có thật');

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
  const actor = requireActor(req);
  const canonical = await canonicalPersonId(q, id);
  const person = canonical ? await loadPerson(q, canonical) : undefined;
  const area: Scope = await areaScope(q, actor.scope);
  const ok =
    person &&
    personPlaces(person).some((pl) => allowed({ role: actor.role, scope: area }, action, pl));
  if (!person || !ok) {
    await audit(req.server.db, req, {
      action,
      resourceType: 'person',
      resourceId: id,
      outcome: 'denied',
      reason: person ? 'outside_scope' : 'not_found',
    });
    throw notFound('Người');
  }
  return person;
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
  if (!s || !contains(actor.scope, { ...siteCodes(s), siteId: s.id }))
    throw fieldError(field, 'Không có điểm tiêm này trong địa bàn của bạn');
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
