/**
 * Closed-loop alerts (issue 17 item 3): a vehicle that leaves the loop — a leg not finished in
 * the route's time, a passage at a site off its route — is alerted to the district where it was
 * last seen, and the alert stays open until someone closes it with a reason. A passage raises
 * its alerts in its own transaction; the sweep raises the legs whose next point was never
 * reached. The words come from the domain (checkLeg), which decides; one alert per trip, rule
 * and subject, so a sweep and a late arrival never raise the same leg twice.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkLeg, type LoopPoint } from '../../domain/greenlane.ts';
import { audit, loadScoped, requireActor, requirePermission, scopePredicate } from '../context.ts';
import type { Db, Queryable } from '../db/index.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { iso, type SiteRow } from './store.ts';

type Bi = { vi: string; en: string };
export interface LoopAlert {
  ruleId: 'leg_overdue' | 'off_route' | 'crew_missing';
  /** The leg ("first_checkpoint>yard"), the off-route passage's id, or "crew@<point>". */
  subject: string;
  reason: Bi;
}
export const legSubject = (leg: { from: LoopPoint; to: LoopPoint }) => `${leg.from}>${leg.to}`;

/** Stores what a passage or the sweep raised (a repeat of the same subject is ignored). */
export async function storeLoopAlerts(
  q: Queryable,
  alerts: LoopAlert[],
  o: {
    tripId: string | null;
    vehicleId: string;
    plate: string;
    site: SiteRow;
    raisedBy: 'passage' | 'sweep';
  },
) {
  for (const a of alerts)
    await q.query(
      `INSERT INTO green_lane_alerts (trip_id, vehicle_id, plate, rule_id, subject, reason_vi,
         reason_en, site_id, province_code, district_code, commune_code, raised_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
       ON CONFLICT (trip_id, rule_id, subject) DO NOTHING`,
      [
        o.tripId,
        o.vehicleId,
        o.plate,
        a.ruleId,
        a.subject,
        a.reason.vi,
        a.reason.en,
        o.site.id,
        o.site.province_code,
        o.site.district_code,
        o.site.commune_code,
        o.raisedBy,
      ],
    );
}

/**
 * The trips still on their way whose next point is due (first checkpoint → yard, yard → gate),
 * with the site where they were last seen, and no alert yet for that leg: one statement over
 * the index of trips on the way.
 */
export const OVERDUE_LEGS_SQL = `
  SELECT t.id, t.vehicle_id, v.plate, t.last_point, t.last_at,
         CASE t.last_point WHEN 'first_checkpoint' THEN r.to_yard_minutes ELSE r.to_gate_minutes END
           AS expected_minutes,
         s.id AS site_id, s.kind, s.name, s.province_code, s.district_code, s.commune_code
    FROM green_lane_trips t
    JOIN green_lane_routes r ON r.id = t.route_id
    JOIN green_lane_vehicles v ON v.id = t.vehicle_id
    JOIN sites s ON s.id = CASE t.last_point WHEN 'first_checkpoint' THEN r.checkpoint_site_id
                                             ELSE r.yard_site_id END
   WHERE t.cleared_at IS NULL AND t.out_at IS NULL
     AND t.last_at <= $1::timestamptz - interval '1 minute'
     AND t.last_point IN ('first_checkpoint', 'yard')
     AND t.last_at + (CASE t.last_point WHEN 'first_checkpoint' THEN r.to_yard_minutes
                      ELSE r.to_gate_minutes END + 1) * interval '1 minute' <= $1::timestamptz
     AND NOT EXISTS (SELECT 1 FROM green_lane_alerts a WHERE a.trip_id = t.id
           AND a.rule_id = 'leg_overdue'
           AND a.subject = t.last_point || '>' ||
               CASE t.last_point WHEN 'first_checkpoint' THEN 'yard' ELSE 'gate' END)
   ORDER BY t.last_at LIMIT 1000`;

/** Raises the overdue legs at `now`; returns how many alerts were raised. */
export async function sweepOverdueLegs(db: Db, now = Date.now()): Promise<number> {
  const rows = await db.query<{
    id: string;
    vehicle_id: string;
    plate: string;
    last_point: 'first_checkpoint' | 'yard';
    last_at: Date | string;
    expected_minutes: number;
    site_id: string;
    kind: string;
    name: string;
    province_code: string;
    district_code: string;
    commune_code: string;
  }>(OVERDUE_LEGS_SQL, [new Date(now).toISOString()]);
  let raised = 0;
  for (const r of rows) {
    const leg = {
      from: r.last_point,
      to: r.last_point === 'first_checkpoint' ? ('yard' as const) : ('gate' as const),
      expectedMinutes: r.expected_minutes,
    };
    const c = checkLeg(leg, iso(r.last_at)!, null, now);
    if (!c.alert) continue; // the domain decides; the SQL only narrows
    const alert = { ruleId: 'leg_overdue' as const, subject: legSubject(leg), reason: c.reason };
    await storeLoopAlerts(db, [alert], {
      tripId: r.id,
      vehicleId: r.vehicle_id,
      plate: r.plate,
      site: { ...r, id: r.site_id },
      raisedBy: 'sweep',
    });
    raised++;
  }
  return raised;
}

interface AlertRow {
  id: string;
  trip_id: string | null;
  plate: string;
  rule_id: string;
  subject: string;
  reason_vi: string;
  reason_en: string;
  site_id: string;
  site_name: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  raised_by: string;
  raised_at: Date | string;
  closed_at: Date | string | null;
  close_reason: string | null;
}
const present = (a: AlertRow) => ({
  id: a.id,
  tripId: a.trip_id,
  plate: a.plate,
  ruleId: a.rule_id,
  reason: { vi: a.reason_vi, en: a.reason_en },
  site: { id: a.site_id, name: a.site_name },
  districtCode: a.district_code,
  raisedBy: a.raised_by,
  raisedAt: iso(a.raised_at),
  closedAt: iso(a.closed_at),
  closeReason: a.close_reason,
});
const SELECT = `SELECT a.*, s.name AS site_name FROM green_lane_alerts a JOIN sites s ON s.id = a.site_id`;

/** The open alerts in scope, newest first: one index scan of the scope's partial index. */
export function openAlertsSql(
  scope: Parameters<typeof scopePredicate>[0],
  after: [string, string] | null,
  limit: number,
) {
  const params: unknown[] = [];
  const where = [scopePredicate(scope, params, 'x'), 'x.closed_at IS NULL'];
  if (after) {
    params.push(after[0], after[1]);
    where.push(
      `(x.raised_at, x.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
    );
  }
  params.push(limit + 1);
  return {
    sql: `WITH pg AS (SELECT x.id, x.raised_at FROM green_lane_alerts x WHERE ${where.join(' AND ')}
        ORDER BY x.raised_at DESC, x.id DESC LIMIT $${params.length})
      ${SELECT} JOIN pg ON pg.id = a.id ORDER BY pg.raised_at DESC, pg.id DESC`,
    params,
  };
}

export async function loopAlertRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.get(
    '/api/v1/green-lane/alerts',
    {
      preHandler: requirePermission('greenlane.alerts'),
      schema: {
        tags: ['green-lane'],
        summary: 'Open closed-loop alerts in the actor’s area (district, province), newest first',
        querystring: z.object({ ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const after = decodeCursor(req.query.cursor, ['timestamp', 'uuid']) as
        [string, string] | null;
      const q = openAlertsSql(actor.scope, after, req.query.limit);
      const p = page(await db.query<AlertRow>(q.sql, q.params), req.query.limit, (a) => [
        iso(a.raised_at),
        a.id,
      ]);
      return { items: p.items.map(present), nextCursor: p.nextCursor };
    },
  );

  app.post(
    '/api/v1/green-lane/alerts/:id/close',
    {
      preHandler: requirePermission('greenlane.alerts'),
      schema: {
        tags: ['green-lane'],
        summary: 'Close an alert with a reason (once; a repeat answers the first)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          reason: z
            .string()
            .trim()
            .min(3, 'Đóng cảnh báo phải nêu lý do (ít nhất 3 ký tự)')
            .max(1000, 'Lý do tối đa 1.000 ký tự'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const alert = await loadScoped(req, {
        action: 'greenlane.alerts',
        resourceType: 'green_lane_alert',
        id: req.params.id,
        load: async () => {
          const a = (await db.query<AlertRow>(`${SELECT} WHERE a.id = $1`, [req.params.id]))[0];
          return (
            a && {
              ...a,
              provinceCode: a.province_code,
              districtCode: a.district_code,
              communeCode: a.commune_code,
            }
          );
        },
        label: 'Cảnh báo',
        auditAllowed: false,
      });
      const closed = await db.tx(async (q) => {
        const done = await q.query<{ id: string }>(
          `UPDATE green_lane_alerts SET closed_at = now(), closed_by = $2, close_reason = $3
            WHERE id = $1 AND closed_at IS NULL RETURNING id`,
          [alert.id, actor.id, req.body.reason],
        );
        if (done[0])
          await audit(q, req, {
            action: 'greenlane.alerts',
            resourceType: 'green_lane_alert',
            resourceId: alert.id,
            outcome: 'allowed',
            detail: { close: req.body.reason },
          });
        return !!done[0];
      });
      const row = (await db.query<AlertRow>(`${SELECT} WHERE a.id = $1`, [alert.id]))[0]!;
      return { ...present(row), replayed: !closed };
    },
  );
}
