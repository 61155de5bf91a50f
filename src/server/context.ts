import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  allowed,
  can,
  type Action,
  type Place,
  type Role,
  type Scope,
  type SiteKind,
} from '../domain/access.ts';
import type { Config } from './config.ts';
import type { Db, Queryable } from './db/index.ts';
import { notFound, unauthorized } from './errors.ts';

/** The person making a request, with the jurisdiction every query of theirs is held to. */
export interface Actor {
  id: string;
  username: string;
  fullName: string;
  role: Role;
  scope: Scope;
  siteKind?: SiteKind | null;
  /** The actor's site has been disabled (its accounts can read but not record). */
  siteDisabled?: boolean;
  /** Issue 10, item 8: the session the request came with, and a pending forced password change. */
  sessionId?: string;
  mustChangePassword?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyInstance {
    db: Db;
    config: Config;
  }
}

export interface AuditInput {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  outcome: 'allowed' | 'denied';
  reason?: string;
  detail?: Record<string, unknown>;
  /** Who acted when there is no session (a failed login names the account tried). */
  actor?: Pick<Actor, 'id' | 'username' | 'role' | 'scope'> | null;
}

/** The columns of an audit event and their types (a write may embed one in a larger statement). */
export const AUDIT_FIELDS: [column: string, type: string][] = [
  ['request_id', 'text'],
  ['actor_id', 'uuid'],
  ['actor_username', 'text'],
  ['actor_role', 'text'],
  ['action', 'text'],
  ['resource_type', 'text'],
  ['resource_id', 'text'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['province_code', 'text'],
  ['district_code', 'text'],
  ['commune_code', 'text'],
  ['ip', 'text'],
  ['detail', 'jsonb'],
];
export const AUDIT_COLUMNS = AUDIT_FIELDS.map(([c]) => c).join(', ');
/** `$first::text, $(first+1)::uuid, …` — the placeholders of `auditValues`, typed. */
export const auditPlaceholders = (first: number) =>
  AUDIT_FIELDS.map(([, type], i) => `$${first + i}::${type}`).join(', ');

/** The values of one audit event, in the order of `AUDIT_COLUMNS`. */
export function auditValues(req: FastifyRequest, e: AuditInput): unknown[] {
  const actor = e.actor === undefined ? req.actor : e.actor;
  return [
    req.id,
    actor?.id ?? null,
    actor?.username ?? null,
    actor?.role ?? null,
    e.action,
    e.resourceType,
    e.resourceId ?? null,
    e.outcome,
    e.reason ?? null,
    actor?.scope.provinceCode ?? req.server.config.province,
    actor?.scope.districtCode ?? null,
    actor?.scope.communeCode ?? null,
    req.ip,
    e.detail ? JSON.stringify(e.detail) : null,
  ];
}

/** Writes one audit event, inside the caller's transaction when `q` is one. */
export async function audit(q: Queryable, req: FastifyRequest, e: AuditInput): Promise<void> {
  await q.query(
    `INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES (${auditPlaceholders(1)})`,
    auditValues(req, e),
    { prepare: true },
  );
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}

/** A pre-handler: the request must come from a logged-in user whose role may do `action`. */
export function requirePermission(action: Action) {
  const check = async (req: FastifyRequest, _reply: FastifyReply) => {
    const actor = requireActor(req);
    if (!can(actor.role, action)) {
      await audit(req.server.db, req, {
        action,
        resourceType: 'endpoint',
        resourceId: `${req.method} ${req.routeOptions.url}`,
        outcome: 'denied',
        reason: 'role',
      });
      // Not 403: an endpoint the role cannot use reveals nothing either.
      throw notFound('Trang');
    }
  };
  // The action is readable from the route (see route-permissions.ts: checked before validation).
  return Object.assign(check, { permission: action });
}

/**
 * The SQL predicate that holds a query to the actor's jurisdiction. Tables carry
 * province_code, district_code, commune_code and, where they apply, village_id and site_id.
 */
export function scopePredicate(
  scope: Scope,
  params: unknown[],
  alias = '',
  columns: { village?: string; site?: string } = {},
): string {
  const a = alias ? `${alias}.` : '';
  const push = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  switch (scope.level) {
    case 'province':
      return `${a}province_code = ${push(scope.provinceCode)}`;
    case 'district':
      return `${a}district_code = ${push(scope.districtCode)}`;
    case 'commune':
      return `${a}commune_code = ${push(scope.communeCode)}`;
    case 'village':
      return `${a}${columns.village ?? 'village_id'} = ${push(scope.villageId)}`;
    case 'site':
      return `${a}${columns.site ?? 'site_id'} = ${push(scope.siteId)}`;
  }
}

/**
 * Loads one record and holds it to the actor's scope. A record that does not exist and a
 * record outside the scope answer the same 404; the attempt is audited either way.
 */
export async function loadScoped<T extends Place>(
  req: FastifyRequest,
  opts: {
    action: Action;
    resourceType: string;
    id: string;
    load: () => Promise<T | undefined>;
    label?: string;
    auditAllowed?: boolean;
  },
): Promise<T> {
  return loadScopedAny(req, {
    ...opts,
    load: async () => {
      const row = await opts.load();
      return row && { places: [row], row };
    },
  });
}

/**
 * `loadScoped` for a record seen from several places (a case from its responsible and its
 * current commune): in scope when any of them is.
 */
export async function loadScopedAny<T>(
  req: FastifyRequest,
  opts: {
    action: Action;
    resourceType: string;
    id: string;
    load: () => Promise<{ places: Place[]; row: T } | undefined>;
    label?: string;
    auditAllowed?: boolean;
  },
): Promise<T> {
  const actor = requireActor(req);
  const found = await opts.load();
  if (!found || !found.places.some((p) => allowed(actor, opts.action, p))) {
    await audit(req.server.db, req, {
      action: opts.action,
      resourceType: opts.resourceType,
      resourceId: opts.id,
      outcome: 'denied',
      reason: found ? 'outside_scope' : 'not_found',
    });
    throw notFound(opts.label);
  }
  if (opts.auditAllowed !== false) {
    await audit(req.server.db, req, {
      action: opts.action,
      resourceType: opts.resourceType,
      resourceId: opts.id,
      outcome: 'allowed',
    });
  }
  return found.row;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The area a scope covers, for reading area-level data (villages, counts): a site covers its
 * commune. Record-level checks still use the site scope itself.
 */
export async function areaScope(db: Queryable, scope: Scope): Promise<Scope> {
  if (scope.level !== 'site') return scope;
  const rows = await db.query<{
    province_code: string;
    district_code: string;
    commune_code: string;
  }>('SELECT province_code, district_code, commune_code FROM sites WHERE id = $1', [scope.siteId]);
  const s = rows[0];
  return s
    ? {
        level: 'commune',
        provinceCode: s.province_code,
        districtCode: s.district_code,
        communeCode: s.commune_code,
      }
    : scope;
}
