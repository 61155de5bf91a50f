import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluateLevel, levelRuleSetFor, type LevelRuleSet } from '../../domain/levels.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import type { RuleSetCache } from '../rulesets.ts';
import { isoDate, todayVn, unitCode } from '../vaccination/common.ts';
import { unitInScope } from '../vaccination/coverage.ts';
import {
  computeProvinceLevels,
  historySql,
  levelsListSql,
  presentAssessment,
  type AssessmentRow,
} from './levels.ts';

const TAG = 'levels';
const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

export const evaluateBody = z.object({
  ruleSet: z
    .string()
    .max(100)
    .optional()
    .describe('Rule set id; default: the one in force on date'),
  date: isoDate,
  population: z.number().int().min(1),
  cases7d: z.number().int().min(0),
  cov18OneDose: z.number().min(0).max(100).nullable(),
  elderlyFull: z.number().min(0).max(100).nullable(),
  populationFull: z.number().min(0).max(100).nullable().optional(),
  capacityMet: z.boolean(),
  previous: level.nullable(),
});

export async function levelRoutes(
  server: FastifyInstance,
  opts: { sets: RuleSetCache<LevelRuleSet> },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/levels/evaluate',
    {
      preHandler: requirePermission('levels.read'),
      schema: {
        tags: [TAG],
        summary: 'Evaluate a level from inputs given directly (check a level by hand)',
        body: evaluateBody,
      },
    },
    async (req) => {
      const { ruleSet, date, ...inputs } = req.body;
      const sets = await opts.sets.get();
      const rs = ruleSet ? sets.find((s) => s.id === ruleSet) : levelRuleSetFor(sets, date);
      if (!rs)
        throw ruleSet
          ? fieldError('ruleSet', `Không có bộ quy tắc ${ruleSet}`)
          : fieldError('date', `Không có bộ quy tắc cấp độ dịch nào có hiệu lực ngày ${date}`);
      return evaluateLevel(rs, date, { ...inputs, populationFull: inputs.populationFull ?? null });
    },
  );

  app.get(
    '/api/v1/levels',
    {
      preHandler: requirePermission('levels.read'),
      schema: {
        tags: [TAG],
        summary: 'Levels of a unit and of every unit in it, for the week ending on date',
        description:
          'Computed (as drafts) on first read of a week. Items: {unit, date, level, computedLevel, status, overrideReason, rate, inputs, rule, ruleSet, steps, explanation}.',
        querystring: z.object({
          unit: unitCode,
          date: isoDate.optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const unit = await unitInScope(req, req.query.unit, 'levels.read', 'unit');
      const date = req.query.date ?? todayVn();
      const sets = await opts.sets.get();
      const have = await db.query(
        'SELECT 1 FROM level_assessments WHERE unit_code = $1 AND week_end = $2::date',
        [unit.code, date],
      );
      if (!have[0]) await db.tx((q) => computeProvinceLevels(q, unit.province_code, date, sets));
      const after = decodeCursor(req.query.cursor, 1)?.[0] as string | undefined;
      const { sql, params } = levelsListSql(unit, date, after ?? null, req.query.limit);
      const rows = await db.query<AssessmentRow>(sql, params);
      const p = page(rows, req.query.limit, (r) => [r.unit_code]);
      return { ...p, items: p.items.map((r) => presentAssessment(r, sets)) };
    },
  );

  app.get(
    '/api/v1/levels/history',
    {
      preHandler: requirePermission('levels.read'),
      schema: {
        tags: [TAG],
        summary: "A unit's levels week by week, newest first",
        querystring: z.object({ unit: unitCode, ...pageQuery }),
      },
    },
    async (req) => {
      const unit = await unitInScope(req, req.query.unit, 'levels.read', 'unit');
      const before = decodeCursor(req.query.cursor, 1)?.[0] as string | undefined;
      const { sql, params } = historySql(unit.code, before ?? null, req.query.limit);
      const rows = await db.query<AssessmentRow>(sql, params);
      const sets = await opts.sets.get();
      const p = page(rows, req.query.limit, (r) => [r.week_end]);
      return { ...p, items: p.items.map((r) => presentAssessment(r, sets)) };
    },
  );

  app.post(
    '/api/v1/levels/compute',
    {
      preHandler: requirePermission('levels.read'),
      schema: {
        tags: [TAG],
        summary: "Recompute the drafts of the unit's province for the week ending on date",
        body: z.object({ unit: unitCode, date: isoDate }),
      },
    },
    async (req) => {
      const unit = await unitInScope(req, req.body.unit, 'levels.compute', 'unit');
      const sets = await opts.sets.get();
      const out = await db.tx((q) =>
        computeProvinceLevels(q, unit.province_code, req.body.date, sets),
      );
      await audit(db, req, {
        action: 'levels.compute',
        resourceType: 'level_assessments',
        resourceId: `${unit.province_code}@${req.body.date}`,
        outcome: 'allowed',
      });
      // the phase timings are for benchmarks, not part of the answer
      return { ruleSetId: out.ruleSetId, assessed: out.assessed, skipped: out.skipped };
    },
  );

  app.post(
    '/api/v1/levels/publish',
    {
      preHandler: requirePermission('levels.publish'),
      schema: {
        tags: [TAG],
        summary: 'Publish the levels of a province for a week, with overrides and their reasons',
        body: z.object({
          unit: z.string().regex(/^\d{2}$/, 'Mã tỉnh gồm 2 chữ số'),
          date: isoDate,
          overrides: z
            .array(
              z.object({
                unitCode: unitCode,
                level,
                reason: z.string().trim().min(5, 'Nêu lý do (ít nhất 5 ký tự)').max(1000),
              }),
            )
            .max(2000)
            .default([]),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { date, overrides } = req.body;
      const province = await unitInScope(req, req.body.unit, 'levels.publish', 'unit');
      const sets = await opts.sets.get();
      const have = await db.query(
        'SELECT 1 FROM level_assessments WHERE unit_code = $1 AND week_end = $2::date',
        [province.code, date],
      );
      if (!have[0]) await db.tx((q) => computeProvinceLevels(q, province.code, date, sets));
      // every unit an override names must be in this province and assessed this week
      const codes = overrides.map((o) => o.unitCode);
      const known = await db.query<{ unit_code: string }>(
        `SELECT unit_code FROM level_assessments
          WHERE province_code = $1 AND week_end = $2::date AND unit_code = ANY($3::text[])`,
        [province.code, date, codes],
      );
      const ok = new Set(known.map((k) => k.unit_code));
      for (const c of codes)
        if (!ok.has(c)) {
          await audit(db, req, {
            action: 'levels.publish',
            resourceType: 'admin_unit',
            resourceId: c,
            outcome: 'denied',
            reason: 'outside_scope',
          });
          throw notFound('Đơn vị');
        }
      const published = await db.tx(async (q) => {
        for (const o of overrides) {
          await q.query(
            `UPDATE level_assessments SET level = $3, override_reason = CASE WHEN $3 = computed_level THEN NULL ELSE $4 END
              WHERE unit_code = $1 AND week_end = $2::date`,
            [o.unitCode, date, o.level, o.reason],
          );
          await audit(q, req, {
            action: 'levels.override',
            resourceType: 'level_assessment',
            resourceId: `${o.unitCode}@${date}`,
            outcome: 'allowed',
            reason: `level ${o.level}: ${o.reason}`,
          });
        }
        const rows = await q.query<{ n: number }>(
          `WITH p AS (UPDATE level_assessments SET status = 'published', published_at = now(), published_by = $3
             WHERE province_code = $1 AND week_end = $2::date AND status = 'draft' RETURNING 1)
           SELECT count(*)::int AS n FROM p`,
          [province.code, date, actor.id],
        );
        await audit(q, req, {
          action: 'levels.publish',
          resourceType: 'level_assessments',
          resourceId: `${province.code}@${date}`,
          outcome: 'allowed',
        });
        return rows[0]!.n;
      });
      return { published, overrides: overrides.length };
    },
  );

  app.put(
    '/api/v1/levels/capacity',
    {
      preHandler: requirePermission('levels.capacity'),
      schema: {
        tags: [TAG],
        summary: 'Treatment capacity met / not met for a unit (criterion 3)',
        body: z.object({ unit: unitCode, met: z.boolean(), note: z.string().max(1000).optional() }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const unit = await unitInScope(req, req.body.unit, 'levels.capacity', 'unit');
      await db.tx(async (q) => {
        await q.query(
          `INSERT INTO unit_capacity_status (unit_code, province_code, met, note, updated_by)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (unit_code) DO UPDATE SET met = EXCLUDED.met, note = EXCLUDED.note,
             updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [unit.code, unit.province_code, req.body.met, req.body.note ?? null, actor.id],
        );
        await audit(q, req, {
          action: 'levels.capacity',
          resourceType: 'admin_unit',
          resourceId: unit.code,
          outcome: 'allowed',
          reason: req.body.met ? 'met' : 'not met',
        });
      });
      return { unit: unit.code, met: req.body.met };
    },
  );
}
