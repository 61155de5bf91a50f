/**
 * Jurisdiction of testing records. Orders, specimens and results carry the person's codes, the
 * site that ordered / sampled / reported them (site_id) and the lab they went to (lab_site_id):
 * an area user sees the rows of their area, a site user (lab, school, enterprise) the rows of
 * their site as either.
 */
import type { FastifyRequest } from 'fastify';
import { can, contains, type Action, type Scope } from '../../domain/access.ts';
import { audit, requireActor, scopePredicate } from '../context.ts';
import { notFound } from '../errors.ts';

export interface TestPlaceRow {
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  site_id: string | null;
  lab_site_id: string | null;
}

export function testScope(scope: Scope, params: unknown[], alias: string): string {
  if (scope.level === 'site') {
    params.push(scope.siteId);
    const n = `$${params.length}`;
    return `(${alias}.site_id = ${n} OR ${alias}.lab_site_id = ${n})`;
  }
  return scopePredicate(scope, params, alias);
}

export function testContains(scope: Scope, r: TestPlaceRow): boolean {
  const place = {
    provinceCode: r.province_code,
    districtCode: r.district_code,
    communeCode: r.commune_code,
  };
  if (scope.level === 'site')
    return !!scope.siteId && (r.site_id === scope.siteId || r.lab_site_id === scope.siteId);
  return contains(scope, place);
}

/** Loads one testing record held to the actor's scope: 404 for missing or outside, audited. */
export async function loadTestScoped<T extends TestPlaceRow>(
  req: FastifyRequest,
  opts: {
    action: Action;
    resourceType: string;
    id: string;
    label: string;
    load: () => Promise<T | undefined>;
    auditAllowed?: boolean;
  },
): Promise<T> {
  const actor = requireActor(req);
  const row = await opts.load();
  if (!row || !can(actor.role, opts.action) || !testContains(actor.scope, row)) {
    await audit(req.server.db, req, {
      action: opts.action,
      resourceType: opts.resourceType,
      resourceId: opts.id,
      outcome: 'denied',
      reason: row ? 'outside_scope' : 'not_found',
    });
    throw notFound(opts.label);
  }
  if (opts.auditAllowed !== false)
    await audit(req.server.db, req, {
      action: opts.action,
      resourceType: opts.resourceType,
      resourceId: opts.id,
      outcome: 'allowed',
    });
  return row;
}
