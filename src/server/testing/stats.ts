import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EXPORT_RATE_LIMIT, xlsxBuffer, type XlsxSheet } from '../tabular.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, daysBetween, dateOfInstant, isValidIsoDate } from '../../domain/dates.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import type { Db } from '../db/index.ts';
import { fieldError } from '../errors.ts';
import { testScope } from './scope.ts';

const isoDate = z.string().refine(isValidIsoDate, 'Ngày không hợp lệ (YYYY-MM-DD)');
const query = z.object({
  from: isoDate.optional().describe('First sample date, default 13 days before `to`'),
  to: isoDate.optional().describe('Last sample date, default today (Vietnam time)'),
});

interface StatRow {
  day: string;
  test_type: string;
  site_id: string | null;
  site_name: string | null;
  commune_code: string;
  commune_name: string;
  tests: number;
  positives: number;
  turnaround_hours: number | null;
}

/** Tests per day by type, reporting site / lab and commune, with positives and mean turnaround. */
async function figures(db: Db, req: FastifyRequest, q: z.infer<typeof query>) {
  const actor = requireActor(req);
  const to = q.to ?? dateOfInstant(Date.now());
  const from = q.from ?? addDays(to, -13);
  if (from > to) throw fieldError('from', 'Ngày bắt đầu sau ngày kết thúc');
  if (daysBetween(from, to) > 92) throw fieldError('from', 'Tối đa 93 ngày mỗi lần');
  const params: unknown[] = [from, to];
  const where = [testScope(actor.scope, params, 'r'), 'r.sample_date BETWEEN $1 AND $2'];
  const rows = await db.query<StatRow>(
    `SELECT r.sample_date::text AS day, r.test_type, coalesce(r.lab_site_id, r.site_id) AS site_id, s.name AS site_name,
       r.commune_code, u.name AS commune_name, count(*)::int AS tests,
       count(*) FILTER (WHERE r.result = 'positive')::int AS positives,
       round((avg(extract(epoch FROM r.resulted_at - r.sampled_at)) / 3600)::numeric, 1) AS turnaround_hours
       FROM test_results r LEFT JOIN sites s ON s.id = coalesce(r.lab_site_id, r.site_id)
       JOIN admin_units u ON u.code = r.commune_code
      WHERE ${where.join(' AND ')}
      GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 5, 3 LIMIT 20000`,
    params,
  );
  const pp: unknown[] = [];
  const pendingScope = testScope(actor.scope, pp, 'x');
  const pending = await db.query<{
    lab_site_id: string;
    name: string;
    pending: number;
    oldest: Date | string | null;
  }>(
    `SELECT x.lab_site_id, s.name, count(*)::int AS pending, min(x.sampled_at) AS oldest
       FROM specimens x JOIN sites s ON s.id = x.lab_site_id
      WHERE ${pendingScope} AND x.status IN ('collected', 'in_pool', 'awaiting_retest')
      GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 500`,
    pp,
  );
  const tests = rows.reduce((a, r) => a + r.tests, 0);
  const positives = rows.reduce((a, r) => a + r.positives, 0);
  const weighted = rows.reduce((a, r) => a + (r.turnaround_hours ?? 0) * r.tests, 0);
  await audit(db, req, {
    action: 'tests.stats',
    resourceType: 'test_stats',
    outcome: 'allowed',
    detail: { from, to },
  });
  return {
    from,
    to,
    totals: {
      tests,
      positives,
      /** positives ÷ tests, 3 decimals; null without tests */
      positivity: tests ? Math.round((positives / tests) * 1000) / 1000 : null,
      turnaroundHours: tests ? Math.round((weighted / tests) * 10) / 10 : null,
    },
    rows: rows.map((r) => ({
      day: r.day,
      testType: r.test_type,
      siteId: r.site_id,
      siteName: r.site_name,
      communeCode: r.commune_code,
      communeName: r.commune_name,
      tests: r.tests,
      positives: r.positives,
      positivity: r.tests ? Math.round((r.positives / r.tests) * 1000) / 1000 : null,
      turnaroundHours: r.turnaround_hours,
    })),
    pendingByLab: pending.map((p) => ({
      labSiteId: p.lab_site_id,
      name: p.name,
      pending: p.pending,
      oldestSampledAt: p.oldest ? new Date(p.oldest).toISOString() : null,
    })),
  };
}

export async function testStatsRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/test-stats',
    {
      preHandler: requirePermission('tests.stats'),
      schema: {
        tags: ['testing'],
        summary:
          'Tests per day by type, site/lab and commune; positivity; turnaround sample → result; pending by lab',
        querystring: query,
      },
    },
    async (req) => figures(db, req, req.query),
  );

  app.get(
    '/api/v1/test-stats.xlsx',
    {
      config: EXPORT_RATE_LIMIT,
      preHandler: requirePermission('tests.stats'),
      schema: {
        tags: ['testing'],
        summary: 'The same figures as an XLSX workbook (Vietnamese headers)',
        querystring: query,
      },
    },
    async (req, reply) => {
      const f = await figures(db, req, req.query);
      const tests = [
        ['Ngày lấy mẫu', 14],
        ['Loại xét nghiệm', 16],
        ['Cơ sở / phòng xét nghiệm', 30],
        ['Mã xã', 8],
        ['Xã', 24],
        ['Số xét nghiệm', 14],
        ['Dương tính', 12],
        ['Tỷ lệ dương tính', 16],
        ['Thời gian trả kết quả TB (giờ)', 26],
      ] as const;
      const pending = [
        ['Phòng xét nghiệm', 30],
        ['Mẫu chờ kết quả', 16],
        ['Mẫu cũ nhất lấy lúc', 24],
      ] as const;
      const sheets: XlsxSheet[] = [
        {
          name: 'Xét nghiệm',
          rows: [
            tests.map(([h]) => h),
            ...f.rows.map((r) => [
              r.day.split('-').reverse().join('/'),
              r.testType,
              r.siteName,
              r.communeCode,
              r.communeName,
              r.tests,
              r.positives,
              r.positivity,
              r.turnaroundHours,
            ]),
          ],
          boldRows: [0],
          widths: tests.map(([, w]) => w),
        },
        {
          name: 'Chờ kết quả',
          rows: [
            pending.map(([h]) => h),
            ...f.pendingByLab.map((r) => [r.name, r.pending, r.oldestSampledAt]),
          ],
          widths: pending.map(([, w]) => w),
        },
      ];
      const buf = await xlsxBuffer(sheets);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="xet-nghiem-${f.from}-${f.to}.xlsx"`)
        .send(buf);
    },
  );
}
