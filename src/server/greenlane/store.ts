/**
 * Green lane records: loaders, the list SQL (exported for the plan test) and the crews' tests.
 * Writes that take several steps are single command functions in commands.ts.
 */
import type { FastifyRequest } from 'fastify';
import type { Action, Place, Scope } from '../../domain/access.ts';
import type { LoopPoint } from '../../domain/greenlane.ts';
import type { Queryable } from '../db/index.ts';
import { loadScoped, scopePredicate } from '../context.ts';

export interface SiteRow {
  id: string;
  kind: string;
  name: string;
  province_code: string;
  district_code: string;
  commune_code: string;
}
export const sitePlace = (s: SiteRow): Place => ({
  provinceCode: s.province_code,
  districtCode: s.district_code,
  communeCode: s.commune_code,
  siteId: s.id,
});

export async function loadSite(q: Queryable, id: string): Promise<SiteRow | undefined> {
  const rows = await q.query<SiteRow>(
    'SELECT id, kind, name, province_code, district_code, commune_code FROM sites WHERE id = $1',
    [id],
    { prepare: true }, // every board and passage reads it
  );
  return rows[0];
}

export interface RouteRow {
  id: string;
  name: string;
  origin: string;
  checkpoint_site_id: string;
  yard_site_id: string;
  gate_site_id: string;
  to_yard_minutes: number;
  to_gate_minutes: number;
  province_code: string;
}
export const presentRoute = (
  r: RouteRow & { gate_name?: string; yard_name?: string; checkpoint_name?: string },
) => ({
  id: r.id,
  name: r.name,
  origin: r.origin,
  checkpointSiteId: r.checkpoint_site_id,
  yardSiteId: r.yard_site_id,
  gateSiteId: r.gate_site_id,
  checkpointName: r.checkpoint_name ?? null,
  yardName: r.yard_name ?? null,
  gateName: r.gate_name ?? null,
  toYardMinutes: r.to_yard_minutes,
  toGateMinutes: r.to_gate_minutes,
});
export async function loadRoute(q: Queryable, id: string): Promise<RouteRow | undefined> {
  return (await q.query<RouteRow>('SELECT * FROM green_lane_routes WHERE id = $1', [id]))[0];
}

export interface VehicleRow {
  id: string;
  plate: string;
  kind: string;
  company_site_id: string;
  site_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
}
type Placed = Pick<VehicleRow, 'province_code' | 'district_code' | 'commune_code' | 'site_id'>;
export const vehiclePlace = (v: Placed): Place => ({
  provinceCode: v.province_code,
  districtCode: v.district_code,
  communeCode: v.commune_code,
  siteId: v.site_id,
});
export const presentVehicle = (v: VehicleRow) => ({
  id: v.id,
  plate: v.plate,
  kind: v.kind,
  companyId: v.company_site_id,
});

export interface ApplicationRow extends Omit<VehicleRow, 'id' | 'plate' | 'kind'> {
  id: string;
  client_id: string;
  vehicle_id: string;
  route_id: string;
  cargo: string;
  window_from: Date | string;
  window_to: Date | string;
  status: 'pending' | 'granted' | 'refused';
  decision_reason: string | null;
  decided_at: Date | string | null;
  created_at: Date | string;
  plate: string;
  company_name: string;
  route_name: string;
  permit_id: string | null;
}
export const APPLICATION_SELECT = `SELECT a.*, v.plate, c.name AS company_name, r.name AS route_name, p.id AS permit_id
  FROM green_lane_applications a
  JOIN green_lane_vehicles v ON v.id = a.vehicle_id
  JOIN sites c ON c.id = a.company_site_id
  JOIN green_lane_routes r ON r.id = a.route_id
  LEFT JOIN green_lane_permits p ON p.application_id = a.id`;

export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
export const applicationPlace = vehiclePlace;
export const presentApplication = (a: ApplicationRow) => ({
  id: a.id,
  clientId: a.client_id,
  companyId: a.company_site_id,
  companyName: a.company_name,
  vehicleId: a.vehicle_id,
  plate: a.plate,
  routeId: a.route_id,
  routeName: a.route_name,
  cargo: a.cargo,
  windowFrom: iso(a.window_from),
  windowTo: iso(a.window_to),
  status: a.status,
  decisionReason: a.decision_reason,
  decidedAt: iso(a.decided_at),
  createdAt: iso(a.created_at),
  permitId: a.permit_id,
});

export async function loadApplication(q: Queryable, id: string) {
  return (await q.query<ApplicationRow>(`${APPLICATION_SELECT} WHERE a.id = $1`, [id]))[0];
}

/**
 * The list of applications in the actor's scope, keyset-paged. A company reads its own, newest
 * first (index on site_id, created_at); the authority reads the province's queue of one status,
 * oldest first (index on province_code, status, created_at). The page is taken from the index
 * before the joins.
 */
export function applicationListSql(
  scope: Scope,
  opts: { status: string | null; after: [string, string] | null; limit: number },
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const company = scope.level === 'site';
  // a company sees its own newest first, the authority decided ones newest first; the pending
  // queue is served oldest first
  const newest = company || (opts.status !== null && opts.status !== 'pending');
  const where = [scopePredicate(scope, params, 'x')];
  if (opts.status) {
    params.push(opts.status);
    where.push(`x.status = $${params.length}`);
  }
  if (opts.after) {
    params.push(opts.after[0], opts.after[1]);
    const cmp = newest ? '<' : '>';
    where.push(
      `(x.created_at, x.id) ${cmp} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
    );
  }
  const dir = newest ? 'DESC' : 'ASC';
  params.push(opts.limit + 1);
  const sql = `WITH pg AS (
      SELECT x.id, x.created_at FROM green_lane_applications x WHERE ${where.join(' AND ')}
       ORDER BY x.created_at ${dir}, x.id ${dir} LIMIT $${params.length})
    ${APPLICATION_SELECT} JOIN pg ON pg.id = a.id ORDER BY pg.created_at ${dir}, pg.id ${dir}`;
  return { sql, params };
}

export interface CrewRow {
  person_id: string;
  full_name: string;
  role: string;
  position: number;
  test_result_id: string | null;
}
export async function loadCrew(q: Queryable, applicationId: string): Promise<CrewRow[]> {
  return q.query<CrewRow>(
    `SELECT c.person_id, p.full_name, c.role, c.position, c.test_result_id
       FROM green_lane_crew c JOIN persons p ON p.id = c.person_id
      WHERE c.application_id = $1 ORDER BY c.position`,
    [applicationId],
  );
}

export interface CrewTest {
  person_id: string;
  id: string;
  sampled_at: Date | string;
  result: string;
  test_type: string;
}
/** Each person's latest negative test of an accepted kind (pcr…), sampled no later than `at`. */
export async function latestNegativeTests(
  q: Queryable,
  personIds: string[],
  kinds: string[],
  at: string,
): Promise<Map<string, CrewTest>> {
  if (!personIds.length) return new Map();
  const rows = await q.query<CrewTest>(
    `SELECT DISTINCT ON (r.person_id) r.person_id, r.id, r.sampled_at, r.result, r.test_type
       FROM test_results r JOIN test_types t ON t.code = r.test_type
      WHERE r.person_id = ANY($1::uuid[]) AND r.result = 'negative' AND t.kind = ANY($2::text[])
        AND r.sampled_at <= $3::timestamptz
      ORDER BY r.person_id, r.sampled_at DESC`,
    [personIds, kinds, at],
  );
  return new Map(rows.map((r) => [r.person_id, r]));
}

export interface PermitRow {
  id: string;
  application_id: string;
  vehicle_id: string;
  route_id: string;
  plate: string;
  window_from: Date | string;
  window_to: Date | string;
  order_number: string;
  order_ends_at: Date | string | null;
  crew_sampled_at: string[];
  test_valid_hours: number;
  lapses_at: Date | string;
  lapse_rule: string;
  ruleset_id: string;
  token: string;
  signer_kid: string;
  site_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  issued_at: Date | string;
  revoked_at: Date | string | null;
  revoked_reason: string | null;
  revoked_by: string | null;
}
export async function loadPermit(q: Queryable, id: string): Promise<PermitRow | undefined> {
  return (await q.query<PermitRow>('SELECT * FROM green_lane_permits WHERE id = $1', [id]))[0];
}
/** A permit held to the actor's scope: 404 like a missing one otherwise, and audited. */
export const scopedPermit = (
  req: FastifyRequest,
  id: string,
  action: Action,
  auditAllowed = true,
) =>
  loadScoped(req, {
    action,
    resourceType: 'green_lane_permit',
    id,
    load: async () => {
      const row = await loadPermit(req.server.db, id);
      return row && Object.assign(row, vehiclePlace(row));
    },
    label: 'Giấy luồng xanh',
    auditAllowed,
  });

export const permitFacts = (p: PermitRow) => ({
  windowFrom: iso(p.window_from)!,
  windowTo: iso(p.window_to)!,
  orderEndsAt: iso(p.order_ends_at),
  crewSampledAt: p.crew_sampled_at,
  ruleSetId: p.ruleset_id,
  testValidHours: p.test_valid_hours,
  revokedAt: iso(p.revoked_at),
});

/** Revoked permits that have not lapsed by themselves: what a checkpoint must know offline. */
export const REVOCATIONS_SQL = `SELECT id, revoked_at FROM green_lane_permits
  WHERE revoked_at IS NOT NULL AND lapses_at > now() ORDER BY lapses_at`;

/**
 * The revocation list in memory for the public verifier (thousands of checks a second must not
 * each read the database): loaded on first use, cleared by this process's revocations and each
 * minute (another process's revocation is seen within a minute). The trust list's pattern.
 */
export function revocationCache(q: Queryable) {
  let cached: Promise<Map<string, string>> | null = null;
  return {
    get(): Promise<Map<string, string>> {
      cached ??= q
        .query<{ id: string; revoked_at: Date | string }>(REVOCATIONS_SQL)
        .then((rows) => new Map(rows.map((r) => [r.id, iso(r.revoked_at)!])));
      cached.catch(() => (cached = null));
      return cached;
    },
    clear() {
      cached = null;
    },
  };
}
export type RevocationCache = ReturnType<typeof revocationCache>;

/** The gate's queue: open trips toward it, oldest first (partial index green_lane_trips_waiting). */
const queueSelect = (gate: string, limit: string) => `WITH w AS (
    SELECT t.id, t.vehicle_id, t.route_id, t.started_at, t.last_point, t.last_at
      FROM green_lane_trips t WHERE t.gate_site_id = ${gate} AND t.cleared_at IS NULL
     ORDER BY t.started_at, t.id LIMIT ${limit})
  SELECT w.*, v.plate, r.to_yard_minutes, r.to_gate_minutes
    FROM w JOIN green_lane_vehicles v ON v.id = w.vehicle_id
    JOIN green_lane_routes r ON r.id = w.route_id ORDER BY w.started_at, w.id`;

/** The passages recorded at a site, newest first (index green_lane_passages_site_at). */
const passagesSelect = (site: string, since: string, limit: string) => `WITH g AS (
    SELECT x.id, x.vehicle_id, x.at, x.check_mode, x.point FROM green_lane_passages x
     WHERE x.site_id = ${site} AND x.at >= ${since}::timestamptz ORDER BY x.at DESC, x.id DESC LIMIT ${limit})
  SELECT g.*, v.plate FROM g JOIN green_lane_vehicles v ON v.id = g.vehicle_id ORDER BY g.at DESC, g.id DESC`;

export function gateQueueSql(gateSiteId: string, limit: number) {
  return { sql: queueSelect('$1', '$2'), params: [gateSiteId, limit] };
}
export function sitePassagesSql(siteId: string, since: string, limit: number) {
  return { sql: passagesSelect('$1', '$2', '$3'), params: [siteId, since, limit] };
}

export interface GateBoardRow extends SiteRow {
  waiting: number | null;
  days: { day: string; arrived: number; cleared: number; wait_seconds: number }[];
  queue: {
    id: string;
    plate: string;
    started_at: string;
    last_point: LoopPoint;
    last_at: string;
    to_yard_minutes: number;
    to_gate_minutes: number;
  }[];
  recent: { id: string; plate: string; at: string; check_mode: string; point: string }[];
}

/**
 * The whole gate board in one round trip (issue 17, board p95): the site (for the scope check),
 * the waiting count and the week's maintained figures, the first page of the queue and the
 * day's passages, each through its index, as JSON.
 */
export function gateBoardSql(
  gateSiteId: string,
  o: { fromDay: string; toDay: string; queueLimit: number; since: string; recentLimit: number },
) {
  return {
    sql: `SELECT s.id, s.kind, s.name, s.province_code, s.district_code, s.commune_code,
        (SELECT q.waiting FROM green_lane_gate_queue q WHERE q.gate_site_id = s.id) AS waiting,
        (SELECT coalesce(json_agg(d ORDER BY d.day), '[]'::json) FROM (
           SELECT day::text AS day, arrived, cleared, wait_seconds FROM green_lane_gate_days
            WHERE gate_site_id = $1 AND day BETWEEN $2::date AND $3::date) d) AS days,
        (SELECT coalesce(json_agg(w ORDER BY w.started_at, w.id), '[]'::json)
           FROM (${queueSelect('$1', '$4')}) w) AS queue,
        (SELECT coalesce(json_agg(c ORDER BY c.at DESC, c.id DESC), '[]'::json)
           FROM (${passagesSelect('$1', '$5', '$6')}) c) AS recent
      FROM sites s WHERE s.id = $1`,
    params: [gateSiteId, o.fromDay, o.toDay, o.queueLimit, o.since, o.recentLimit],
  };
}
