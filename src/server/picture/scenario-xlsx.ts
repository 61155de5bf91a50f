/** The scenario page's figures as an XLSX workbook: the needs, and the CHIME census per day. */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatViDate } from '../../domain/dates.ts';
import { RESOURCE_LABELS, type ScenarioRuleSet } from '../../domain/scenarios.ts';
import { requirePermission } from '../context.ts';
import type { RuleSetCache } from '../rulesets.ts';
import { EXPORT_RATE_LIMIT, xlsxBuffer } from '../tabular.ts';
import { scenarioBody, scenarioOf } from './scenarios.ts';

type Scenario = Awaited<ReturnType<typeof scenarioOf>>;

export function scenarioWorkbook(s: Scenario): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Nhu cầu');
  ws.addRow([
    `Kịch bản ${s.cases.toLocaleString('vi-VN')} F0 cùng lúc — ${s.unit.name}, ngày ${formatViDate(s.date)}`,
  ]).font = { bold: true };
  ws.addRow([`Tỷ lệ theo: ${s.ruleSet.name} (${s.ruleSet.legalBasis.number})`]);
  ws.addRow(['Nguồn lực', 'Cần', 'Hiện có', 'Thiếu', 'Cách tính']).font = { bold: true };
  for (const n of s.needs) {
    const row = ws.addRow([
      RESOURCE_LABELS[n.resource].vi,
      n.need,
      n.have ?? 'chưa có số liệu',
      n.shortfall ?? '',
      n.basis.vi,
    ]);
    if (n.shortfall) row.getCell(4).font = { bold: true, color: { argb: 'FFC92A2A' } };
  }
  ws.columns.forEach((c, i) => (c.width = [34, 14, 16, 12, 70][i]));
  if (s.projection) {
    const p = wb.addWorksheet('Dự báo CHIME');
    p.addRow([
      'Ngày',
      'Người nhiễm',
      'Nằm viện',
      'ICU',
      'Thở máy',
      'Vượt giường',
      'Vượt ICU',
      'Vượt máy thở',
    ]).font = { bold: true };
    const cap = (g: string) => s.projection!.runsOut.find((o) => o.group === g)?.capacity ?? null;
    const over = (v: number, c: number | null) => (c !== null && v > c ? 'x' : '');
    for (const r of s.projection.rows)
      p.addRow([
        formatViDate(r.date),
        r.infected,
        r.census.hospitalized,
        r.census.icu,
        r.census.ventilated,
        over(r.census.hospitalized, cap('hospitalized')),
        over(r.census.icu, cap('icu')),
        over(r.census.ventilated, cap('ventilated')),
      ]);
    p.columns.forEach((c) => (c.width = 14));
  }
  return wb;
}

export async function scenarioXlsxRoutes(
  server: FastifyInstance,
  opts: { sets: RuleSetCache<ScenarioRuleSet> },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/projections/scenario.xlsx',
    {
      config: EXPORT_RATE_LIMIT,
      preHandler: requirePermission('projections.run'),
      schema: {
        tags: ['projections'],
        summary: 'The same scenario as an XLSX workbook (needs; CHIME census per day)',
        body: scenarioBody,
      },
    },
    async (req, reply) => {
      const s = await scenarioOf(req, await opts.sets.get(), req.body);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="kich-ban-${s.cases}-${s.unit.code}-${s.date}.xlsx"`,
        )
        .send(await xlsxBuffer(scenarioWorkbook(s)));
    },
  );
}
