/**
 * Workplaces and schools (issue 18 item 4): register one (a site of kind 'enterprise' or 'school'
 * with its kind and workforce), read it with its reporters, its self-assessments and the outbreak
 * flag; a workplace's own reporter sends the periodic self-assessment; the area's risk list and
 * overdue list (keyset paged through an index before the join) and the risk map's figures.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contains } from '../../domain/access.ts';
import { addDays } from '../../domain/dates.ts';
import {
  ANSWERS,
  answerProblems,
  assessWorkplace,
  dueDates,
  riskRank,
  siteKindOf,
  WORKPLACE_KINDS,
} from '../../domain/workplaces.ts';
import { audit, loadScoped, requireActor, requirePermission, scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { badRequest, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { communeInScope, denyBodyId } from '../scoped-ids.ts';
import { isoDate } from '../vaccination/common.ts';
import {
  loadWorkplace,
  overdueListSql,
  placeOfWorkplace,
  presentWorkplace,
  riskByDistrictSql,
  riskListSql,
  safetyInForce,
  todayVn,
  workplaceRuleSets,
  type WorkplaceRow,
} from './store.ts';

const TAG = 'workplaces';
const idParam = z.object({ id: z.uuid('Mã nơi làm việc không hợp lệ') });

export const workplaceBody = z.object({
  clientId: z.uuid().describe('Client-made UUID: a replay returns the same workplace'),
  name: z.string().trim().min(2, 'Tên từ 2 ký tự').max(200, 'Tên tối đa 200 ký tự'),
  kind: z.enum(WORKPLACE_KINDS, 'Loại cơ sở không hợp lệ'),
  workforce: z
    .number('Số người lao động / học sinh là số')
    .int('Số người lao động / học sinh là số nguyên')
    .min(1, 'Số người lao động / học sinh từ 1')
    .max(500_000, 'Số người lao động / học sinh tối đa 500.000'),
  communeCode: z.string().regex(/^\d{5}$/, 'Mã xã 5 chữ số'),
  address: z.string().trim().max(300, 'Địa chỉ tối đa 300 ký tự').optional(),
  latitude: z.number().min(-90, 'Vĩ độ từ -90 đến 90').max(90, 'Vĩ độ từ -90 đến 90').optional(),
  longitude: z
    .number()
    .min(-180, 'Kinh độ từ -180 đến 180')
    .max(180, 'Kinh độ từ -180 đến 180')
    .optional(),
});

export const assessmentBody = z.object({
  clientId: z.uuid().describe('Client-made UUID: a phone that re-sends it is not doubled'),
  assessedOn: isoDate.optional().describe('Default today; not in the future, at most 30 days ago'),
  answers: z
    .record(z.string().max(60), z.enum(ANSWERS, 'Trả lời yes, no hoặc na'))
    .describe('One answer per criterion of the rule set in force: yes, no or na (not applicable)'),
});

interface AssessmentRow {
  id: string;
  site_id: string;
  assessed_on: string;
  answers: Record<string, string>;
  score: string | number;
  met: number;
  applicable: number;
  risk_level: string;
  failed: string[];
  ruleset_id: string;
  rule_id: string;
  explanation: { vi: string; en: string };
  client_id: string;
  created_at: string | Date;
}
const A_COLUMNS = `a.id, a.site_id, a.assessed_on::text AS assessed_on, a.answers, a.score, a.met, a.applicable,
  a.risk_level, a.failed, a.ruleset_id, a.rule_id, a.explanation, a.client_id, a.created_at`;
const presentAssessment = (a: AssessmentRow) => ({
  id: a.id,
  workplaceId: a.site_id,
  assessedOn: a.assessed_on,
  answers: a.answers,
  score: Number(a.score),
  met: a.met,
  applicable: a.applicable,
  riskLevel: a.risk_level,
  failed: a.failed,
  ruleSetId: a.ruleset_id,
  ruleId: a.rule_id,
  explanation: a.explanation,
});

/** The workplace named in the path, held to the actor's scope (404 + audit outside). */
const scopedWorkplace = (
  req: FastifyRequest,
  id: string,
  action: 'workplaces.read' | 'workplaces.assess',
) =>
  loadScoped(req, {
    action,
    resourceType: 'workplace',
    id,
    label: 'Nơi làm việc',
    load: async () => {
      const w = await loadWorkplace(req.server.db, id);
      return w && { ...placeOfWorkplace(w), w };
    },
  }).then((r) => r.w);

/** One self-assessment, written with the workplace's latest state in one transaction. */
async function saveAssessment(
  q: Queryable,
  w: WorkplaceRow,
  b: z.infer<typeof assessmentBody> & { assessedOn: string },
  actorId: string,
) {
  const rs = safetyInForce(await workplaceRuleSets(q), b.assessedOn);
  if (!rs) throw fieldError('assessedOn', 'Không có bộ tiêu chí hiệu lực vào ngày này');
  const problems = answerProblems(rs, b.answers);
  if (problems.length) throw badRequest(`${problems[0]!.path}: ${problems[0]!.message}`, problems);
  const r = assessWorkplace(rs, b.answers);
  const inserted = await q.query<AssessmentRow>(
    `INSERT INTO workplace_assessments AS a (site_id, assessed_on, answers, score, met, applicable, risk_level, failed,
       ruleset_id, rule_id, explanation, province_code, district_code, commune_code, client_id, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
     ON CONFLICT (client_id) DO NOTHING RETURNING ${A_COLUMNS}`,
    [
      w.site_id,
      b.assessedOn,
      JSON.stringify(b.answers),
      r.score,
      r.met,
      r.applicable,
      r.level,
      r.failed,
      rs.id,
      r.ruleId,
      JSON.stringify(r.explanation),
      w.province_code,
      w.district_code,
      w.commune_code,
      b.clientId,
      actorId,
    ],
  );
  const a = inserted[0];
  if (!a) return null; // a concurrent replay won: the caller reads it
  // The workplace keeps its newest assessment (an older one entered late changes nothing there).
  const cur = (
    await q.query<{ assessed_on: string | null; screened_on: string | null; outbreak: boolean }>(
      `SELECT assessed_on::text AS assessed_on, screened_on::text AS screened_on, outbreak
         FROM workplaces WHERE site_id = $1 FOR UPDATE`,
      [w.site_id],
    )
  )[0]!;
  if (!cur.assessed_on || cur.assessed_on <= b.assessedOn) {
    const due = dueDates(rs, {
      registeredOn: w.registered_on,
      assessedOn: b.assessedOn,
      screenedOn: cur.screened_on,
      outbreak: cur.outbreak,
    });
    await q.query(
      `UPDATE workplaces SET assessment_id = $2, assessed_on = $3, risk_level = $4, score = $5,
          assessment_due_on = $6, risk_rank = $7, updated_at = now() WHERE site_id = $1`,
      [
        w.site_id,
        a.id,
        b.assessedOn,
        r.level,
        r.score,
        due.assessmentDueOn,
        riskRank(r.level, cur.outbreak),
      ],
    );
  }
  return a;
}

export async function workplaceRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/workplace-safety',
    {
      preHandler: requirePermission('workplaces.read'),
      schema: {
        tags: [TAG],
        summary:
          'The workplace-safety rule set in force today: criteria, levels, intervals, outbreak rule',
      },
    },
    async () => {
      const rs = safetyInForce(await workplaceRuleSets(db), todayVn());
      if (!rs) throw fieldError('on', 'Không có bộ tiêu chí hiệu lực hôm nay');
      return rs;
    },
  );

  app.post(
    '/api/v1/workplaces',
    {
      preHandler: requirePermission('workplaces.manage'),
      schema: {
        tags: [TAG],
        summary: 'Register a workplace or school in a commune of the area; a replay is not doubled',
        body: workplaceBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = requireActor(req);
      const prior = (
        await db.query<{ site_id: string }>('SELECT site_id FROM workplaces WHERE client_id = $1', [
          b.clientId,
        ])
      )[0];
      if (prior) {
        const w = (await loadWorkplace(db, prior.site_id))!;
        if (!contains(actor.scope, placeOfWorkplace(w)))
          throw await denyBodyId(
            req,
            {
              action: 'workplaces.manage',
              resourceType: 'workplace',
              id: w.site_id,
              field: 'clientId',
              found: true,
            },
            'Nơi làm việc',
          );
        return reply.status(200).send(presentWorkplace(w, todayVn()));
      }
      if ((b.latitude === undefined) !== (b.longitude === undefined))
        throw fieldError(
          b.latitude === undefined ? 'latitude' : 'longitude',
          'Cần cả vĩ độ và kinh độ',
        );
      const place = await communeInScope(req, b.communeCode, {
        action: 'workplaces.manage',
        field: 'communeCode',
      });
      const today = todayVn();
      const siteId = await db.tx(async (q) => {
        const site = (
          await q.query<{ id: string }>(
            `INSERT INTO sites (kind, name, province_code, district_code, commune_code, address)
             VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
            [
              siteKindOf(b.kind),
              b.name,
              place.provinceCode,
              place.districtCode,
              place.communeCode,
              b.address ?? null,
            ],
          )
        )[0]!;
        const made = await q.query(
          `INSERT INTO workplaces (site_id, kind, workforce, latitude, longitude, province_code, district_code, commune_code,
             registered_on, assessment_due_on, screening_due_on, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$9,$10,$11) ON CONFLICT (client_id) DO NOTHING RETURNING site_id`,
          [
            site.id,
            b.kind,
            b.workforce,
            b.latitude ?? null,
            b.longitude ?? null,
            place.provinceCode,
            place.districtCode,
            place.communeCode,
            today,
            b.clientId,
            actor.id,
          ],
        );
        if (!made[0]) throw new Error('workplace replayed concurrently');
        await audit(q, req, {
          action: 'workplaces.manage',
          resourceType: 'workplace',
          resourceId: site.id,
          outcome: 'allowed',
        });
        return site.id;
      });
      return reply.status(201).send(presentWorkplace((await loadWorkplace(db, siteId))!, today));
    },
  );

  app.get(
    '/api/v1/workplaces',
    {
      preHandler: requirePermission('workplaces.read'),
      schema: {
        tags: [TAG],
        summary:
          'Workplaces of the area: view=risk (outbreaks, then the worst assessed first) or view=overdue (assessment or screening overdue, longest first); keyset paged',
        querystring: z.object({ view: z.enum(['risk', 'overdue']).default('risk'), ...pageQuery }),
      },
    },
    async (req) => {
      const { view, cursor, limit } = req.query;
      const today = todayVn();
      const params: unknown[] = [];
      const scope = scopePredicate(requireActor(req).scope, params, 'w');
      const sql =
        view === 'risk'
          ? riskListSql(scope, params, decodeCursor(cursor, ['int', 'uuid']), limit)
          : overdueListSql(scope, params, today, decodeCursor(cursor, ['date', 'uuid']), limit);
      const rows = await db.query<WorkplaceRow>(sql, params);
      const p = page(rows, limit, (w) =>
        view === 'risk' ? [w.risk_rank, w.site_id] : [w.due_on, w.site_id],
      );
      return {
        today,
        view,
        items: p.items.map((w) => presentWorkplace(w, today)),
        nextCursor: p.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/workplaces/map',
    {
      preHandler: requirePermission('workplaces.read'),
      schema: {
        tags: [TAG],
        summary:
          'The risk map: per district the workplaces, outbreaks, worst rank and overdue; the 500 riskiest with coordinates',
      },
    },
    async (req) => {
      const today = todayVn();
      // the actor's own scope (a workplace's reporter sees its own workplace only)
      const scope = requireActor(req).scope;
      const p1: unknown[] = [];
      const districts = await db.query<{
        district_code: string;
        n: number;
        outbreaks: number;
        worst: number;
        overdue: number;
      }>(riskByDistrictSql(scopePredicate(scope, p1, 'w'), p1, today), p1);
      const p2: unknown[] = [];
      const top = await db.query<WorkplaceRow>(
        riskListSql(scopePredicate(scope, p2, 'w'), p2, null, 500),
        p2,
      );
      return {
        today,
        districts: districts.map((d) => ({
          districtCode: d.district_code,
          workplaces: d.n,
          outbreaks: d.outbreaks,
          worstRank: d.worst,
          overdue: d.overdue,
        })),
        markers: top
          .filter((w) => w.latitude !== null && w.longitude !== null)
          .map((w) => ({
            id: w.site_id,
            name: w.name,
            latitude: w.latitude,
            longitude: w.longitude,
            riskRank: w.risk_rank,
            riskLevel: w.risk_level,
            outbreak: w.outbreak,
          })),
      };
    },
  );

  app.get(
    '/api/v1/workplaces/:id',
    {
      preHandler: requirePermission('workplaces.read'),
      schema: {
        tags: [TAG],
        summary:
          'One workplace: its risk, outbreak flag, due dates, reporter accounts and latest self-assessments',
        params: idParam,
      },
    },
    async (req) => {
      const w = await scopedWorkplace(req, req.params.id, 'workplaces.read');
      const reporters = await db.query<{ id: string; username: string; full_name: string }>(
        `SELECT id, username, full_name FROM users WHERE site_id = $1 AND role = 'test_reporter' AND NOT disabled
          ORDER BY username`,
        [w.site_id],
      );
      const assessments = await db.query<AssessmentRow>(
        `SELECT ${A_COLUMNS} FROM workplace_assessments a WHERE a.site_id = $1 ORDER BY a.assessed_on DESC, a.id DESC LIMIT 10`,
        [w.site_id],
      );
      return {
        ...presentWorkplace(w, todayVn()),
        reporters: reporters.map((u) => ({
          id: u.id,
          username: u.username,
          fullName: u.full_name,
        })),
        assessments: assessments.map(presentAssessment),
      };
    },
  );

  app.post(
    '/api/v1/workplaces/:id/assessments',
    {
      preHandler: requirePermission('workplaces.assess'),
      schema: {
        tags: [TAG],
        summary:
          "The workplace's own COVID-safety self-assessment, scored by the rule set in force (its id, the rule and the words are stored); a replay is not doubled",
        params: idParam,
        body: assessmentBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const w = await scopedWorkplace(req, req.params.id, 'workplaces.assess');
      const replay = async () =>
        (
          await db.query<AssessmentRow>(
            `SELECT ${A_COLUMNS} FROM workplace_assessments a WHERE a.client_id = $1`,
            [b.clientId],
          )
        )[0];
      const prior = await replay();
      if (prior) {
        if (prior.site_id !== w.site_id)
          throw await denyBodyId(
            req,
            {
              action: 'workplaces.assess',
              resourceType: 'workplace_assessment',
              id: prior.id,
              field: 'clientId',
              found: true,
            },
            'Bản tự đánh giá',
          );
        return reply.status(200).send(presentAssessment(prior));
      }
      const today = todayVn();
      const assessedOn = b.assessedOn ?? today;
      if (assessedOn > today)
        throw fieldError('assessedOn', 'Ngày đánh giá không được ở tương lai');
      if (assessedOn < addDays(today, -30))
        throw fieldError('assessedOn', 'Ngày đánh giá quá 30 ngày trước');
      const a = await db.tx((q) =>
        saveAssessment(q, w, { ...b, assessedOn }, requireActor(req).id),
      );
      await audit(db, req, {
        action: 'workplaces.assess',
        resourceType: 'workplace',
        resourceId: w.site_id,
        outcome: 'allowed',
      });
      if (!a) return reply.status(200).send(presentAssessment((await replay())!));
      return reply.status(201).send(presentAssessment(a));
    },
  );
}
