/**
 * The gate board (issue 17 item 4): vehicles waiting, cleared today and the average wait, the
 * trend of arrivals against clearances, the queue with each vehicle's leg checked, and today's
 * clearances — read in one statement (gateBoardSql) — as JSON for the screen and as XLSX for the
 * steering committee's file (30 days of trend: the backlog against the throughput).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, dateOfInstant, formatViDate, startOfDayInstant } from '../../domain/dates.ts';
import { checkLeg, LOOP_POINT_LABELS } from '../../domain/greenlane.ts';
import { audit, loadScoped, requirePermission } from '../context.ts';
import { EXPORT_RATE_LIMIT, xlsxBuffer } from '../tabular.ts';
import { gateBoardSql, iso, sitePlace, type GateBoardRow } from './store.ts';
import { yardsOfGate } from './yards.ts';

const TAG = 'green-lane';
const params = z.object({ siteId: z.uuid() });

/** The board of a gate in the actor's scope (404 and audited otherwise), `days` of trend. */
async function readBoard(req: FastifyRequest, siteId: string, days: number) {
  const now = Date.now();
  const today = dateOfInstant(now);
  const q = gateBoardSql(siteId, {
    fromDay: addDays(today, -(days - 1)),
    toDay: today,
    queueLimit: 50,
    since: new Date(startOfDayInstant(today)).toISOString(),
    recentLimit: 20,
  });
  const gate = await loadScoped(req, {
    action: 'gates.board',
    resourceType: 'site',
    id: siteId,
    load: async () => {
      // parsed and planned once per connection (issue 17: p95)
      const s = (await req.server.db.query<GateBoardRow>(q.sql, q.params, { prepare: true }))[0];
      return s && s.kind === 'border_gate' ? Object.assign(s, sitePlace(s)) : undefined;
    },
    label: 'Cửa khẩu',
    auditAllowed: false,
  });
  const t = gate.days.find((d) => d.day === today);
  const yards = await yardsOfGate(req.server.db, gate.id); // item 4: occupancy against capacity
  return {
    gate: { id: gate.id, name: gate.name },
    at: new Date(now).toISOString(),
    waiting: gate.waiting ?? 0,
    yards,
    today: {
      day: today,
      arrived: t?.arrived ?? 0,
      cleared: t?.cleared ?? 0,
      averageWaitMinutes:
        t && t.cleared ? Math.round(Number(t.wait_seconds) / t.cleared / 60) : null,
    },
    trend: gate.days.map((d) => ({ day: d.day, arrived: d.arrived, cleared: d.cleared })),
    queue: gate.queue.map((w) => {
      const leg =
        w.last_point === 'first_checkpoint'
          ? {
              from: 'first_checkpoint' as const,
              to: 'yard' as const,
              expectedMinutes: w.to_yard_minutes,
            }
          : { from: 'yard' as const, to: 'gate' as const, expectedMinutes: w.to_gate_minutes };
      const c = checkLeg(leg, iso(w.last_at)!, null, now);
      return {
        tripId: w.id,
        plate: w.plate,
        since: iso(w.started_at),
        lastPoint: w.last_point,
        lastAt: iso(w.last_at),
        alert: c.alert ? { ruleId: c.ruleId, reason: c.reason } : null,
      };
    }),
    clearedRecent: gate.recent
      .filter((c) => c.point === 'gate')
      .map((c) => ({ passageId: c.id, plate: c.plate, at: iso(c.at), checkMode: c.check_mode })),
  };
}

/** dd/mm/yyyy hh:mm in Vietnam time. */
const viTime = (at: string | null) => {
  if (!at) return '';
  const d = new Date(Date.parse(at) + 7 * 3_600_000).toISOString();
  return `${formatViDate(d.slice(0, 10))} ${d.slice(11, 16)}`;
};

export async function boardRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/gates/:siteId/board',
    {
      preHandler: requirePermission('gates.board'),
      schema: {
        tags: [TAG],
        summary:
          'The gate board: waiting, cleared today, average wait, the week’s trend, the queue',
        params,
      },
    },
    async (req) => readBoard(req, req.params.siteId, 7),
  );

  app.get(
    '/api/v1/gates/:siteId/board.xlsx',
    {
      config: EXPORT_RATE_LIMIT,
      preHandler: requirePermission('gates.board'),
      schema: {
        tags: [TAG],
        summary: 'The gate board as XLSX: 30 days of arrivals against clearances, and the queue',
        params,
      },
    },
    async (req, reply) => {
      const b = await readBoard(req, req.params.siteId, 30);
      let backlog = 0;
      const trend = b.trend.map((d) => {
        backlog += d.arrived - d.cleared;
        return [formatViDate(d.day), d.arrived, d.cleared, d.arrived - d.cleared, backlog];
      });
      await audit(req.server.db, req, {
        action: 'gates.board',
        resourceType: 'site',
        resourceId: b.gate.id,
        outcome: 'allowed',
        detail: { export: 'xlsx' },
      });
      const file = await xlsxBuffer([
        {
          name: 'Thông quan',
          rows: [
            [`${b.gate.name} — số liệu 30 ngày đến ${formatViDate(b.today.day)}`],
            [`Đang chờ: ${b.waiting} xe; hôm nay thông quan ${b.today.cleared} xe`],
            ['Ngày', 'Xe đến', 'Xe thông quan', 'Chênh lệch', 'Cộng dồn trong kỳ'],
            ...trend,
          ],
          boldRows: [0, 2],
          widths: [14, 12, 16, 14, 20],
        },
        {
          name: 'Hàng chờ',
          rows: [
            ['Biển số', 'Vào vòng lúc', 'Điểm cuối', 'Lúc', 'Cảnh báo'],
            ...b.queue.map((w) => [
              w.plate,
              viTime(w.since),
              LOOP_POINT_LABELS[w.lastPoint].vi,
              viTime(w.lastAt),
              w.alert?.reason.vi ?? '',
            ]),
          ],
          boldRows: [0],
          widths: [14, 18, 18, 18, 60],
        },
      ]);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="cua-khau-${b.today.day}.xlsx"`)
        .send(file);
    },
  );
}
