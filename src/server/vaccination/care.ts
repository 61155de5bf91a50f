/** Screening before a dose (khám sàng lọc) with consent, and reactions after it (AEFI). */
import type { FastifyInstance } from 'fastify';
import { sessionInScope } from './common.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SCREENING_OUTCOMES } from '../../domain/vaccination.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { fieldError } from '../errors.ts';
import {
  actorSiteId,
  isoDate,
  personForVaccination,
  siteForActor,
  TAG,
  todayVn,
} from './common.ts';
import { unitInScope } from './coverage.ts';

export async function careRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/vaccination-screenings',
    {
      preHandler: requirePermission('vaccinations.write'),
      schema: {
        tags: [TAG],
        summary:
          'Record the screening before a dose: eligible / postpone / contraindicated, with consent',
        description:
          'Returns 201 {id, outcome, consent, replayed}. A dose may name this screening (screeningId); only an eligible screening with consent allows it.',
        body: z.object({
          clientId: z.uuid().optional(),
          personId: z.uuid(),
          siteId: z.uuid().optional().describe('Default: your site'),
          sessionId: z.uuid().optional(),
          date: isoDate.optional().describe('Default today'),
          outcome: z.enum(SCREENING_OUTCOMES),
          findings: z
            .array(z.string().trim().min(1).max(200))
            .max(30)
            .default([])
            .describe('What the checklist found (tiền sử phản vệ, sốt, bệnh nền chưa ổn định…)'),
          comorbidity: z.boolean().default(false).describe('Has an underlying disease (bệnh nền)'),
          consent: z.boolean().describe('The person (or guardian) agreed to the dose'),
          consentBy: z
            .string()
            .trim()
            .max(200)
            .optional()
            .describe('Guardian who consented, for a child'),
          note: z.string().trim().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const person = await personForVaccination(db, req, b.personId, 'vaccinations.write');
      const out = await db.tx(async (q) => {
        const siteId = actorSiteId(req) ?? b.siteId ?? null;
        const site = siteId ? await siteForActor(q, req, siteId) : null;
        if (b.sessionId) await sessionInScope(q, req, b.sessionId);
        const rows = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccination_screenings (person_id, session_id, site_id, province_code, district_code, commune_code,
              village_id, screened_on, outcome, findings, comorbidity, consent, consent_by, note, client_id, screened_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
           ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id
           RETURNING id, (xmax = 0) AS inserted`,
          [
            person.id,
            b.sessionId ?? null,
            site?.id ?? null,
            person.registered_province_code,
            person.district_code,
            person.commune_code,
            person.village_id,
            b.date ?? todayVn(),
            b.outcome,
            b.findings,
            b.comorbidity,
            b.consent,
            b.consentBy ?? null,
            b.note ?? null,
            b.clientId ?? null,
            requireActor(req).id,
          ],
        );
        await audit(q, req, {
          action: 'vaccinations.write',
          resourceType: 'vaccination_screening',
          resourceId: rows[0]!.id,
          outcome: 'allowed',
        });
        return rows[0]!;
      });
      return reply
        .status(out.inserted ? 201 : 200)
        .send({ id: out.id, outcome: b.outcome, consent: b.consent, replayed: !out.inserted });
    },
  );

  app.post(
    '/api/v1/vaccination-reactions',
    {
      preHandler: requirePermission('vaccinations.write'),
      schema: {
        tags: [TAG],
        summary: 'Record a reaction after vaccination (phản ứng sau tiêm, AEFI) against a dose',
        body: z.object({
          clientId: z.uuid().optional(),
          doseId: z.uuid(),
          onsetOn: isoDate,
          severity: z
            .enum(['common', 'serious'])
            .describe('common (thông thường) or serious (tai biến nặng)'),
          symptoms: z.array(z.string().trim().min(1).max(200)).min(1).max(30),
          outcome: z.enum(['recovered', 'recovering', 'hospitalised', 'died', 'unknown']),
          note: z.string().trim().max(1000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const dose = (
        await db.query<{ person_id: string; site_id: string | null; given_on: string }>(
          'SELECT person_id, site_id, given_on::text AS given_on FROM vaccination_doses WHERE id = $1',
          [b.doseId],
        )
      )[0];
      if (!dose) throw fieldError('doseId', 'Không có mũi tiêm này');
      const person = await personForVaccination(db, req, dose.person_id, 'vaccinations.write');
      if (b.onsetOn < dose.given_on) throw fieldError('onsetOn', 'Ngày khởi phát trước ngày tiêm');
      const out = await db.tx(async (q) => {
        const rows = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccination_reactions (dose_id, person_id, province_code, district_code, commune_code, site_id,
              onset_on, severity, symptoms, outcome, note, client_id, reported_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
           ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id
           RETURNING id, (xmax = 0) AS inserted`,
          [
            b.doseId,
            person.id,
            person.registered_province_code,
            person.district_code,
            person.commune_code,
            dose.site_id,
            b.onsetOn,
            b.severity,
            b.symptoms,
            b.outcome,
            b.note ?? null,
            b.clientId ?? null,
            requireActor(req).id,
          ],
        );
        await audit(q, req, {
          action: 'vaccinations.write',
          resourceType: 'vaccination_reaction',
          resourceId: rows[0]!.id,
          outcome: 'allowed',
        });
        return rows[0]!;
      });
      return reply.status(out.inserted ? 201 : 200).send({ id: out.id, replayed: !out.inserted });
    },
  );

  app.get(
    '/api/v1/vaccination-reactions/stats',
    {
      preHandler: requirePermission('coverage.read'),
      schema: {
        tags: [TAG],
        summary: 'Reactions after vaccination counted by product and severity, with doses given',
        description:
          'Returns {unit, items[{product, doses, common, serious}], total{doses, common, serious}}.',
        querystring: z.object({
          unit: z.string().regex(/^\d{2}(\d|\d{3})?$/, 'Mã đơn vị 2, 3 hoặc 5 chữ số'),
        }),
      },
    },
    async (req) => {
      const unit = await unitInScope(req, req.query.unit, 'coverage.read', 'unit');
      const col =
        unit.level === 1 ? 'province_code' : unit.level === 2 ? 'district_code' : 'commune_code';
      const rows = await db.query<{
        product: string;
        doses: number;
        common: number;
        serious: number;
      }>(
        `SELECT d.product, count(DISTINCT d.id)::int AS doses,
                count(r.id) FILTER (WHERE r.severity = 'common')::int AS common,
                count(r.id) FILTER (WHERE r.severity = 'serious')::int AS serious
           FROM vaccination_doses d LEFT JOIN vaccination_reactions r ON r.dose_id = d.id
          WHERE d.${col} = $1 GROUP BY d.product ORDER BY d.product`,
        [unit.code],
      );
      await audit(db, req, {
        action: 'coverage.read',
        resourceType: 'aefi_stats',
        resourceId: unit.code,
        outcome: 'allowed',
      });
      const sum = (k: 'doses' | 'common' | 'serious') => rows.reduce((s, r) => s + r[k], 0);
      return {
        unit: { code: unit.code, name: unit.name },
        items: rows,
        total: { doses: sum('doses'), common: sum('common'), serious: sum('serious') },
      };
    },
  );
}
