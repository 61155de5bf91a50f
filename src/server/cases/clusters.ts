import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maskIdentifier } from '../../domain/masking.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowed, type Place } from '../../domain/access.ts';
import { addDays, daysBetween, isValidIsoDate } from '../../domain/dates.ts';
import {
  audit,
  loadScoped,
  requireActor,
  requirePermission,
  scopePredicate,
  UUID_RE,
} from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { canonicalPersonId, personScope } from '../people/store.ts';
import { casesAroundPerson, graphForCases } from './graph.ts';
import { casePlaces } from './present.ts';
import { CASE_SECOND, dualScope, unitPlace } from './scope.ts';

const isoDate = z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD');

interface ClusterRow {
  id: string;
  name: string;
  place: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  start_date: string;
  end_date: string | null;
  created_at: Date | string;
  commune_name: string;
  cases: number;
}
const CLUSTER_SELECT = `SELECT cl.id, cl.name, cl.place, cl.province_code, cl.district_code, cl.commune_code,
  cl.start_date::text AS start_date, cl.end_date::text AS end_date, cl.created_at, u.name AS commune_name,
  (SELECT count(*)::int FROM cases c WHERE c.cluster_id = cl.id) AS cases
  FROM clusters cl JOIN admin_units u ON u.code = cl.commune_code`;
const presentCluster = (c: ClusterRow) => ({
  id: c.id,
  name: c.name,
  place: c.place,
  communeCode: c.commune_code,
  communeName: c.commune_name,
  districtCode: c.district_code,
  startDate: c.start_date,
  endDate: c.end_date,
  active: c.end_date === null,
  caseCount: c.cases,
  createdAt: new Date(c.created_at).toISOString(),
});

interface LockdownRow {
  id: string;
  name: string;
  place: string | null;
  unit_codes: string[];
  village_ids: string[];
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  start_date: string;
  end_date: string | null;
  cluster_id: string | null;
  created_at: Date | string;
}
const LOCKDOWN_SELECT = `SELECT l.id, l.name, l.place, l.unit_codes, l.village_ids::text[] AS village_ids, l.province_code,
  l.district_code, l.commune_code, l.start_date::text AS start_date, l.end_date::text AS end_date, l.cluster_id, l.created_at
  FROM lockdowns l`;
const presentLockdown = (l: LockdownRow, today: string) => ({
  id: l.id,
  name: l.name,
  place: l.place,
  unitCodes: l.unit_codes,
  villageIds: l.village_ids,
  communeCode: l.commune_code,
  districtCode: l.district_code,
  startDate: l.start_date,
  endDate: l.end_date,
  active: l.start_date <= today && (l.end_date === null || l.end_date >= today),
  clusterId: l.cluster_id,
  createdAt: new Date(l.created_at).toISOString(),
});
/** The persons who live in a lockdown area (address commune / district / village in it). */
const RESIDENTS_WHERE = `(p.commune_code = ANY ($1::text[]) OR p.district_code = ANY ($1::text[])
  OR (p.village_id IS NOT NULL AND p.village_id = ANY ($2::uuid[]))) AND p.merged_into IS NULL`;

const vnToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

export async function clusterRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/clusters',
    {
      preHandler: requirePermission('clusters.write'),
      schema: {
        tags: ['clusters'],
        summary: 'Create a cluster (ổ dịch) with a name, place and dates',
        body: z.object({
          clientId: z.uuid().optional(),
          name: z.string().trim().min(2).max(200).describe('"Ổ dịch Khu công nghiệp Hải Hà"'),
          place: z.string().trim().max(300).optional().describe('Where, in words'),
          communeCode: z
            .string()
            .regex(/^\d{5}$/)
            .describe('Commune the cluster belongs to'),
          startDate: isoDate.describe('First case / start'),
          endDate: isoDate.optional().describe('Declared over'),
          caseIds: z.array(z.uuid()).max(500).default([]).describe('Cases to put in it'),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      if (b.endDate && b.endDate < b.startDate) throw fieldError('endDate', 'Trước ngày bắt đầu');
      if (b.clientId) {
        const prior = await db.query<ClusterRow>(`${CLUSTER_SELECT} WHERE cl.client_id = $1`, [
          b.clientId,
        ]);
        if (prior[0]) return reply.status(200).send(presentCluster(prior[0]));
      }
      const unit = await unitPlace(db, b.communeCode, 3);
      if (!unit) throw fieldError('communeCode', `Không có xã mã ${b.communeCode}`);
      if (!allowed(actor, 'clusters.write', unit.place)) {
        await audit(db, req, {
          action: 'clusters.create',
          resourceType: 'cluster',
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw new AppError(404, 'not_found', 'Xã không thuộc địa bàn của bạn');
      }
      await checkCases(req, b.caseIds);
      const id = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO clusters (name, place, province_code, district_code, commune_code, start_date, end_date, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
          [
            b.name,
            b.place ?? null,
            unit.unit.province_code,
            unit.unit.district_code,
            unit.unit.code,
            b.startDate,
            b.endDate ?? null,
            b.clientId ?? null,
            actor.id,
          ],
        );
        await attachCases(q, actor.id, ins[0]!.id, b.caseIds);
        await audit(q, req, {
          action: 'clusters.create',
          resourceType: 'cluster',
          resourceId: ins[0]!.id,
          outcome: 'allowed',
        });
        return ins[0]!.id;
      });
      const row = (await db.query<ClusterRow>(`${CLUSTER_SELECT} WHERE cl.id = $1`, [id]))[0]!;
      return reply.status(201).send(presentCluster(row));
    },
  );

  /** Puts cases in a cluster; every case must be in the actor's area (checked as a set). */
  /**
   * The cases must all be the actor's to change; otherwise 404 and the attempt is audited. Run
   * before the transaction that attaches them: the denial's audit event must not roll back with
   * it (and on the embedded database a query outside an open transaction would wait for it).
   */
  async function checkCases(req: FastifyRequest, caseIds: string[]) {
    if (caseIds.length === 0) return;
    const actor = requireActor(req);
    const rows = await db.query<Parameters<typeof casePlaces>[0] & { id: string }>(
      `SELECT id, province_code, district_code, commune_code, village_id, current_province_code, current_district_code,
              current_commune_code FROM cases WHERE id = ANY ($1::uuid[])`,
      [caseIds],
    );
    const ok = new Set(
      rows
        .filter((r) => casePlaces(r).some((p) => allowed(actor, 'cases.write', p)))
        .map((r) => r.id),
    );
    const missing = caseIds.filter((id) => !ok.has(id));
    if (missing.length) {
      await audit(db, req, {
        action: 'clusters.cases',
        resourceType: 'case',
        outcome: 'denied',
        reason: 'outside_scope',
        detail: { ids: missing },
      });
      throw new AppError(404, 'not_found', `Ca bệnh không tồn tại: ${missing.join(', ')}`, [
        { path: 'caseIds', message: 'Có ca bệnh không tồn tại hoặc ngoài địa bàn' },
      ]);
    }
  }

  /** Puts checked cases in the cluster, with an event on each case. */
  async function attachCases(q: Queryable, actorId: string, clusterId: string, caseIds: string[]) {
    if (caseIds.length === 0) return;
    await q.query(
      'UPDATE cases SET cluster_id = $1, updated_at = now() WHERE id = ANY ($2::uuid[])',
      [clusterId, caseIds],
    );
    for (const id of caseIds)
      await q.query(
        `INSERT INTO case_events (case_id, kind, at, data, recorded_by) VALUES ($1, 'cluster', now(), $2, $3)`,
        [id, JSON.stringify({ clusterId }), actorId],
      );
  }

  app.get(
    '/api/v1/clusters',
    {
      preHandler: requirePermission('clusters.read'),
      schema: {
        tags: ['clusters'],
        summary: 'Clusters in your area, newest first',
        querystring: z.object({ active: z.enum(['true', 'false']).optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params, 'cl')];
      if (req.query.active === 'true') where.push('cl.end_date IS NULL');
      if (req.query.active === 'false') where.push('cl.end_date IS NOT NULL');
      const after = decodeCursor(req.query.cursor, ['date', 'uuid']);
      if (after) {
        if (!isValidIsoDate(after[0]) || typeof after[1] !== 'string' || !UUID_RE.test(after[1]))
          throw fieldError('cursor', 'Con trỏ phân trang không hợp lệ');
        params.push(after[0], after[1]);
        where.push(
          `(cl.start_date, cl.id) < ($${params.length - 1}::date, $${params.length}::uuid)`,
        );
      }
      params.push(req.query.limit + 1);
      const rows = await db.query<ClusterRow>(
        `${CLUSTER_SELECT} WHERE ${where.join(' AND ')} ORDER BY cl.start_date DESC, cl.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.start_date, r.id]);
      return { items: pg.items.map(presentCluster), nextCursor: pg.nextCursor };
    },
  );

  const loadCluster = (
    req: FastifyRequest,
    id: string,
    action: 'clusters.read' | 'clusters.write',
  ) =>
    loadScoped(req, {
      action,
      resourceType: 'cluster',
      id,
      label: 'Ổ dịch',
      auditAllowed: action === 'clusters.read',
      load: async () => {
        const r = (await db.query<ClusterRow>(`${CLUSTER_SELECT} WHERE cl.id = $1`, [id]))[0];
        return (
          r &&
          ({
            provinceCode: r.province_code,
            districtCode: r.district_code,
            communeCode: r.commune_code,
            row: r,
          } as Place & { row: ClusterRow })
        );
      },
    });

  app.get(
    '/api/v1/clusters/:id',
    {
      preHandler: requirePermission('clusters.read'),
      schema: {
        tags: ['clusters'],
        summary: 'A cluster with its cases and the count of new cases per day (and cumulative)',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const { row } = await loadCluster(req, req.params.id, 'clusters.read');
      const cases = await db.query<{
        id: string;
        code: string;
        status: string;
        full_name: string;
        person_id: string;
        d: string;
      }>(
        `SELECT c.id, c.code, c.status, p.full_name, c.person_id,
                ((c.positive_sample_at AT TIME ZONE 'UTC') + interval '7 hours')::date::text AS d
           FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.cluster_id = $1 ORDER BY c.positive_sample_at, c.id`,
        [row.id],
      );
      const byDay = new Map<string, number>();
      for (const c of cases) byDay.set(c.d, (byDay.get(c.d) ?? 0) + 1);
      const days: { date: string; newCases: number; cumulative: number }[] = [];
      if (cases.length) {
        const first = cases[0]!.d < row.start_date ? cases[0]!.d : row.start_date;
        const last = cases[cases.length - 1]!.d;
        let total = 0;
        for (let i = 0; i <= Math.min(daysBetween(first, last), 366); i++) {
          const d = addDays(first, i);
          total += byDay.get(d) ?? 0;
          days.push({ date: d, newCases: byDay.get(d) ?? 0, cumulative: total });
        }
      }
      const lockdowns = await db.query<LockdownRow>(
        `${LOCKDOWN_SELECT} WHERE l.cluster_id = $1 ORDER BY l.start_date`,
        [row.id],
      );
      const today = vnToday();
      return {
        ...presentCluster(row),
        cases: cases.map((c) => ({
          id: c.id,
          code: c.code,
          status: c.status,
          personId: c.person_id,
          fullName: c.full_name,
          positiveDate: c.d,
        })),
        countsByDay: days,
        lockdowns: lockdowns.map((l) => presentLockdown(l, today)),
      };
    },
  );

  app.post(
    '/api/v1/clusters/:id/cases',
    {
      preHandler: requirePermission('clusters.write'),
      schema: {
        tags: ['clusters'],
        summary: 'Put cases in the cluster',
        params: z.object({ id: z.uuid() }),
        body: z.object({ caseIds: z.array(z.uuid()).min(1).max(500) }),
      },
    },
    async (req) => {
      const { row } = await loadCluster(req, req.params.id, 'clusters.write');
      await checkCases(req, req.body.caseIds);
      await db.tx(async (q) => {
        await attachCases(q, requireActor(req).id, row.id, req.body.caseIds);
        await audit(q, req, {
          action: 'clusters.cases',
          resourceType: 'cluster',
          resourceId: row.id,
          outcome: 'allowed',
          detail: { n: req.body.caseIds.length },
        });
      });
      return presentCluster(
        (await db.query<ClusterRow>(`${CLUSTER_SELECT} WHERE cl.id = $1`, [row.id]))[0]!,
      );
    },
  );

  app.post(
    '/api/v1/clusters/:id/close',
    {
      preHandler: requirePermission('clusters.write'),
      schema: {
        tags: ['clusters'],
        summary: 'Declare the cluster over on a date',
        params: z.object({ id: z.uuid() }),
        body: z.object({ endDate: isoDate }),
      },
    },
    async (req) => {
      const { row } = await loadCluster(req, req.params.id, 'clusters.write');
      if (req.body.endDate < row.start_date) throw fieldError('endDate', 'Trước ngày bắt đầu');
      await db.tx(async (q) => {
        await q.query('UPDATE clusters SET end_date = $2 WHERE id = $1', [
          row.id,
          req.body.endDate,
        ]);
        await audit(q, req, {
          action: 'clusters.close',
          resourceType: 'cluster',
          resourceId: row.id,
          outcome: 'allowed',
        });
      });
      return presentCluster(
        (await db.query<ClusterRow>(`${CLUSTER_SELECT} WHERE cl.id = $1`, [row.id]))[0]!,
      );
    },
  );

  app.get(
    '/api/v1/clusters/:id/graph',
    {
      preHandler: requirePermission('clusters.read'),
      schema: {
        tags: ['clusters'],
        summary:
          'Transmission graph of a cluster: nodes (F0/F1/F2 people) and edges (exposure type and date); people outside your area without name',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { row } = await loadCluster(req, req.params.id, 'clusters.read');
      const ids = (
        await db.query<{ id: string }>('SELECT id FROM cases WHERE cluster_id = $1', [row.id])
      ).map((r) => r.id);
      return { cluster: presentCluster(row), ...(await graphForCases(db, ids, actor)) };
    },
  );

  app.get(
    '/api/v1/persons/:id/chain',
    {
      preHandler: requirePermission('cases.read'),
      schema: {
        tags: ['clusters'],
        summary:
          'Transmission chain around any person: their cases, whose contact they are, and onwards (radius hops)',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({
          radius: z.coerce.number().int().min(0).max(4).default(2).describe('Hops along cases'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const pid = (await canonicalPersonId(db, req.params.id)) ?? req.params.id;
      // The person must be someone the actor may see: in their area, or a case / contact of it.
      const p1: unknown[] = [pid];
      const inScope = await db.query(
        `SELECT 1 FROM persons p WHERE p.id = $1 AND ${personScope(actor.scope, p1)}
         UNION ALL SELECT 1 FROM cases c WHERE c.person_id = $1 AND ${dualScope(actor.scope, p1, 'c', CASE_SECOND)} LIMIT 1`,
        p1,
      );
      if (!inScope[0]) {
        await audit(db, req, {
          action: 'cases.chain',
          resourceType: 'person',
          resourceId: pid,
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw new AppError(404, 'not_found', 'Người không tồn tại');
      }
      await audit(db, req, {
        action: 'cases.chain',
        resourceType: 'person',
        resourceId: pid,
        outcome: 'allowed',
      });
      const ids = await casesAroundPerson(db, pid, req.query.radius);
      return { personId: pid, ...(await graphForCases(db, ids, actor)) };
    },
  );

  // ---- lockdown areas (phong tỏa) ----

  app.post(
    '/api/v1/lockdowns',
    {
      preHandler: requirePermission('clusters.write'),
      schema: {
        tags: ['clusters'],
        summary:
          'Declare a lockdown area (phong tỏa): communes / districts and/or villages, or a named place in a commune, with dates',
        body: z
          .object({
            clientId: z.uuid().optional(),
            name: z.string().trim().min(2).max(200),
            place: z
              .string()
              .trim()
              .max(300)
              .optional()
              .describe('A named place ("Khu công nghiệp Hải Hà")'),
            unitCodes: z
              .array(z.string().regex(/^\d{3}$|^\d{5}$/))
              .max(200)
              .default([])
              .describe('District (3 digits) or commune (5 digits) codes'),
            villageIds: z.array(z.uuid()).max(500).default([]),
            communeCode: z
              .string()
              .regex(/^\d{5}$/)
              .optional()
              .describe('For a named place: its commune'),
            startDate: isoDate,
            endDate: isoDate.optional(),
            clusterId: z.uuid().optional(),
          })
          .refine((b) => b.unitCodes.length + b.villageIds.length > 0 || !!b.communeCode, {
            path: ['unitCodes'],
            message: 'Cần đơn vị hành chính, thôn/bản, hoặc xã của địa điểm',
          }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      if (b.endDate && b.endDate < b.startDate) throw fieldError('endDate', 'Trước ngày bắt đầu');
      if (b.clientId) {
        const prior = await db.query<LockdownRow>(`${LOCKDOWN_SELECT} WHERE l.client_id = $1`, [
          b.clientId,
        ]);
        if (prior[0]) return reply.status(200).send(presentLockdown(prior[0], vnToday()));
      }
      // The areas it covers, and the smallest area holding them all (its jurisdiction).
      const places: Place[] = [];
      for (const [i, code] of b.unitCodes.entries()) {
        const u = await unitPlace(db, code);
        if (!u || u.unit.level === 1)
          throw fieldError(`unitCodes.${i}`, `Không có huyện/xã mã ${code}`);
        places.push(u.place);
      }
      for (const [i, id] of b.villageIds.entries()) {
        const v = await db.query<{
          province_code: string;
          district_code: string;
          commune_code: string;
        }>('SELECT province_code, district_code, commune_code FROM villages WHERE id = $1', [id]);
        if (!v[0]) throw fieldError(`villageIds.${i}`, 'Không có thôn/bản này');
        places.push({
          provinceCode: v[0].province_code,
          districtCode: v[0].district_code,
          communeCode: v[0].commune_code,
          villageId: id,
        });
      }
      if (b.communeCode) {
        const u = await unitPlace(db, b.communeCode, 3);
        if (!u) throw fieldError('communeCode', `Không có xã mã ${b.communeCode}`);
        places.push(u.place);
      }
      const one = <K extends keyof Place>(k: K) => {
        const vals = new Set(places.map((p) => p[k] ?? null));
        return vals.size === 1 ? ([...vals][0] as string | null) : null;
      };
      const holder: Place = {
        provinceCode: one('provinceCode') ?? app.config.province,
        districtCode: one('districtCode'),
        communeCode: one('communeCode'),
      };
      if (!places.every((p) => allowed(actor, 'clusters.write', p))) {
        await audit(db, req, {
          action: 'lockdowns.create',
          resourceType: 'lockdown',
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw new AppError(404, 'not_found', 'Khu vực không thuộc địa bàn của bạn');
      }
      if (b.clusterId) {
        const c = await db.query('SELECT 1 FROM clusters WHERE id = $1', [b.clusterId]);
        if (!c[0]) throw fieldError('clusterId', 'Không có ổ dịch này');
      }
      const row = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO lockdowns (name, place, unit_codes, village_ids, province_code, district_code, commune_code, start_date, end_date,
             cluster_id, client_id, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
          [
            b.name,
            b.place ?? null,
            b.unitCodes,
            b.villageIds,
            holder.provinceCode,
            holder.districtCode ?? null,
            holder.communeCode ?? null,
            b.startDate,
            b.endDate ?? null,
            b.clusterId ?? null,
            b.clientId ?? null,
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'lockdowns.create',
          resourceType: 'lockdown',
          resourceId: ins[0]!.id,
          outcome: 'allowed',
        });
        return (await q.query<LockdownRow>(`${LOCKDOWN_SELECT} WHERE l.id = $1`, [ins[0]!.id]))[0]!;
      });
      return reply.status(201).send(presentLockdown(row, vnToday()));
    },
  );

  app.get(
    '/api/v1/lockdowns',
    {
      preHandler: requirePermission('clusters.read'),
      schema: {
        tags: ['clusters'],
        summary: 'Lockdown areas in your area, with how many people live in each',
        querystring: z.object({
          active: z.enum(['true', 'false']).optional(),
          date: isoDate.optional(),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params, 'l')];
      const day = req.query.date ?? vnToday();
      if (req.query.active === 'true') {
        params.push(day);
        where.push(
          `l.start_date <= $${params.length}::date AND (l.end_date IS NULL OR l.end_date >= $${params.length}::date)`,
        );
      }
      const rows = await db.query<LockdownRow>(
        `${LOCKDOWN_SELECT} WHERE ${where.join(' AND ')} ORDER BY l.start_date DESC, l.id LIMIT 500`,
        params,
      );
      const out = [];
      for (const l of rows) {
        const n = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM persons p WHERE ${RESIDENTS_WHERE}`,
          [l.unit_codes, l.village_ids],
        );
        out.push({ ...presentLockdown(l, day), residents: n[0]!.n });
      }
      return { items: out };
    },
  );

  app.get(
    '/api/v1/lockdowns/:id/residents',
    {
      preHandler: requirePermission('clusters.read'),
      schema: {
        tags: ['clusters'],
        summary:
          'Who lives in a lockdown area: persons whose address commune / village is in it (keyset paged by name)',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ ...pageQuery }),
      },
    },
    async (req) => {
      const { row } = await loadScoped(req, {
        action: 'clusters.read',
        resourceType: 'lockdown',
        id: req.params.id,
        label: 'Khu vực phong tỏa',
        load: async () => {
          const r = (
            await db.query<LockdownRow>(`${LOCKDOWN_SELECT} WHERE l.id = $1`, [req.params.id])
          )[0];
          return (
            r &&
            ({
              provinceCode: r.province_code,
              districtCode: r.district_code,
              communeCode: r.commune_code,
              row: r,
            } as Place & { row: LockdownRow })
          );
        },
      });
      const params: unknown[] = [row.unit_codes, row.village_ids];
      const where = [RESIDENTS_WHERE];
      const after = decodeCursor(req.query.cursor, 2);
      if (after) {
        params.push(String(after[0]), String(after[1]));
        where.push(`(p.search_name, p.id::text) > ($${params.length - 1}, $${params.length})`);
      }
      params.push(req.query.limit + 1);
      const rows = await db.query<{
        id: string;
        full_name: string;
        search_name: string;
        birth_year: number;
        phone: string | null;
        commune_code: string;
        village_id: string | null;
        street: string | null;
      }>(
        `SELECT p.id, p.full_name, p.search_name, p.birth_year, p.phone, p.commune_code, p.village_id, p.street FROM persons p
          WHERE ${where.join(' AND ')} ORDER BY p.search_name, p.id::text LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.search_name, r.id]);
      return {
        lockdown: presentLockdown(row, vnToday()),
        items: pg.items.map((p) => ({
          id: p.id,
          fullName: p.full_name,
          birthYear: p.birth_year,
          phone: maskIdentifier(p.phone),
          communeCode: p.commune_code,
          villageId: p.village_id,
          street: p.street,
        })),
        nextCursor: pg.nextCursor,
      };
    },
  );
}
