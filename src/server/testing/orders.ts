import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { subjectIds } from '../audit/subjects.ts';
import { personInScope, placeInScope } from '../scoped-ids.ts';
import { z } from 'zod';
import { contains } from '../../domain/access.ts';
import { dateOfInstant, isValidIsoDate } from '../../domain/dates.ts';
import {
  CAMPAIGN_KINDS,
  ORDER_REASON_LABELS,
  ORDER_REASONS,
  type OrderReason,
} from '../../domain/testing.ts';
import { audit, requireActor, requirePermission, scopePredicate, type Actor } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { canonicalPersonId, managingPlace } from '../people/store.ts';
import { newSpecimenCode } from './apply.ts';
import { loadTestScoped, testContains, testScope } from './scope.ts';

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
const isoDate = z.string().refine(isValidIsoDate, 'Ngày không hợp lệ (YYYY-MM-DD)');

export interface OrderRow {
  id: string;
  person_id: string;
  test_type: string;
  reason: OrderReason;
  campaign_id: string | null;
  pool_id: string | null;
  confirms_result_id: string | null;
  status: string;
  note: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  site_id: string | null;
  lab_site_id: string | null;
  created_at: string | Date;
}
export const ORDER_COLUMNS = `o.id, o.person_id, o.test_type, o.reason, o.campaign_id, o.pool_id, o.confirms_result_id,
  o.status, o.note, o.province_code, o.district_code, o.commune_code, o.site_id, o.lab_site_id, o.created_at`;

export const presentOrder = (o: OrderRow, extra: Record<string, unknown> = {}) => ({
  id: o.id,
  personId: o.person_id,
  testType: o.test_type,
  reason: o.reason,
  reasonLabel: ORDER_REASON_LABELS[o.reason],
  campaignId: o.campaign_id,
  poolId: o.pool_id,
  confirmsResultId: o.confirms_result_id,
  status: o.status,
  note: o.note,
  communeCode: o.commune_code,
  siteId: o.site_id,
  labSiteId: o.lab_site_id,
  createdAt: iso(o.created_at),
  ...extra,
});

export interface SpecimenRow {
  id: string;
  code: string;
  order_id: string;
  person_id: string;
  test_type: string;
  sampled_at: string | Date;
  sampled_by: string | null;
  sample_place: string | null;
  status: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  site_id: string | null;
  lab_site_id: string | null;
  symptoms: boolean;
  created_at: string | Date;
  lookup_code: string;
}
export const SPECIMEN_COLUMNS = `s.id, s.code, s.order_id, s.person_id, s.test_type, s.sampled_at, s.sampled_by,
  s.sample_place, s.status, s.province_code, s.district_code, s.commune_code, s.site_id, s.lab_site_id, s.symptoms,
  s.created_at, s.lookup_code`;

export const presentSpecimen = (s: SpecimenRow, extra: Record<string, unknown> = {}) => ({
  id: s.id,
  code: s.code,
  /** What the label's barcode / QR encodes: the code itself. */
  label: { code: s.code, qrText: s.code },
  orderId: s.order_id,
  personId: s.person_id,
  testType: s.test_type,
  sampledAt: iso(s.sampled_at),
  symptoms: s.symptoms,
  sampledBy: s.sampled_by,
  samplePlace: s.sample_place,
  status: s.status,
  communeCode: s.commune_code,
  siteId: s.site_id,
  labSiteId: s.lab_site_id,
  createdAt: iso(s.created_at),
  /** The person's secret for the public result page, printed on their slip (issue 10). */
  lookupCode: s.lookup_code,
  ...extra,
});

const personSummary = (r: { full_name: string; birth_year: number }) => ({
  fullName: r.full_name,
  birthYear: r.birth_year,
});

/** A person the actor may order or sample for: in their jurisdiction; else 404 (audited). */
export async function scopedPerson(
  q: Queryable,
  req: FastifyRequest,
  _actor: Actor,
  personId: string,
  action: 'tests.order' | 'tests.write',
) {
  return personInScope(req, personId, { action, field: 'personId', q });
}

async function labSite(q: Queryable, id: string, field: string) {
  const s = await q.query<{ id: string }>(
    "SELECT id FROM sites WHERE id = $1 AND kind = 'lab' AND NOT disabled",
    [id],
  );
  if (!s[0]) throw fieldError(field, 'Không có phòng xét nghiệm này');
  return s[0].id;
}

async function testType(q: Queryable, code: string, field: string) {
  const t = await q.query<{ code: string; kind: string }>(
    'SELECT code, kind FROM test_types WHERE code = $1 AND NOT disabled',
    [code],
  );
  if (!t[0]) throw fieldError(field, `Không có loại xét nghiệm ${code} trong danh mục`);
  return t[0];
}

const actorSiteId = (a: Actor) => (a.scope.level === 'site' ? (a.scope.siteId ?? null) : null);

export async function orderRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/test-types',
    {
      preHandler: requirePermission('tests.read'),
      schema: { tags: ['testing'], summary: 'The test-type catalogue (RT-PCR, rapid antigen…)' },
    },
    async () => {
      const rows = await db.query<{
        code: string;
        kind: string;
        name_vi: string;
        name_en: string;
        poolable: boolean;
      }>(
        'SELECT code, kind, name_vi, name_en, poolable FROM test_types WHERE NOT disabled ORDER BY code',
      );
      return {
        items: rows.map((r) => ({
          code: r.code,
          kind: r.kind,
          name: { vi: r.name_vi, en: r.name_en },
          poolable: r.poolable,
        })),
      };
    },
  );

  // ---- campaigns
  app.post(
    '/api/v1/test-campaigns',
    {
      preHandler: requirePermission('tests.order'),
      schema: {
        tags: ['testing'],
        summary:
          'A screening campaign (sàng lọc) at a market, bus station, village… that groups orders',
        body: z.object({
          clientId: z.uuid().optional().describe('Idempotency key from the device'),
          name: z
            .string()
            .trim()
            .min(3)
            .max(200)
            .describe('e.g. "Sàng lọc chợ Mường Thanh 12/01/2022"'),
          kind: z.enum(CAMPAIGN_KINDS),
          communeCode: z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số'),
          villageId: z.uuid().optional(),
          startsOn: isoDate,
          endsOn: isoDate.optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      if (b.endsOn && b.endsOn < b.startsOn)
        throw fieldError('endsOn', 'Ngày kết thúc trước ngày bắt đầu');
      const unit = (
        await db.query<{ code: string; province_code: string; district_code: string }>(
          'SELECT code, province_code, district_code FROM admin_units WHERE code = $1 AND level = 3',
          [b.communeCode],
        )
      )[0];
      if (!unit) throw fieldError('communeCode', `Không có xã mã ${b.communeCode}`);
      if (
        !contains(actor.scope, {
          provinceCode: unit.province_code,
          districtCode: unit.district_code,
          communeCode: unit.code,
        })
      )
        throw notFound('Xã');
      if (b.villageId) {
        const v = await db.query('SELECT 1 FROM villages WHERE id = $1 AND commune_code = $2', [
          b.villageId,
          unit.code,
        ]);
        if (!v[0]) throw fieldError('villageId', 'Thôn/bản không thuộc xã đã chọn');
      }
      const r = await db.tx(async (q) => {
        const rows = await q.query<{ id: string }>(
          `INSERT INTO test_campaigns (name, kind, province_code, district_code, commune_code, village_id, starts_on, ends_on, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
          [
            b.name,
            b.kind,
            unit.province_code,
            unit.district_code,
            unit.code,
            b.villageId ?? null,
            b.startsOn,
            b.endsOn ?? null,
            b.clientId ?? null,
            actor.id,
          ],
        );
        if (!rows[0]) {
          const prior = await q.query<{ id: string }>(
            'SELECT id FROM test_campaigns WHERE client_id = $1',
            [b.clientId],
          );
          return { id: prior[0]!.id, created: false };
        }
        await audit(q, req, {
          action: 'tests.order',
          resourceType: 'test_campaign',
          resourceId: rows[0].id,
          outcome: 'allowed',
        });
        return { id: rows[0].id, created: true };
      });
      return reply.status(r.created ? 201 : 200).send({ id: r.id, ...b, replay: !r.created });
    },
  );

  app.get(
    '/api/v1/test-campaigns',
    {
      preHandler: requirePermission('tests.read'),
      schema: {
        tags: ['testing'],
        summary: 'Campaigns in your area, newest first, with order counts',
        querystring: z.object({ ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const scope = actor.scope.level === 'site' ? null : scopePredicate(actor.scope, params, 'c');
      const where = [scope ?? 'false'];
      const after = decodeCursor(req.query.cursor, ['date', 'uuid']);
      if (after) {
        params.push(after[0], after[1]);
        where.push(`(c.starts_on, c.id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
      }
      params.push(req.query.limit + 1);
      const rows = await db.query<{
        id: string;
        name: string;
        kind: string;
        commune_code: string;
        village_id: string | null;
        starts_on: string;
        ends_on: string | null;
        orders: number;
      }>(
        `SELECT c.id, c.name, c.kind, c.commune_code, c.village_id, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on,
           (SELECT count(*)::int FROM test_orders o WHERE o.campaign_id = c.id) AS orders
           FROM test_campaigns c WHERE ${where.join(' AND ')} ORDER BY c.starts_on DESC, c.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.starts_on, r.id]);
      return {
        items: pg.items.map((r) => ({
          id: r.id,
          name: r.name,
          kind: r.kind,
          communeCode: r.commune_code,
          villageId: r.village_id,
          startsOn: r.starts_on,
          endsOn: r.ends_on,
          orders: r.orders,
        })),
        nextCursor: pg.nextCursor,
      };
    },
  );

  // ---- lab capacity and load
  app.put(
    '/api/v1/labs/:siteId/capacity',
    {
      preHandler: requirePermission('labs.manage'),
      schema: {
        tags: ['testing'],
        summary: "Set a lab's daily capacity (single and pooled samples)",
        params: z.object({ siteId: z.uuid() }),
        body: z.object({
          singlePerDay: z
            .number()
            .int()
            .min(0)
            .max(1_000_000)
            .describe('Mẫu đơn / ngày, e.g. 1500'),
          pooledPerDay: z
            .number()
            .int()
            .min(0)
            .max(1_000_000)
            .describe('Mẫu gộp / ngày, e.g. 10000'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      if (actor.scope.siteId !== req.params.siteId) {
        await audit(db, req, {
          action: 'labs.manage',
          resourceType: 'lab',
          resourceId: req.params.siteId,
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw notFound('Phòng xét nghiệm');
      }
      await db.tx(async (q) => {
        await q.query(
          `INSERT INTO lab_capacity (site_id, single_per_day, pooled_per_day, updated_by) VALUES ($1,$2,$3,$4)
           ON CONFLICT (site_id) DO UPDATE SET single_per_day = EXCLUDED.single_per_day, pooled_per_day = EXCLUDED.pooled_per_day,
             updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [req.params.siteId, req.body.singlePerDay, req.body.pooledPerDay, actor.id],
        );
        await audit(q, req, {
          action: 'labs.manage',
          resourceType: 'lab',
          resourceId: req.params.siteId,
          outcome: 'allowed',
          detail: req.body,
        });
      });
      return { siteId: req.params.siteId, ...req.body };
    },
  );

  app.get(
    '/api/v1/labs/load',
    {
      preHandler: requirePermission('tests.stats'),
      schema: {
        tags: ['testing'],
        summary:
          "Labs in your area: capacity, today's samples (single / in pools) and the pending queue",
        querystring: z.object({
          date: isoDate.optional().describe('Day (Vietnam time), default today'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const day = req.query.date ?? dateOfInstant(Date.now());
      const params: unknown[] = [day];
      const where =
        actor.scope.level === 'site'
          ? `s.id = $${params.push(actor.scope.siteId)}`
          : scopePredicate(actor.scope, params, 's');
      const rows = await db.query<{
        id: string;
        name: string;
        commune_code: string;
        single_per_day: number | null;
        pooled_per_day: number | null;
        single_today: number;
        pooled_today: number;
        pending: number;
        pools_open: number;
      }>(
        `SELECT s.id, s.name, s.commune_code, c.single_per_day, c.pooled_per_day,
           (SELECT count(*)::int FROM test_results r WHERE r.lab_site_id = s.id AND r.sample_date = $1 AND r.source <> 'pool') AS single_today,
           (SELECT count(*)::int FROM pool_members m JOIN pools p ON p.id = m.pool_id
             WHERE p.lab_site_id = s.id AND (p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $1) AS pooled_today,
           (SELECT count(*)::int FROM specimens x WHERE x.lab_site_id = s.id AND x.status IN ('collected','in_pool','awaiting_retest')) AS pending,
           (SELECT count(*)::int FROM pools p WHERE p.lab_site_id = s.id AND p.status = 'open') AS pools_open
           FROM sites s LEFT JOIN lab_capacity c ON c.site_id = s.id
          WHERE s.kind = 'lab' AND NOT s.disabled AND ${where} ORDER BY s.name, s.id LIMIT 500`,
        params,
      );
      return {
        date: day,
        items: rows.map((r) => ({
          siteId: r.id,
          name: r.name,
          communeCode: r.commune_code,
          capacity:
            r.single_per_day === null
              ? null
              : { singlePerDay: r.single_per_day, pooledPerDay: r.pooled_per_day },
          today: { single: r.single_today, pooled: r.pooled_today },
          pendingSpecimens: r.pending,
          openPools: r.pools_open,
          /** Share of the day's capacity used (single ÷ single capacity + pooled ÷ pooled capacity), null without capacity. */
          loadRatio:
            r.single_per_day === null
              ? null
              : Math.round(
                  ((r.single_per_day ? r.single_today / r.single_per_day : 0) +
                    (r.pooled_per_day ? r.pooled_today / r.pooled_per_day! : 0)) *
                    1000,
                ) / 1000,
        })),
      };
    },
  );

  // ---- orders
  const orderBody = z.object({
    clientId: z
      .uuid()
      .describe('Idempotency key from the device: a replay returns the first order'),
    personId: z.uuid().describe('The person to test (must be in your area)'),
    testType: z.string().min(1).max(40).describe('Catalogue code: rt_pcr, rapid_antigen'),
    reason: z.enum(
      ORDER_REASONS.filter((r) => r !== 'pool_retest' && r !== 'import') as [
        OrderReason,
        ...OrderReason[],
      ],
    ),
    campaignId: z.uuid().optional(),
    labSiteId: z.uuid().optional().describe('The lab the sample will go to'),
    note: z.string().trim().max(500).optional(),
  });

  app.post(
    '/api/v1/test-orders',
    {
      preHandler: requirePermission('tests.order'),
      schema: {
        tags: ['testing'],
        summary: 'Order a test for a person (follow-up, contact, screening, workplace, request)',
        body: orderBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const prior = await db.query<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM test_orders o WHERE o.client_id = $1`,
        [b.clientId],
      );
      if (prior[0]) {
        if (
          prior[0].person_id !== b.personId &&
          (await canonicalPersonId(db, b.personId)) !== prior[0].person_id
        )
          throw fieldError('clientId', 'clientId đã dùng cho chỉ định khác');
        return reply.status(200).send(presentOrder(prior[0], { replay: true }));
      }
      const person = await scopedPerson(db, req, actor, b.personId, 'tests.order');
      await testType(db, b.testType, 'testType');
      if (b.labSiteId) await labSite(db, b.labSiteId, 'labSiteId');
      if (b.campaignId) {
        const c = await db.query<{
          province_code: string;
          district_code: string;
          commune_code: string;
          village_id: string | null;
        }>(
          'SELECT province_code, district_code, commune_code, village_id FROM test_campaigns WHERE id = $1',
          [b.campaignId],
        );
        await placeInScope(req, {
          action: 'tests.order',
          resourceType: 'test_campaign',
          id: b.campaignId,
          field: 'campaignId',
          place: c[0] && {
            provinceCode: c[0].province_code,
            districtCode: c[0].district_code,
            communeCode: c[0].commune_code,
            villageId: c[0].village_id,
          },
          label: 'Đợt sàng lọc',
        });
      }
      const row = await db.tx(async (q) => {
        const rows = await q.query<OrderRow>(
          `INSERT INTO test_orders AS o (person_id, test_type, reason, campaign_id, note, province_code, district_code, commune_code,
             site_id, lab_site_id, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (client_id) DO NOTHING RETURNING ${ORDER_COLUMNS}`,
          [
            person.id,
            b.testType,
            b.reason,
            b.campaignId ?? null,
            b.note ?? null,
            // filed under the unit managing the person (where they are now), issue 13
            managingPlace(person).provinceCode,
            managingPlace(person).districtCode,
            managingPlace(person).communeCode,
            actorSiteId(actor),
            b.labSiteId ?? null,
            b.clientId,
            actor.id,
          ],
        );
        if (rows[0])
          await audit(q, req, {
            action: 'tests.order',
            resourceType: 'test_order',
            resourceId: rows[0].id,
            outcome: 'allowed',
            detail: { personId: person.id },
          });
        return rows[0];
      });
      if (!row) {
        const again = await db.query<OrderRow>(
          `SELECT ${ORDER_COLUMNS} FROM test_orders o WHERE o.client_id = $1`,
          [b.clientId],
        );
        return reply.status(200).send(presentOrder(again[0]!, { replay: true }));
      }
      return reply.status(201).send(presentOrder(row, { person: personSummary(person) }));
    },
  );

  const loadOrder = (req: Parameters<typeof loadTestScoped>[0], id: string) =>
    loadTestScoped(req, {
      action: 'tests.read',
      resourceType: 'test_order',
      id,
      label: 'Chỉ định xét nghiệm',
      load: async () =>
        (
          await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM test_orders o WHERE o.id = $1`, [
            id,
          ])
        )[0],
    });

  app.get(
    '/api/v1/test-orders/:id',
    {
      preHandler: requirePermission('tests.read'),
      schema: { tags: ['testing'], params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const o = await loadOrder(req, req.params.id);
      const p = (
        await db.query<{ full_name: string; birth_year: number }>(
          'SELECT full_name, birth_year FROM persons WHERE id = $1',
          [o.person_id],
        )
      )[0]!;
      const specimens = await db.query<SpecimenRow>(
        `SELECT ${SPECIMEN_COLUMNS} FROM specimens s WHERE s.order_id = $1 ORDER BY s.sampled_at`,
        [o.id],
      );
      return presentOrder(o, {
        person: personSummary(p),
        specimens: specimens.map((s) => presentSpecimen(s)),
      });
    },
  );

  app.get(
    '/api/v1/test-orders',
    {
      preHandler: requirePermission('tests.read'),
      schema: {
        tags: ['testing'],
        summary: 'Orders in your area (a site: its own / sent to it), newest first',
        querystring: z.object({
          status: z.enum(['ordered', 'sampled', 'resulted', 'cancelled']).optional(),
          reason: z.enum(ORDER_REASONS).optional(),
          campaignId: z.uuid().optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where = [testScope(actor.scope, params, 'o')];
      const qy = req.query;
      if (qy.status) where.push(`o.status = $${params.push(qy.status)}`);
      if (qy.reason) where.push(`o.reason = $${params.push(qy.reason)}`);
      if (qy.campaignId) where.push(`o.campaign_id = $${params.push(qy.campaignId)}`);
      const after = decodeCursor(qy.cursor, ['timestamp', 'uuid']);
      if (after) {
        params.push(after[0], after[1]);
        where.push(
          `(o.created_at, o.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
        );
      }
      params.push(qy.limit + 1);
      const rows = await db.query<OrderRow & { full_name: string; birth_year: number }>(
        `SELECT ${ORDER_COLUMNS}, p.full_name, p.birth_year FROM test_orders o JOIN persons p ON p.id = o.person_id
          WHERE ${where.join(' AND ')} ORDER BY o.created_at DESC, o.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, qy.limit, (r) => [iso(r.created_at)!, r.id]);
      await audit(db, req, {
        action: 'tests.read',
        resourceType: 'test_order',
        outcome: 'allowed',
        detail: { count: pg.items.length, subjects: subjectIds(pg.items) },
      });
      return {
        items: pg.items.map((r) => presentOrder(r, { person: personSummary(r) })),
        nextCursor: pg.nextCursor,
      };
    },
  );

  // ---- specimens
  const specimenBody = z
    .object({
      clientId: z.uuid().describe('Idempotency key from the device'),
      orderId: z
        .uuid()
        .optional()
        .describe('The order sampled; or personId + testType to order and sample at once'),
      personId: z.uuid().optional(),
      testType: z.string().min(1).max(40).optional(),
      reason: z
        .enum(['follow_up', 'contact', 'screening', 'workplace', 'request'])
        .default('request'),
      campaignId: z.uuid().optional(),
      code: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z0-9._/-]{3,40}$/, 'Mã mẫu 3–40 ký tự chữ, số, . _ / -')
        .optional()
        .describe(
          'Code of a pre-printed label; omitted: the server draws one (XN + 10 characters)',
        ),
      sampledAt: z.iso.datetime({ offset: true, message: 'Thời điểm dạng ISO 8601' }),
      sampledBy: z.string().trim().max(120).optional().describe('Người lấy mẫu'),
      samplePlace: z.string().trim().max(300).optional().describe('Nơi lấy mẫu'),
      symptoms: z
        .boolean()
        .default(false)
        .describe('The person has symptoms: the sample is tested singly, never pooled'),
      labSiteId: z.uuid().optional(),
    })
    .refine((b) => !!b.orderId !== !!(b.personId && b.testType), {
      path: ['orderId'],
      message: 'Cần orderId, hoặc personId và testType',
    });

  app.post(
    '/api/v1/specimens',
    {
      preHandler: requirePermission('tests.write'),
      schema: {
        tags: ['testing'],
        summary: 'Record a sample taken (who, where, when) → its label code',
        body: specimenBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const prior = await db.query<SpecimenRow>(
        `SELECT ${SPECIMEN_COLUMNS} FROM specimens s WHERE s.client_id = $1`,
        [b.clientId],
      );
      if (prior[0]) return reply.status(200).send(presentSpecimen(prior[0], { replay: true }));
      const sampledMs = Date.parse(b.sampledAt);
      if (sampledMs > Date.now() + 10 * 60_000)
        throw fieldError('sampledAt', 'Thời điểm ở tương lai');
      if (b.labSiteId) await labSite(db, b.labSiteId, 'labSiteId');
      let order: OrderRow;
      if (b.orderId) {
        const o = (
          await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM test_orders o WHERE o.id = $1`, [
            b.orderId,
          ])
        )[0];
        if (!o || !testContains(actor.scope, o)) {
          await audit(db, req, {
            action: 'tests.write',
            resourceType: 'test_order',
            resourceId: b.orderId,
            outcome: 'denied',
            reason: o ? 'outside_scope' : 'not_found',
          });
          throw notFound('Chỉ định xét nghiệm');
        }
        if (o.status === 'cancelled' || o.status === 'resulted')
          throw fieldError('orderId', 'Chỉ định đã có kết quả hoặc đã hủy');
        order = o;
      } else {
        const person = await scopedPerson(db, req, actor, b.personId!, 'tests.write');
        await testType(db, b.testType!, 'testType');
        order = {
          id: '',
          person_id: person.id,
          test_type: b.testType!,
          reason: b.reason,
          campaign_id: b.campaignId ?? null,
          pool_id: null,
          confirms_result_id: null,
          status: 'ordered',
          note: null,
          province_code: managingPlace(person).provinceCode,
          district_code: managingPlace(person).districtCode,
          commune_code: managingPlace(person).communeCode,
          site_id: actorSiteId(actor),
          lab_site_id: b.labSiteId ?? null,
          created_at: new Date(),
        };
      }
      const lab =
        b.labSiteId ?? order.lab_site_id ?? (actor.siteKind === 'lab' ? actorSiteId(actor) : null);
      const row = await db.tx(async (q) => {
        let orderId = order.id;
        if (!orderId) {
          orderId = (
            await q.query<{ id: string }>(
              `INSERT INTO test_orders (person_id, test_type, reason, campaign_id, province_code, district_code, commune_code,
                 site_id, lab_site_id, status, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'sampled',$10) RETURNING id`,
              [
                order.person_id,
                order.test_type,
                order.reason,
                order.campaign_id,
                order.province_code,
                order.district_code,
                order.commune_code,
                order.site_id,
                lab,
                actor.id,
              ],
            )
          )[0]!.id;
        } else {
          await q.query(
            `UPDATE test_orders SET status = 'sampled', lab_site_id = coalesce(lab_site_id, $2), updated_at = now() WHERE id = $1`,
            [orderId, lab],
          );
        }
        if (b.code) {
          const taken = await q.query('SELECT 1 FROM specimens WHERE code = $1', [b.code]);
          if (taken[0])
            throw new AppError(409, 'conflict', `Mã mẫu ${b.code} đã dùng`, [
              { path: 'code', message: 'Mã mẫu đã dùng' },
            ]);
        }
        for (let attempt = 0; attempt < 6; attempt++) {
          const rows = await q.query<SpecimenRow>(
            `INSERT INTO specimens AS s (code, order_id, person_id, test_type, sampled_at, sampled_by, sample_place, province_code,
               district_code, commune_code, site_id, lab_site_id, client_id, created_by, symptoms)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) ON CONFLICT (code) DO NOTHING RETURNING ${SPECIMEN_COLUMNS}`,
            [
              b.code ?? newSpecimenCode(),
              orderId,
              order.person_id,
              order.test_type,
              b.sampledAt,
              b.sampledBy ?? null,
              b.samplePlace ?? null,
              order.province_code,
              order.district_code,
              order.commune_code,
              order.site_id ?? actorSiteId(actor),
              lab,
              b.clientId,
              actor.id,
              b.symptoms,
            ],
          );
          if (rows[0]) {
            await audit(q, req, {
              action: 'tests.write',
              resourceType: 'specimen',
              resourceId: rows[0].id,
              outcome: 'allowed',
            });
            return rows[0];
          }
          if (b.code) break;
        }
        throw new Error('could not draw a free specimen code');
      });
      return reply.status(201).send(presentSpecimen(row));
    },
  );

  app.get(
    '/api/v1/specimens/:id',
    {
      preHandler: requirePermission('tests.read'),
      schema: { tags: ['testing'], params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const s = await loadTestScoped(req, {
        action: 'tests.read',
        resourceType: 'specimen',
        id: req.params.id,
        label: 'Mẫu xét nghiệm',
        load: async () =>
          (
            await db.query<SpecimenRow>(
              `SELECT ${SPECIMEN_COLUMNS} FROM specimens s WHERE s.id = $1`,
              [req.params.id],
            )
          )[0],
      });
      const p = (
        await db.query<{ full_name: string; birth_year: number }>(
          'SELECT full_name, birth_year FROM persons WHERE id = $1',
          [s.person_id],
        )
      )[0]!;
      return presentSpecimen(s, { person: personSummary(p) });
    },
  );

  app.get(
    '/api/v1/specimens',
    {
      preHandler: requirePermission('tests.read'),
      schema: {
        tags: ['testing'],
        summary: 'Specimens in your area / at your lab, newest sample first',
        querystring: z.object({
          status: z
            .enum(['collected', 'in_pool', 'awaiting_retest', 'resulted', 'rejected'])
            .optional(),
          code: z.string().trim().toUpperCase().max(40).optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where = [testScope(actor.scope, params, 's')];
      const qy = req.query;
      if (qy.status) where.push(`s.status = $${params.push(qy.status)}`);
      if (qy.code) where.push(`s.code = $${params.push(qy.code)}`);
      const after = decodeCursor(qy.cursor, ['timestamp', 'uuid']);
      if (after) {
        params.push(after[0], after[1]);
        where.push(
          `(s.sampled_at, s.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
        );
      }
      params.push(qy.limit + 1);
      const rows = await db.query<SpecimenRow & { full_name: string; birth_year: number }>(
        `SELECT ${SPECIMEN_COLUMNS}, p.full_name, p.birth_year FROM specimens s JOIN persons p ON p.id = s.person_id
          WHERE ${where.join(' AND ')} ORDER BY s.sampled_at DESC, s.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, qy.limit, (r) => [iso(r.sampled_at)!, r.id]);
      await audit(db, req, {
        action: 'tests.read',
        resourceType: 'specimen',
        outcome: 'allowed',
        detail: { count: pg.items.length, subjects: subjectIds(pg.items) },
      });
      return {
        // A list does not carry the people's lookup codes (the specimen page does, for its slip).
        items: pg.items.map((r) =>
          presentSpecimen(r, { person: personSummary(r), lookupCode: undefined }),
        ),
        nextCursor: pg.nextCursor,
      };
    },
  );
}
