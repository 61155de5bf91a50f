import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { compare, daysBetween } from '../../domain/dates.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { fieldError } from '../errors.ts';
import { isoDate, todayVn } from '../vaccination/common.ts';
import { unitInScope } from '../vaccination/coverage.ts';
import { steeringFigures } from './report-data.ts';
import { steeringDocx, type SteeringProse } from './report-docx.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const period = {
  from: isoDate,
  to: isoDate,
  unit: z
    .string()
    .regex(/^\d{2}$/, 'Mã tỉnh gồm 2 chữ số')
    .optional(),
};
const prose = z.object({
  number: z.string().max(60).default('      /BC-BCĐ'),
  situation: z.string().max(20_000).optional(),
  difficulties: z.string().max(20_000).default('Không có khó khăn, vướng mắc phát sinh trong kỳ.'),
  tasks: z
    .string()
    .max(20_000)
    .default('Tiếp tục thực hiện các biện pháp phòng, chống dịch theo chỉ đạo.'),
  recipients: z.array(z.string().max(200)).max(30).optional(),
  signerTitle: z.string().max(200).default('TM. BAN CHỈ ĐẠO\nTRƯỞNG BAN'),
  signerName: z.string().max(200).default(''),
});

async function send(
  req: FastifyRequest,
  reply: FastifyReply,
  q: { from: string; to: string; unit?: string },
  p: z.infer<typeof prose>,
) {
  const db = req.server.db;
  const actor = requireActor(req);
  if (compare(q.to, q.from) < 0) throw fieldError('to', 'Ngày kết thúc trước ngày bắt đầu');
  if (daysBetween(q.from, q.to) > 92) throw fieldError('to', 'Kỳ báo cáo tối đa 3 tháng');
  const province = await unitInScope(
    req,
    q.unit ?? actor.scope.provinceCode,
    'reports.steering',
    'unit',
  );
  const figures = await steeringFigures(db, province.code, q.from, q.to);
  const shortName = province.name.replace(/^(Tỉnh|Thành phố)\s+/, '');
  const full: SteeringProse = {
    issuer: `UBND ${province.name}\nBan Chỉ đạo phòng, chống dịch COVID-19`,
    place: shortName,
    recipients: p.recipients ?? [
      'Ban Chỉ đạo Quốc gia (b/c)',
      'Bộ Y tế (b/c)',
      `TT Tỉnh ủy, HĐND, UBND tỉnh ${shortName} (b/c)`,
      'Thành viên BCĐ tỉnh',
      'BCĐ các huyện, thị xã, thành phố',
    ],
    ...p,
  };
  const buf = await steeringDocx(figures, full, todayVn());
  await audit(db, req, {
    action: 'reports.steering',
    resourceType: 'report',
    resourceId: `${province.code}@${q.from}..${q.to}`,
    outcome: 'allowed',
  });
  return reply
    .header('content-type', DOCX)
    .header('content-disposition', `attachment; filename="bao-cao-bcd-${q.from}-${q.to}.docx"`)
    .send(buf);
}

export async function reportRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/reports/steering.docx',
    {
      preHandler: requirePermission('reports.steering'),
      schema: {
        tags: ['reports'],
        summary: "The steering committee's report for a period, as DOCX (default prose)",
        querystring: z.object(period),
      },
    },
    (req, reply) => send(req, reply, req.query, prose.parse({})),
  );
  app.post(
    '/api/v1/reports/steering.docx',
    {
      preHandler: requirePermission('reports.steering'),
      schema: {
        tags: ['reports'],
        summary: "The steering committee's report with its prose parts edited before export",
        body: z.object({ ...period, prose: prose.default(prose.parse({})) }),
      },
    },
    (req, reply) => send(req, reply, req.body, req.body.prose),
  );
  app.get(
    '/api/v1/reports/steering',
    {
      preHandler: requirePermission('reports.steering'),
      schema: {
        tags: ['reports'],
        summary: 'The figures the report is made of, as JSON (to read and edit before export)',
        querystring: z.object(period),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const province = await unitInScope(
        req,
        req.query.unit ?? actor.scope.provinceCode,
        'reports.steering',
        'unit',
      );
      return steeringFigures(app.db, province.code, req.query.from, req.query.to);
    },
  );
}
