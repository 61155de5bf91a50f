/** The scenario page's figures as an XLSX workbook: the needs, and the CHIME census per day. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatViDate } from '../../domain/dates.ts';
import { RESOURCE_LABELS, type ScenarioRuleSet } from '../../domain/scenarios.ts';
import { requirePermission } from '../context.ts';
import type { RuleSetCache } from '../rulesets.ts';
import { EXPORT_RATE_LIMIT, xlsxBuffer, type XlsxSheet } from '../tabular.ts';
import { scenarioBody, scenarioOf } from './scenarios.ts';

type Scenario = Awaited<ReturnType<typeof scenarioOf>>;

export function scenarioWorkbook(s: Scenario): XlsxSheet[] {
  const needs: XlsxSheet = {
    name: 'Nhu cầu',
    rows: [
      [
        `Kịch bản ${s.cases.toLocaleString('vi-VN')} F0 cùng lúc — ${s.unit.name}, ngày ${formatViDate(s.date)}`,
      ],
      [`Tỷ lệ theo: ${s.ruleSet.name} (${s.ruleSet.legalBasis.number})`],
      ['Nguồn lực', 'Cần', 'Hiện có', 'Thiếu', 'Cách tính'],
      ...s.needs.map((n) => [
        RESOURCE_LABELS[n.resource].vi,
        n.need,
        n.have ?? 'chưa có số liệu',
        n.shortfall ? { value: n.shortfall, bold: true, color: '#C92A2A' } : '',
        n.basis.vi,
      ]),
    ],
    boldRows: [0, 2],
    widths: [34, 14, 16, 12, 70],
  };
  if (!s.projection) return [needs];
  const cap = (g: string) => s.projection!.runsOut.find((o) => o.group === g)?.capacity ?? null;
  const over = (v: number, c: number | null) => (c !== null && v > c ? 'x' : '');
  const header = [
    'Ngày',
    'Người nhiễm',
    'Nằm viện',
    'ICU',
    'Thở máy',
    'Vượt giường',
    'Vượt ICU',
    'Vượt máy thở',
  ];
  const projection: XlsxSheet = {
    name: 'Dự báo CHIME',
    rows: [
      header,
      ...s.projection.rows.map((r) => [
        formatViDate(r.date),
        r.infected,
        r.census.hospitalized,
        r.census.icu,
        r.census.ventilated,
        over(r.census.hospitalized, cap('hospitalized')),
        over(r.census.icu, cap('icu')),
        over(r.census.ventilated, cap('ventilated')),
      ]),
    ],
    boldRows: [0],
    widths: header.map(() => 14),
  };
  return [needs, projection];
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
