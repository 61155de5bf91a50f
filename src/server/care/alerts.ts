/**
 * The alerts list of a commune or district (open first, newest first), moving a patient up a
 * tier in answer (a bed reserved at the facility, 409 naming why none fits), and closing an
 * alert with a reason (including "no bed anywhere").
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maskIdentifier } from '../../domain/masking.ts';
import { BED_KINDS } from '../../domain/care.ts';
import { TIER_LABELS, TIERS } from '../../domain/care-f0.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { closeAlerts } from './alerts-store.ts';
import {
  careListScope,
  loadCareRecord,
  TAG,
  todayVn,
  treatmentSiteSql,
  unitCode,
  type PlaceRow,
} from './common.ts';
import { loadFacility } from './facilities.ts';
import type { CareRules } from './rulesets.ts';
import { admissionRules, admit, vacate } from './stays.ts';
import { moveTier, TREATMENT_COLUMNS, type TreatmentRow } from './treatments.ts';

interface AlertRow extends PlaceRow {
  id: string;
  kind: string;
  status: string;
  person_id: string;
  full_name: string;
  birth_year: number;
  phone: string | null;
  treatment_id: string | null;
  follow_up_id: string | null;
  test_order_id: string | null;
  case_id: string | null;
  tier: string | null;
  age_years: number | null;
  ruleset_id: string;
  rule_id: string;
  explanation: { vi: string; en: string };
  opened_at: Date | string;
  closed_at: Date | string | null;
  resolution: string | null;
  close_reason: string | null;
}
const ALERT_COLUMNS = `a.id, a.kind, a.status, a.person_id, a.treatment_id, a.follow_up_id, a.test_order_id, a.province_code,
  a.district_code, a.commune_code, a.village_id, a.age_years, a.ruleset_id, a.rule_id, a.explanation, a.opened_at, a.closed_at,
  a.resolution, a.close_reason`;
const ALERT_EXTRA = `p.full_name, p.birth_year, p.phone, t.case_id, t.tier`;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

const present = (a: AlertRow) => ({
  id: a.id,
  kind: a.kind,
  status: a.status,
  // Issue 10 item 10: masked here; the "call" button reads it whole from the person (audited).
  person: {
    id: a.person_id,
    fullName: a.full_name,
    birthYear: a.birth_year,
    phone: maskIdentifier(a.phone),
  },
  treatmentId: a.treatment_id,
  caseId: a.case_id,
  tier: a.tier,
  followUpId: a.follow_up_id,
  testOrderId: a.test_order_id,
  communeCode: a.commune_code,
  districtCode: a.district_code,
  ageYears: a.age_years,
  rulesetId: a.ruleset_id,
  ruleId: a.rule_id,
  explanation: a.explanation,
  openedAt: iso(a.opened_at),
  closedAt: iso(a.closed_at),
  resolution: a.resolution,
  closeReason: a.close_reason,
});

/**
 * The alerts list's SQL (exported for the plan test): an area's alerts of one status, newest
 * first, keyset on (opened_at, id) descending through the (scope, status, opened_at, id) index.
 */
export function alertListSql(
  scopeSql: string,
  params: unknown[],
  status: 'open' | 'closed',
  after: unknown[] | null,
  limit: number,
) {
  params.push(status);
  const where = [scopeSql, `a.status = $${params.length}`];
  if (after) {
    params.push(after[0], after[1]);
    where.push(
      `(a.opened_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
    );
  }
  params.push(limit + 1);
  return `SELECT ${ALERT_COLUMNS}, ${ALERT_EXTRA}
    FROM (SELECT * FROM care_alerts a WHERE ${where.join(' AND ')} ORDER BY a.opened_at DESC, a.id DESC LIMIT $${params.length}) a
    JOIN persons p ON p.id = a.person_id LEFT JOIN care_treatments t ON t.id = a.treatment_id
    ORDER BY a.opened_at DESC, a.id DESC`;
}

export async function alertRoutes(server: FastifyInstance, opts: { rules: CareRules }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const { rules } = opts;

  const ALERT_ONE = `SELECT ${ALERT_COLUMNS}, ${ALERT_EXTRA}, ${treatmentSiteSql('a.treatment_id')} AS site_id
    FROM care_alerts a JOIN persons p ON p.id = a.person_id LEFT JOIN care_treatments t ON t.id = a.treatment_id
   WHERE a.id = $1`;
  const loadAlert = (req: FastifyRequest, id: string, action: 'alerts.read' | 'alerts.write') =>
    loadCareRecord<AlertRow>(req, {
      action,
      resourceType: 'care_alert',
      id,
      label: 'Cảnh báo',
      sql: ALERT_ONE,
    });
  const fresh = async (id: string) => present((await db.query<AlertRow>(ALERT_ONE, [id]))[0]!);

  app.get(
    '/api/v1/alerts',
    {
      preHandler: requirePermission('alerts.read'),
      schema: {
        tags: [TAG],
        summary:
          'Alerts of your area or of a unit in it (warning signs, missed monitoring, symptoms at home checks), newest first',
        querystring: z.object({
          unit: unitCode.optional(),
          status: z.enum(['open', 'closed']).default('open'),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const { scopeSql, params } = await careListScope(req, 'a', req.query.unit, 'alerts.read');
      const rows = await db.query<AlertRow>(
        alertListSql(
          scopeSql,
          params,
          req.query.status,
          decodeCursor(req.query.cursor, 2),
          req.query.limit,
        ),
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [iso(r.opened_at)!, r.id]);
      await audit(db, req, {
        action: 'alerts.list',
        resourceType: 'care_alert',
        outcome: 'allowed',
        detail: { count: pg.items.length },
      });
      return { items: pg.items.map(present), nextCursor: pg.nextCursor };
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      preHandler: requirePermission('alerts.read'),
      schema: {
        tags: [TAG],
        summary:
          'One alert: why it opened, the patient, and how it closed (a facility manager: the patients at their facility)',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => present(await loadAlert(req, req.params.id, 'alerts.read')),
  );

  app.post(
    '/api/v1/alerts/:id/transfer',
    {
      preHandler: requirePermission('alerts.write'),
      schema: {
        tags: [TAG],
        summary:
          "Answer an alert by moving the patient up a tier: a bed reserved at the facility (409 when none fits); the patient's open alerts close",
        params: z.object({ id: z.uuid() }),
        body: z.object({
          clientId: z.uuid().optional(),
          tier: z.enum(TIERS).exclude(['home']),
          facilityId: z.uuid(),
          bedKind: z.enum(BED_KINDS).default('oxygen'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const a = await loadAlert(req, req.params.id, 'alerts.write');
      const b = req.body;
      if (a.status !== 'open') throw conflict('Cảnh báo đã đóng');
      if (!a.treatment_id)
        throw fieldError('tier', 'Cảnh báo này không thuộc một ca đang điều trị');
      const f = await loadFacility(req, b.facilityId, 'facilities.read');
      const t = (
        await db.query<TreatmentRow>(
          `SELECT ${TREATMENT_COLUMNS} FROM care_treatments t WHERE t.id = $1`,
          [a.treatment_id],
        )
      )[0]!;
      const ar = await admissionRules(rules, todayVn());
      const r = await db.tx(async (q) => {
        if (b.clientId) {
          const old = (
            await q.query<{ id: string; placement: { explanation: { vi: string; en: string } } }>(
              'SELECT id, placement FROM care_admissions WHERE client_id = $1',
              [b.clientId],
            )
          )[0];
          if (old) return { id: old.id, placement: old.placement, replayed: true };
        }
        // Out of the current facility first (the bed there is freed if the new one is taken).
        if (t.admission_id)
          await vacate(
            q,
            t.admission_id,
            'transferred',
            todayVn(),
            `${TIER_LABELS[b.tier].vi}: ${f.name}`,
          );
        const adm = await admit(q, ar, {
          facilityId: f.id,
          personId: t.person_id,
          purpose: 'treatment',
          source: 'transfer',
          cohortKey: 'f0',
          familyKey: null,
          isF0: true,
          admittedOn: todayVn(),
          bedKind: b.bedKind,
          caseId: t.case_id,
          clientId: b.clientId ?? null,
          actorId: actor.id,
        });
        await moveTier(
          q,
          { ...t, admission_id: null },
          { tier: b.tier, facilityId: f.id, admissionId: adm.id, siteId: f.site_id },
        );
        await closeAlerts(
          q,
          { treatmentId: t.id },
          'transferred',
          `${TIER_LABELS[b.tier].vi}: ${f.name}`,
          actor.id,
        );
        await audit(q, req, {
          action: 'alerts.transfer',
          resourceType: 'care_alert',
          resourceId: a.id,
          outcome: 'allowed',
          detail: { facilityId: f.id, tier: b.tier, admissionId: adm.id },
        });
        return adm;
      });
      return {
        alert: await fresh(a.id),
        admissionId: r.id,
        placement: r.placement.explanation,
        replayed: r.replayed,
      };
    },
  );

  app.post(
    '/api/v1/alerts/:id/close',
    {
      preHandler: requirePermission('alerts.write'),
      schema: {
        tags: [TAG],
        summary: 'Close an alert with a reason (no_bed: no bed free at any higher tier)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          resolution: z.enum(['closed', 'no_bed']).default('closed'),
          reason: z.string().trim().min(3).max(500),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const a = await loadAlert(req, req.params.id, 'alerts.write');
      if (a.status !== 'open') throw conflict('Cảnh báo đã đóng');
      await db.tx(async (q) => {
        await closeAlerts(q, { id: a.id }, req.body.resolution, req.body.reason, actor.id);
        await audit(q, req, {
          action: 'alerts.close',
          resourceType: 'care_alert',
          resourceId: a.id,
          outcome: 'allowed',
        });
      });
      return fresh(a.id);
    },
  );
}
