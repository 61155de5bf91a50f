import { maskIdentifier } from '../../domain/masking.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { subjectIds } from '../audit/subjects.ts';
import { z } from 'zod';
import { dateOfInstant, isValidIsoDate } from '../../domain/dates.ts';
import { SYMPTOMS } from '../../domain/declaration.ts';
import { ARRIVAL_ACTION_LABELS, type ArrivalAction } from '../../domain/rulesets.ts';
import { audit, loadScoped, requireActor, requirePermission } from '../context.ts';
import { fieldError } from '../errors.ts';
import { homeCheckAlert } from '../care/alerts-store.ts';
import { followUpDue } from '../../domain/care-home.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { followUpListSql } from './lists.ts';

/** The next date something is due: the first test not yet done, else the end of monitoring. */
export function nextDue(
  testDates: readonly string[],
  testsDone: number,
  monitoringEnds: string,
): string {
  return testDates[testsDone] ?? monitoringEnds;
}

interface FollowUpRow {
  id: string;
  entry_id: string | null;
  quarantine_order_id: string | null;
  person_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string | null;
  out_of_province: boolean;
  action: ArrivalAction;
  start_date: string;
  quarantine_ends: string | null;
  monitoring_ends: string;
  test_dates: string[];
  tests_done: number;
  status: 'open' | 'completed' | 'moved_away';
  contacted_at: string | Date | null;
  last_check_at: string | Date | null;
  next_due: string | null;
  checks_from: string;
  full_name?: string;
  birth_year?: number;
  phone?: string | null;
  explanation?: { vi: string; en: string } | null;
  dest_address?: string | null;
  village_name?: string | null;
}
const FU_COLUMNS = `f.id, f.entry_id, f.quarantine_order_id, f.person_id, f.province_code, f.district_code, f.commune_code, f.village_id,
  f.out_of_province, f.action, f.start_date::text AS start_date, f.quarantine_ends::text AS quarantine_ends,
  f.monitoring_ends::text AS monitoring_ends, f.test_dates::text[] AS test_dates, f.tests_done, f.status, f.contacted_at,
  f.last_check_at, f.next_due::text AS next_due,
  coalesce(f.checks_from, f.start_date)::text AS checks_from`;
// A follow-up comes from an arrival (entry) or from an F1 home quarantine order (issue 11 item 4).
const FU_JOINS = `JOIN persons p ON p.id = f.person_id LEFT JOIN entries e ON e.id = f.entry_id
  LEFT JOIN quarantine_orders qo ON qo.id = f.quarantine_order_id LEFT JOIN villages v ON v.id = f.village_id`;
const FU_FROM = `follow_ups f ${FU_JOINS}`;
const FU_EXTRA = `p.full_name, p.birth_year, p.phone, coalesce(e.decision->'explanation', qo.explanation) AS explanation,
  e.dest_address, v.name AS village_name`;
/** What the list selects and joins after its index arms (the plan test EXPLAINs it). */
export const FOLLOW_UP_SELECT = { columns: `${FU_COLUMNS}, ${FU_EXTRA}`, joins: FU_JOINS };

const presentFollowUp = (f: FollowUpRow, today: string) => ({
  id: f.id,
  entryId: f.entry_id,
  /** Set when the follow-up is an F1's home quarantine order rather than an arrival. */
  quarantineOrderId: f.quarantine_order_id,
  // Issue 10 item 10: masked here; the "call" button reads it whole from the person (audited).
  person: {
    id: f.person_id,
    fullName: f.full_name,
    birthYear: f.birth_year,
    phone: maskIdentifier(f.phone),
  },
  communeCode: f.commune_code,
  districtCode: f.district_code,
  villageId: f.village_id,
  villageName: f.village_name ?? null,
  /** Where the person said they would stay (from the declaration or the checkpoint). */
  address: f.dest_address ?? null,
  outOfProvince: f.out_of_province,
  action: f.action,
  actionLabel: ARRIVAL_ACTION_LABELS[f.action],
  startDate: f.start_date,
  quarantineEnds: f.quarantine_ends,
  monitoringEnds: f.monitoring_ends,
  testDates: f.test_dates,
  testsDone: f.tests_done,
  status: f.status,
  contactedAt: f.contacted_at ? new Date(f.contacted_at).toISOString() : null,
  lastCheckAt: f.last_check_at ? new Date(f.last_check_at).toISOString() : null,
  nextDue: f.next_due,
  overdue: f.status === 'open' && !!f.next_due && f.next_due < today,
  dueToday: f.status === 'open' && f.next_due === today,
  explanation: f.explanation ?? null,
});

const vnToday = () => dateOfInstant(Date.now());

const eventBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('contact'),
    clientId: z.uuid().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    note: z.string().max(500).optional(),
  }),
  z.object({
    kind: z.literal('daily_check'),
    clientId: z.uuid().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    temperature: z.number().min(34).max(43).optional(),
    symptoms: z.array(z.enum(SYMPTOMS)).default([]),
    note: z.string().max(500).optional(),
  }),
  z.object({
    kind: z.literal('test'),
    clientId: z.uuid().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    testType: z.enum(['pcr', 'rapid']),
    result: z.enum(['negative', 'positive', 'pending']),
  }),
  z.object({
    kind: z.literal('moved_away'),
    clientId: z.uuid().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    note: z.string().min(3).max(500),
  }),
  z.object({
    kind: z.literal('completed'),
    clientId: z.uuid().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    note: z.string().max(500).optional(),
  }),
]);

/** Follow-up of arrivals by the destination commune (and its village team). */
export async function followUpRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/follow-ups',
    {
      preHandler: requirePermission('followups.read'),
      schema: {
        tags: ['entry'],
        summary: 'Arrivals to follow up in your area: due today, overdue, open or all',
        querystring: z.object({
          commune: z
            .string()
            .regex(/^\d{5}$/)
            .optional(),
          due: z.enum(['today', 'overdue', 'open', 'all']).default('open'),
          date: z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD').optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const q = req.query;
      const today = q.date ?? vnToday();
      const list = followUpListSql(
        actor.scope,
        { commune: q.commune, due: q.due, today },
        decodeCursor(q.cursor, ['date', 'uuid']),
        q.limit + 1,
        FOLLOW_UP_SELECT,
      );
      const rows = await db.query<FollowUpRow>(list.sql, list.params);
      const pg = page(rows, q.limit, (r) => [r.next_due ?? '9999-12-31', r.id]);
      await audit(db, req, {
        action: 'followups.list',
        resourceType: 'follow_up',
        outcome: 'allowed',
        detail: { count: pg.items.length, due: q.due, subjects: subjectIds(pg.items) },
      });
      return {
        items: pg.items.map((f) => presentFollowUp(f, today)),
        nextCursor: pg.nextCursor,
        today,
      };
    },
  );

  const loadFollowUp = (
    req: FastifyRequest,
    id: string,
    action: 'followups.read' | 'followups.write',
  ) =>
    loadScoped(req, {
      action,
      resourceType: 'follow_up',
      id,
      label: 'Theo dõi',
      auditAllowed: action === 'followups.read',
      load: async () => {
        const r = (
          await db.query<FollowUpRow>(
            `SELECT ${FU_COLUMNS}, ${FU_EXTRA} FROM ${FU_FROM} WHERE f.id = $1`,
            [id],
          )
        )[0];
        return (
          r && {
            provinceCode: r.province_code,
            districtCode: r.district_code,
            communeCode: r.commune_code,
            villageId: r.village_id,
            row: r,
          }
        );
      },
    });

  app.get(
    '/api/v1/follow-ups/:id',
    {
      preHandler: requirePermission('followups.read'),
      schema: { tags: ['entry'], params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { row } = await loadFollowUp(req, req.params.id, 'followups.read');
      const events = await db.query<{ id: string; kind: string; at: Date | string; data: unknown }>(
        'SELECT id, kind, at, data FROM follow_up_events WHERE follow_up_id = $1 ORDER BY at, id',
        [row.id],
      );
      return {
        ...presentFollowUp(row, vnToday()),
        events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      };
    },
  );

  app.post(
    '/api/v1/follow-ups/:id/events',
    {
      preHandler: requirePermission('followups.write'),
      schema: {
        tags: ['entry'],
        summary: 'Record contact made, a daily check, a test, moved away or completed',
        params: z.object({ id: z.uuid() }),
        body: eventBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { row } = await loadFollowUp(req, req.params.id, 'followups.write');
      const b = req.body;
      const at = b.at ? new Date(b.at) : new Date();
      if (at.getTime() > Date.now() + 5 * 60_000) throw fieldError('at', 'Thời điểm ở tương lai');
      if (row.status !== 'open' && b.kind !== 'contact')
        throw fieldError('kind', 'Theo dõi đã đóng');
      const { kind, clientId, at: _at, ...data } = b as typeof b & { at?: string };
      const result = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO follow_up_events (client_id, follow_up_id, kind, at, data, recorded_by) VALUES ($1,$2,$3,$4,$5,$6)
           ON CONFLICT (client_id) DO NOTHING RETURNING id`,
          [clientId ?? null, row.id, kind, at.toISOString(), JSON.stringify(data), actor.id],
        );
        if (!ins[0]) return { replay: true };
        // Quarantine and treatment (issue 13 item 3): symptoms at a home check → a test order and an alert.
        if (b.kind === 'daily_check' && b.symptoms.length)
          await homeCheckAlert(q, row, b.symptoms, actor.id);
        const testsDone = row.tests_done + (kind === 'test' ? 1 : 0);
        const closed = kind === 'completed' || kind === 'moved_away';
        // the latest check counts, whatever order the phone's outbox sends them in
        const lastCheck = [row.last_check_at, kind === 'daily_check' ? at : null]
          .filter((d) => d !== null)
          .map((d) => new Date(d).getTime())
          .reduce<number | null>((a, b) => (a === null || b > a ? b : a), null);
        await q.query(
          `UPDATE follow_ups SET tests_done = $2, status = $3, next_due = $4,
             contacted_at = CASE WHEN $5 = 'contact' THEN coalesce(contacted_at, $6::timestamptz) ELSE contacted_at END,
             last_check_at = CASE WHEN $5 = 'daily_check' THEN greatest(last_check_at, $6::timestamptz) ELSE last_check_at END,
             updated_at = now()
           WHERE id = $1`,
          [
            row.id,
            testsDone,
            kind === 'completed' ? 'completed' : kind === 'moved_away' ? 'moved_away' : row.status,
            closed
              ? null
              : followUpDue({
                  action: row.action,
                  testDates: row.test_dates,
                  testsDone,
                  monitoringEnds: row.monitoring_ends,
                  quarantineEnds: row.quarantine_ends,
                  checksFrom: row.checks_from,
                  lastCheckOn: lastCheck === null ? null : dateOfInstant(lastCheck),
                }),
            kind,
            at.toISOString(),
          ],
        );
        await audit(q, req, {
          action: `followups.${kind}`,
          resourceType: 'follow_up',
          resourceId: row.id,
          outcome: 'allowed',
        });
        return { replay: false };
      });
      const fresh = (
        await db.query<FollowUpRow>(
          `SELECT ${FU_COLUMNS}, ${FU_EXTRA} FROM ${FU_FROM} WHERE f.id = $1`,
          [row.id],
        )
      )[0]!;
      return reply.status(result.replay ? 200 : 201).send(presentFollowUp(fresh, vnToday()));
    },
  );
}
