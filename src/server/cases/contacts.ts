import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { subjectIds } from '../audit/subjects.ts';
import { denyBodyId } from '../scoped-ids.ts';
import { z } from 'zod';
import { dateOfInstant } from '../../domain/dates.ts';
import { audit, requireActor, requirePermission, scopePredicate } from '../context.ts';
import { fieldError } from '../errors.ts';
import { nextDue } from '../entry/followups.ts';
import { closeOrderFollowUp } from '../care/home-checks.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { orderListSql } from './lists.ts';
import {
  CONTACT_SELECT,
  contactPlaces,
  ORDER_SELECT,
  orderOverdue,
  orderStage,
  presentContact,
  presentOrder,
  type ContactRow,
  type OrderRow,
} from './present.ts';
import { loadScopedAny } from './scope.ts';
import { confirmContact, rejectContact } from './tracing.ts';

const vnToday = () => dateOfInstant(Date.now());

export async function contactRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  const loadContactRow = async (id: string) =>
    (await db.query<ContactRow>(`${CONTACT_SELECT} WHERE k.id = $1`, [id]))[0];
  const loadContact = (req: FastifyRequest, id: string) =>
    loadScopedAny(req, {
      action: 'contacts.write',
      resourceType: 'contact',
      id,
      label: 'Người tiếp xúc',
      auditAllowed: false,
      load: async () => {
        const r = await loadContactRow(id);
        return r && { places: contactPlaces(r), row: r };
      },
    });

  app.get(
    '/api/v1/contacts/:id',
    {
      preHandler: requirePermission('contacts.read'),
      schema: {
        tags: ['tracing'],
        summary: 'One F1/F2 contact with its evidence',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const row = await loadScopedAny(req, {
        action: 'contacts.read',
        resourceType: 'contact',
        id: req.params.id,
        label: 'Người tiếp xúc',
        load: async () => {
          const r = await loadContactRow(req.params.id);
          return r && { places: contactPlaces(r), row: r };
        },
      });
      return presentContact(row);
    },
  );

  app.post(
    '/api/v1/contacts/:id/confirm',
    {
      preHandler: requirePermission('contacts.write'),
      schema: {
        tags: ['tracing'],
        summary:
          'Confirm an F1/F2 candidate; a confirmed F1 gets a quarantine order under the rule set in force and a task for its commune (repeat: 200, same order)',
        params: z.object({ id: z.uuid() }),
        body: z
          .object({
            reason: z.string().trim().max(500).optional().describe('Why (kept with the decision)'),
          })
          .default({}),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const k = await loadContact(req, req.params.id);
      if (k.status === 'confirmed')
        return reply.status(200).send({ ...presentContact(k), replay: true });
      const r = await db.tx(async (q) => {
        const out = await confirmContact(q, k, actor.id, req.body?.reason ?? null);
        await audit(q, req, {
          action: 'contacts.confirm',
          resourceType: 'contact',
          resourceId: k.id,
          outcome: 'allowed',
          reason: req.body?.reason,
          detail: { orderId: out.orderId },
        });
        return out;
      });
      const fresh = (await loadContactRow(k.id))!;
      const order = r.orderId
        ? (await db.query<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [r.orderId]))[0]
        : undefined;
      return reply.status(201).send({
        ...presentContact(fresh),
        quarantineOrder: order ? presentOrder(order, vnToday()) : null,
      });
    },
  );

  app.post(
    '/api/v1/contacts/:id/reject',
    {
      preHandler: requirePermission('contacts.write'),
      schema: {
        tags: ['tracing'],
        summary: 'Reject a candidate (or a confirmed contact) with the reason; cancels its order',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          reason: z
            .string()
            .trim()
            .min(3, 'Nêu lý do (ít nhất 3 ký tự)')
            .max(500)
            .describe('Why this is not a contact'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const k = await loadContact(req, req.params.id);
      if (k.status !== 'rejected')
        await db.tx(async (q) => {
          await rejectContact(q, k, actor.id, req.body.reason);
          await audit(q, req, {
            action: 'contacts.reject',
            resourceType: 'contact',
            resourceId: k.id,
            outcome: 'allowed',
            reason: req.body.reason,
          });
        });
      return presentContact((await loadContactRow(k.id))!);
    },
  );

  // ---- quarantine orders = tracing tasks ----

  const listOrders = async (
    req: FastifyRequest,
    f: {
      commune?: string;
      case?: string;
      status?: string;
      cursor?: string;
      limit: number;
      assigned?: string;
    },
  ) => {
    const actor = requireActor(req);
    const list = orderListSql(
      actor.scope,
      {
        case: f.case,
        commune: f.commune,
        status: f.status,
        assignedTo: f.assigned === 'me' ? actor.id : undefined,
      },
      decodeCursor(f.cursor, ['date', 'uuid']),
      f.limit + 1,
    );
    const rows = await db.query<OrderRow>(list.sql, list.params);
    return page(rows, f.limit, (r) => [r.next_due ?? '9999-12-31', r.id]);
  };

  app.get(
    '/api/v1/quarantine-orders',
    {
      preHandler: requirePermission('contacts.read'),
      schema: {
        tags: ['tracing'],
        summary: 'Quarantine orders of confirmed F1 in your area, next due first',
        querystring: z.object({
          commune: z
            .string()
            .regex(/^\d{5}$/)
            .optional()
            .describe('Commune of the F1'),
          case: z.uuid().optional().describe('Only the orders of this F0 case'),
          status: z.enum(['open', 'completed', 'became_case', 'cancelled', 'all']).default('open'),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const pg = await listOrders(req, req.query);
      await audit(db, req, {
        action: 'orders.list',
        resourceType: 'quarantine_order',
        outcome: 'allowed',
        detail: { count: pg.items.length, subjects: subjectIds(pg.items) },
      });
      const today = vnToday();
      return { items: pg.items.map((o) => presentOrder(o, today)), nextCursor: pg.nextCursor };
    },
  );

  app.get(
    '/api/v1/tracing/board',
    {
      preHandler: requirePermission('contacts.read'),
      schema: {
        tags: ['tracing'],
        summary:
          "A commune's tracing board: F1 to reach, reached, quarantined, tested; overdue highlighted; next due first",
        querystring: z.object({
          commune: z
            .string()
            .regex(/^\d{5}$/)
            .optional()
            .describe('Commune (default: your whole area)'),
          stage: z
            .enum(['to_reach', 'reached', 'quarantined', 'tested', 'overdue'])
            .optional()
            .describe('Only tasks at this stage'),
          assigned: z.enum(['me']).optional().describe('Only tasks assigned to me'),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const today = vnToday();
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params, 'o'), `o.status = 'open'`];
      if (req.query.commune) {
        params.push(req.query.commune);
        where.push(`o.commune_code = $${params.length}`);
      }
      params.push(today);
      const t = `$${params.length}`;
      const counts = (
        await db.query<Record<string, number>>(
          `SELECT count(*) FILTER (WHERE reached_at IS NULL)::int AS to_reach,
                  count(*) FILTER (WHERE reached_at IS NOT NULL AND quarantined_at IS NULL AND tests_done = 0)::int AS reached,
                  count(*) FILTER (WHERE quarantined_at IS NOT NULL AND tests_done = 0)::int AS quarantined,
                  count(*) FILTER (WHERE tests_done > 0)::int AS tested,
                  count(*) FILTER (WHERE next_due < ${t}::date
                    OR (reached_at IS NULL AND created_at < now() - interval '24 hours'))::int AS overdue,
                  count(*) FILTER (WHERE next_due = ${t}::date)::int AS due_today,
                  count(*)::int AS open
             FROM quarantine_orders o WHERE ${where.join(' AND ')}`,
          params,
        )
      )[0]!;
      const pg = await listOrders(req, {
        commune: req.query.commune,
        status: 'open',
        cursor: req.query.cursor,
        limit: req.query.limit,
        assigned: req.query.assigned,
      });
      let items = pg.items;
      const stage = req.query.stage;
      if (stage === 'overdue') items = items.filter((o) => orderOverdue(o, today));
      else if (stage) items = items.filter((o) => orderStage(o) === stage);
      await audit(db, req, {
        action: 'tracing.board',
        resourceType: 'quarantine_order',
        outcome: 'allowed',
        detail: { count: items.length, subjects: subjectIds(items) },
      });
      return {
        today,
        commune: req.query.commune ?? null,
        counts: {
          toReach: counts.to_reach,
          reached: counts.reached,
          quarantined: counts.quarantined,
          tested: counts.tested,
          overdue: counts.overdue,
          dueToday: counts.due_today,
          open: counts.open,
        },
        items: items.map((o) => presentOrder(o, today)),
        nextCursor: pg.nextCursor,
      };
    },
  );

  const loadOrder = (req: FastifyRequest, id: string) =>
    loadScopedAny(req, {
      action: 'contacts.write',
      resourceType: 'quarantine_order',
      id,
      label: 'Nhiệm vụ truy vết',
      auditAllowed: false,
      load: async () => {
        const r = (await db.query<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [id]))[0];
        return (
          r && {
            places: [
              {
                provinceCode: r.province_code,
                districtCode: r.district_code,
                communeCode: r.commune_code,
                villageId: r.village_id,
              },
            ],
            row: r,
          }
        );
      },
    });

  app.post(
    '/api/v1/tracing/tasks/:id/assign',
    {
      preHandler: requirePermission('contacts.write'),
      schema: {
        tags: ['tracing'],
        summary:
          'Assign a tracing task (quarantine order) to a tracer of the commune or a community team',
        params: z.object({ id: z.uuid() }),
        body: z
          .object({
            userId: z.uuid().nullable().optional().describe('A user working in the commune'),
            team: z
              .string()
              .trim()
              .min(2)
              .max(100)
              .nullable()
              .optional()
              .describe('A community team (tổ COVID cộng đồng), by name'),
          })
          .refine((b) => b.userId !== undefined || b.team !== undefined, {
            path: ['userId'],
            message: 'Cần userId hoặc team',
          }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const o = await loadOrder(req, req.params.id);
      const b = req.body;
      if (b.userId) {
        const u = await db.query<{
          commune_code: string | null;
          village_commune: string | null;
          disabled: boolean;
        }>(
          `SELECT u.commune_code, v.commune_code AS village_commune, u.disabled FROM users u
             LEFT JOIN villages v ON v.id = u.village_id WHERE u.id = $1`,
          [b.userId],
        );
        const ok =
          u[0] && !u[0].disabled && (u[0].commune_code ?? u[0].village_commune) === o.commune_code;
        if (!ok)
          throw await denyBodyId(
            req,
            {
              action: 'contacts.assign',
              resourceType: 'user',
              id: b.userId,
              field: 'userId',
              found: !!u[0],
            },
            'Người dùng',
          );
      }
      await db.tx(async (q) => {
        await q.query(
          `UPDATE quarantine_orders SET assigned_user_id = CASE WHEN $2 THEN $3::uuid ELSE assigned_user_id END,
             assigned_team = CASE WHEN $4 THEN $5 ELSE assigned_team END, updated_at = now() WHERE id = $1`,
          [o.id, b.userId !== undefined, b.userId ?? null, b.team !== undefined, b.team ?? null],
        );
        await q.query(
          `INSERT INTO quarantine_order_events (order_id, kind, at, data, recorded_by) VALUES ($1, 'assigned', now(), $2, $3)`,
          [o.id, JSON.stringify({ userId: b.userId ?? null, team: b.team ?? null }), actor.id],
        );
        await audit(q, req, {
          action: 'tracing.assign',
          resourceType: 'quarantine_order',
          resourceId: o.id,
          outcome: 'allowed',
        });
      });
      const fresh = (await db.query<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [o.id]))[0]!;
      return presentOrder(fresh, vnToday());
    },
  );

  app.post(
    '/api/v1/tracing/tasks/:id/events',
    {
      preHandler: requirePermission('contacts.write'),
      schema: {
        tags: ['tracing'],
        summary:
          'Record progress of a tracing task: reached, quarantined, a test, completed, a note',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          clientId: z.uuid().optional().describe('A replay does not count twice'),
          kind: z.enum(['reached', 'quarantined', 'test', 'completed', 'note']),
          at: z.iso.datetime({ offset: true }).optional(),
          result: z.enum(['negative', 'positive', 'pending']).optional().describe('For a test'),
          note: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const o = await loadOrder(req, req.params.id);
      const b = req.body;
      const at = b.at ? new Date(b.at) : new Date();
      if (at.getTime() > Date.now() + 5 * 60_000) throw fieldError('at', 'Thời điểm ở tương lai');
      if (o.status !== 'open' && b.kind !== 'note') throw fieldError('kind', 'Nhiệm vụ đã đóng');
      if (b.kind === 'test' && !b.result) throw fieldError('result', 'Cần kết quả xét nghiệm');
      const replay = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO quarantine_order_events (client_id, order_id, kind, at, data, recorded_by) VALUES ($1,$2,$3,$4,$5,$6)
           ON CONFLICT (client_id) DO NOTHING RETURNING id`,
          [
            b.clientId ?? null,
            o.id,
            b.kind,
            at.toISOString(),
            JSON.stringify({ result: b.result ?? null, note: b.note ?? null }),
            actor.id,
          ],
        );
        if (!ins[0]) return true;
        const testsDone = o.tests_done + (b.kind === 'test' ? 1 : 0);
        const done = b.kind === 'completed';
        await q.query(
          `UPDATE quarantine_orders SET tests_done = $2, status = CASE WHEN $3 THEN 'completed' ELSE status END,
             next_due = CASE WHEN $3 THEN NULL ELSE $4::date END,
             reached_at = CASE WHEN $5 IN ('reached', 'quarantined', 'test') THEN coalesce(reached_at, $6::timestamptz) ELSE reached_at END,
             quarantined_at = CASE WHEN $5 = 'quarantined' THEN coalesce(quarantined_at, $6::timestamptz) ELSE quarantined_at END,
             updated_at = now() WHERE id = $1`,
          [
            o.id,
            testsDone,
            done,
            nextDue(o.test_dates, testsDone, o.monitoring_ends),
            b.kind,
            at.toISOString(),
          ],
        );
        if (done) await closeOrderFollowUp(q, { orderId: o.id }); // issue 11 item 4
        await audit(q, req, {
          action: `tracing.${b.kind}`,
          resourceType: 'quarantine_order',
          resourceId: o.id,
          outcome: 'allowed',
        });
        return false;
      });
      const fresh = (await db.query<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [o.id]))[0]!;
      return reply.status(replay ? 200 : 201).send(presentOrder(fresh, vnToday()));
    },
  );
}
