import type { FastifyInstance } from 'fastify';
import { EXPORT_RATE_LIMIT, xlsxBuffer, type XlsxSheet } from '../tabular.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatViDate, isValidIsoDate } from '../../domain/dates.ts';
import { audit, requireActor, requirePermission, scopePredicate, type Actor } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError } from '../errors.ts';

const COUNTS = [
  ['people_in', 'Người vào', 'In'],
  ['people_out', 'Người ra', 'Out'],
  ['vehicles', 'Phương tiện', 'Vehicles'],
  ['from_epidemic_area', 'Từ vùng dịch', 'From epidemic areas'],
  ['rapid_tests', 'Test nhanh', 'Rapid tests'],
  ['rapid_positive', 'Test nhanh dương tính', 'Rapid positive'],
  ['centralised', 'Cách ly tập trung', 'Centralised quarantine'],
  ['home_quarantine', 'Cách ly tại nhà', 'Home quarantine'],
  ['self_monitoring', 'Tự theo dõi', 'Self-monitoring'],
] as const;
type CountKey = (typeof COUNTS)[number][0];

interface StatRow extends Record<CountKey, number> {
  site_id: string;
  site_name: string;
  day: string;
}

const range = z
  .object({
    from: z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD'),
    to: z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD'),
  })
  .refine((r) => r.from <= r.to, { path: ['to'], message: 'Đến ngày trước từ ngày' });

async function stats(q: Queryable, actor: Actor, from: string, to: string) {
  const params: unknown[] = [from, to];
  const where = scopePredicate(actor.scope, params, 'c');
  const rows = await q.query<StatRow>(
    `SELECT c.site_id, s.name AS site_name, c.day::text AS day, ${COUNTS.map(([k]) => `c.${k}`).join(', ')}
       FROM entry_daily_counts c JOIN sites s ON s.id = c.site_id
      WHERE c.day BETWEEN $1 AND $2 AND ${where} ORDER BY c.day, s.name`,
    params,
  );
  const totals = Object.fromEntries(
    COUNTS.map(([k]) => [k, rows.reduce((n, r) => n + r[k], 0)]),
  ) as Record<CountKey, number>;
  return { rows, totals };
}

const vi = (n: number) => n.toLocaleString('vi-VN');
const en = (n: number) => n.toLocaleString('en-GB');

/** Figures per checkpoint per day, from the maintained counts, and the province summary. */
export async function entryStatsRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/entry-stats',
    {
      preHandler: requirePermission('entries.stats'),
      schema: {
        tags: ['entry'],
        summary: 'People, vehicles, epidemic-area arrivals and rapid tests per site per day',
        querystring: range,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { from, to } = req.query;
      if (from < '2020-01-01') throw fieldError('from', 'Từ năm 2020');
      const { rows, totals } = await stats(db, actor, from, to);
      return {
        from,
        to,
        items: rows.map((r) => ({
          siteId: r.site_id,
          siteName: r.site_name,
          day: r.day,
          ...Object.fromEntries(COUNTS.map(([k]) => [k, r[k]])),
        })),
        totals,
        summary: {
          vi: `Từ ${formatViDate(from)} đến ${formatViDate(to)}: kiểm soát, lấy khai báo y tế cho ${vi(totals.people_in)} người vào, ${vi(totals.people_out)} người ra, ${vi(totals.vehicles)} phương tiện; phát hiện ${vi(totals.from_epidemic_area)} người về từ vùng dịch; test nhanh ${vi(totals.rapid_tests)} người, ${vi(totals.rapid_positive)} dương tính.`,
          en: `From ${formatViDate(from)} to ${formatViDate(to)}: ${en(totals.people_in)} people checked in with a health declaration, ${en(totals.people_out)} out, ${en(totals.vehicles)} vehicles; ${en(totals.from_epidemic_area)} arrivals from epidemic areas; ${en(totals.rapid_tests)} rapid tests, ${en(totals.rapid_positive)} positive.`,
        },
      };
    },
  );

  app.get(
    '/api/v1/entry-stats.xlsx',
    {
      config: EXPORT_RATE_LIMIT,
      preHandler: requirePermission('entries.stats'),
      schema: {
        tags: ['entry'],
        summary: 'The same figures as an XLSX workbook',
        querystring: range,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { from, to } = req.query;
      const { rows, totals } = await stats(db, actor, from, to);
      const sheet: XlsxSheet = {
        name: 'Kiểm soát ra vào',
        rows: [
          [`Số liệu kiểm soát ra vào từ ${formatViDate(from)} đến ${formatViDate(to)}`],
          ['Ngày', 'Chốt / cơ sở', ...COUNTS.map(([, vi]) => vi)],
          ...rows.map((r) => [formatViDate(r.day), r.site_name, ...COUNTS.map(([k]) => r[k])]),
          ['Tổng', '', ...COUNTS.map(([k]) => totals[k])],
        ],
        boldRows: [0, 1, rows.length + 2],
        widths: [14, 36, ...COUNTS.map(() => 14)],
      };
      await audit(db, req, {
        action: 'entries.export',
        resourceType: 'entry_stats',
        outcome: 'allowed',
        detail: { from, to },
      });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="kiem-soat-${from}-${to}.xlsx"`)
        .send(await xlsxBuffer([sheet]));
    },
  );
}
