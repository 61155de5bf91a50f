import type { FastifyRequest } from 'fastify';
import {
  contains,
  readsAreaPeople,
  type Action,
  type Place,
  type Scope,
} from '../domain/access.ts';
import { areaScope, audit, requireActor } from './context.ts';
import type { Queryable } from './db/index.ts';
import { AppError, notFound } from './errors.ts';
import { canonicalPersonId, loadPerson, personPlaces, type PersonRow } from './people/store.ts';

/**
 * Ids named inside a request body (a contact's person, a venue, a site, a unit…) are held to the
 * actor's jurisdiction exactly like ids in the path: a record that does not exist and a record
 * outside the scope answer the same 404, naming the field, and the attempt is audited
 * (`throw await denyBodyId(…)`).
 * Every write endpoint sends its body ids through here (or through `loadScoped`).
 */
export async function denyBodyId(
  req: FastifyRequest,
  e: { action: Action | string; resourceType: string; id: string; field: string; found: boolean },
  label = 'Bản ghi',
): Promise<AppError> {
  await audit(req.server.db, req, {
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.id,
    outcome: 'denied',
    reason: e.found ? 'outside_scope' : 'not_found',
    detail: { field: e.field },
  });
  return new AppError(404, 'not_found', notFound(label).message, [
    { path: e.field, message: `Không có ${label.toLowerCase()} này` },
  ]);
}

/** The scope people are read in: a site whose role serves its commune's residents reads as that commune. */
export async function peopleScope(q: Queryable, req: FastifyRequest): Promise<Scope> {
  const actor = requireActor(req);
  if (actor.scope.level !== 'site' || !readsAreaPeople(actor.role)) return actor.scope;
  return areaScope(q, actor.scope);
}

/**
 * The person a body names (following a merge to the record that stands for them now), held to
 * the actor's jurisdiction over people (home or managing unit). Missing or outside: 404 naming `field`, audited.
 */
export async function personInScope(
  req: FastifyRequest,
  id: string,
  opts: { action: Action | string; field: string; q?: Queryable },
): Promise<PersonRow> {
  const q = opts.q ?? req.server.db;
  const canonical = await canonicalPersonId(q, id);
  const person = canonical ? await loadPerson(q, canonical) : undefined;
  // In scope where they live or where they are now (an arrival's managing unit, issue 13).
  const scope = person && (await peopleScope(q, req));
  if (!person || !personPlaces(person).some((pl) => contains(scope!, pl)))
    throw await denyBodyId(req, { ...opts, resourceType: 'person', id, found: !!person }, 'Người');
  return person;
}

/**
 * Any other record a body names: `place` is where it sits (undefined: no such record). Missing or
 * outside the actor's scope (or `scope`, when the caller holds it to a wider area): 404, audited.
 */
export async function placeInScope(
  req: FastifyRequest,
  opts: {
    action: Action | string;
    resourceType: string;
    id: string;
    field: string;
    place: Place | undefined;
    scope?: Scope;
    label?: string;
  },
): Promise<void> {
  const scope = opts.scope ?? requireActor(req).scope;
  if (!opts.place || !contains(scope, opts.place))
    throw await denyBodyId(req, { ...opts, found: !!opts.place }, opts.label);
}

/**
 * A commune a body names (a level-3 unit): unknown or outside the actor's scope answers 404
 * naming `field`, audited (a violation's place, a workplace's commune).
 */
export async function communeInScope(
  req: FastifyRequest,
  code: string,
  opts: { action: Action | string; field: string },
): Promise<{ provinceCode: string; districtCode: string; communeCode: string }> {
  const u = (
    await req.server.db.query<{ province_code: string; district_code: string }>(
      'SELECT province_code, district_code FROM admin_units WHERE code = $1 AND level = 3',
      [code],
    )
  )[0];
  const place = u && {
    provinceCode: u.province_code,
    districtCode: u.district_code,
    communeCode: code,
  };
  if (!place || !contains(requireActor(req).scope, place))
    throw await denyBodyId(
      req,
      { action: opts.action, resourceType: 'admin_unit', id: code, field: opts.field, found: !!u },
      'Xã',
    );
  return place;
}
