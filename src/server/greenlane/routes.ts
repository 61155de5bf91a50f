import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { normalisePlate, permitValidity, windowProblem } from '../../domain/greenlane.ts';
import { audit, loadScoped, requireActor, requirePermission } from '../context.ts';
import { conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { personInScope, placeInScope } from '../scoped-ids.ts';
import { writeQrPng } from '../vaccination/dcc-qr.ts';
import { decideApplication, fileApplication } from './commands.ts';
import type { GreenLaneContext } from './index.ts';
import {
  applicationListSql,
  applicationPlace,
  iso,
  loadApplication,
  loadCrew,
  scopedPermit,
  loadSite,
  permitFacts,
  presentApplication,
  presentRoute,
  presentVehicle,
  sitePlace,
  vehiclePlace,
  type ApplicationRow,
  type RouteRow,
  type VehicleRow,
} from './store.ts';

const TAG = 'green-lane';
const instant = z.iso.datetime({ offset: true, message: 'Thời điểm dạng ISO 8601 có múi giờ' });
const idParam = z.object({ id: z.uuid() });
const plate = z
  .string()
  .max(20)
  .transform((s, ctx) => {
    const p = normalisePlate(s);
    if (!p) ctx.addIssue({ code: 'custom', message: 'Biển số không hợp lệ (ví dụ 29C-123.45)' });
    return p ?? '';
  });

/** Companies, vehicles, routes, applications and their decision, permits with their QR. */
export async function greenLaneRoutes(server: FastifyInstance, ctx: GreenLaneContext) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  // --- routes of the closed loop (the authority keeps them; everyone of the green lane reads)
  app.post(
    '/api/v1/green-lane/routes',
    {
      preHandler: requirePermission('greenlane.manage'),
      schema: {
        tags: [TAG],
        summary: 'A route of the closed loop: first checkpoint → transit yard → border gate',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          origin: z.string().trim().min(1).max(200),
          checkpointSiteId: z.uuid(),
          yardSiteId: z.uuid(),
          gateSiteId: z.uuid(),
          toYardMinutes: z
            .number()
            .int()
            .min(1)
            .max(7 * 24 * 60),
          toGateMinutes: z
            .number()
            .int()
            .min(1)
            .max(7 * 24 * 60),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const kinds: [keyof typeof b, string[]][] = [
        ['checkpointSiteId', ['checkpoint']],
        ['yardSiteId', ['transit_yard']],
        ['gateSiteId', ['border_gate']],
      ];
      for (const [field, ok] of kinds) {
        const s = await loadSite(db, b[field] as string);
        await placeInScope(req, {
          action: 'greenlane.manage',
          resourceType: 'site',
          id: b[field] as string,
          field,
          place: s && ok.includes(s.kind) ? sitePlace(s) : undefined,
          label: 'Điểm',
        });
      }
      const rows = await db.query<RouteRow>(
        `INSERT INTO green_lane_routes (name, origin, checkpoint_site_id, yard_site_id, gate_site_id,
           to_yard_minutes, to_gate_minutes, province_code, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING *`,
        [
          b.name,
          b.origin,
          b.checkpointSiteId,
          b.yardSiteId,
          b.gateSiteId,
          b.toYardMinutes,
          b.toGateMinutes,
          actor.scope.provinceCode,
          actor.id,
        ],
      );
      return reply.status(201).send(presentRoute(rows[0]!));
    },
  );

  app.get(
    '/api/v1/green-lane/routes',
    {
      preHandler: requirePermission('greenlane.read'),
      schema: { tags: [TAG], summary: 'The routes of the province, by name' },
    },
    async (req) => {
      const actor = requireActor(req);
      const rows = await db.query<
        RouteRow & { gate_name: string; yard_name: string; checkpoint_name: string }
      >(
        `SELECT r.*, g.name AS gate_name, y.name AS yard_name, c.name AS checkpoint_name
           FROM green_lane_routes r JOIN sites g ON g.id = r.gate_site_id
           JOIN sites y ON y.id = r.yard_site_id JOIN sites c ON c.id = r.checkpoint_site_id
          WHERE r.province_code = $1 ORDER BY r.name, r.id LIMIT 500`,
        [actor.scope.provinceCode],
      );
      return { items: rows.map(presentRoute) };
    },
  );

  // --- vehicles of a company
  app.post(
    '/api/v1/green-lane/vehicles',
    {
      preHandler: requirePermission('greenlane.apply'),
      schema: {
        tags: [TAG],
        summary: 'Register a vehicle of the actor’s company (idempotent by clientId and by plate)',
        body: z.object({
          clientId: z.uuid(),
          plate,
          kind: z.enum(['truck', 'container', 'tractor', 'van', 'other']),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const company = await loadSite(db, actor.scope.siteId ?? '');
      if (!company) throw fieldError('companyId', 'Tài khoản không gắn với doanh nghiệp');
      const b = req.body;
      const rows = await db.query<VehicleRow>(
        `INSERT INTO green_lane_vehicles (plate, kind, company_site_id, site_id, province_code,
           district_code, commune_code, client_id, created_by)
         VALUES ($1,$2,$3,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING RETURNING *`,
        [
          b.plate,
          b.kind,
          company.id,
          company.province_code,
          company.district_code,
          company.commune_code,
          b.clientId,
          actor.id,
        ],
      );
      if (rows[0]) return reply.status(201).send(presentVehicle(rows[0]));
      const old = await db.query<VehicleRow>(
        'SELECT * FROM green_lane_vehicles WHERE plate = $1 OR client_id = $2',
        [b.plate, b.clientId],
      );
      if (old.length === 1 && old[0]!.site_id === company.id && old[0]!.plate === b.plate)
        return reply.status(200).send(presentVehicle(old[0]!));
      throw conflict('plate: biển số đã được đăng ký', [
        { path: 'plate', message: 'Biển số đã được đăng ký' },
      ]);
    },
  );

  app.get(
    '/api/v1/green-lane/vehicles',
    {
      preHandler: requirePermission('greenlane.apply'),
      schema: { tags: [TAG], summary: 'The vehicles of the actor’s company' },
    },
    async (req) => {
      const actor = requireActor(req);
      const rows = await db.query<VehicleRow>(
        'SELECT * FROM green_lane_vehicles WHERE company_site_id = $1 ORDER BY plate LIMIT 1000',
        [actor.scope.siteId],
      );
      return { items: rows.map(presentVehicle) };
    },
  );

  // --- applications
  app.post(
    '/api/v1/green-lane/applications',
    {
      preHandler: requirePermission('greenlane.apply'),
      schema: {
        tags: [TAG],
        summary: 'Apply for a green-lane permit (idempotent by clientId)',
        body: z.object({
          clientId: z.uuid(),
          vehicleId: z.uuid(),
          routeId: z.uuid(),
          cargo: z.string().trim().min(1).max(500),
          windowFrom: instant,
          windowTo: instant,
          crew: z
            .array(
              z.object({
                personId: z.uuid(),
                role: z.enum(['driver', 'assistant', 'escort']),
              }),
            )
            .min(1)
            .max(5),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const rs = await ctx.ruleSet(Date.parse(b.windowFrom));
      const problem = windowProblem(rs, b.windowFrom, b.windowTo);
      if (problem) throw fieldError('windowTo', problem.vi);
      if (new Set(b.crew.map((c) => c.personId)).size !== b.crew.length)
        throw fieldError('crew', 'Một người có tên hai lần');
      const vehicle = await db.query<VehicleRow>(
        'SELECT * FROM green_lane_vehicles WHERE id = $1',
        [b.vehicleId],
      );
      await placeInScope(req, {
        action: 'greenlane.apply',
        resourceType: 'green_lane_vehicle',
        id: b.vehicleId,
        field: 'vehicleId',
        place: vehicle[0] && vehiclePlace(vehicle[0]),
        label: 'Phương tiện',
      });
      const route = await db.query<RouteRow>('SELECT * FROM green_lane_routes WHERE id = $1', [
        b.routeId,
      ]);
      await placeInScope(req, {
        action: 'greenlane.apply',
        resourceType: 'green_lane_route',
        id: b.routeId,
        field: 'routeId',
        place: route[0] && { provinceCode: route[0].province_code },
        scope: { level: 'province', provinceCode: actor.scope.provinceCode },
        label: 'Tuyến',
      });
      for (const [i, c] of b.crew.entries())
        await personInScope(req, c.personId, {
          action: 'greenlane.apply',
          field: `crew.${i}.personId`,
        });
      const r = await fileApplication(db, req, actor, { ...b, vehicle: vehicle[0]! });
      const a = (await loadApplication(db, r.id))!;
      return reply.status(r.created ? 201 : 200).send(presentApplication(a));
    },
  );

  app.get(
    '/api/v1/green-lane/applications',
    {
      preHandler: requirePermission('greenlane.read'),
      schema: {
        tags: [TAG],
        summary:
          'Applications in scope: a company its own (newest first), the authority the queue of a status (oldest first)',
        querystring: z.object({
          status: z.enum(['pending', 'granted', 'refused']).optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { status, cursor, limit } = req.query;
      const after = decodeCursor(cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const { sql, params } = applicationListSql(actor.scope, {
        status: status ?? null,
        after,
        limit,
      });
      const rows = await db.query<ApplicationRow>(sql, params);
      const p = page(rows, limit, (a) => [iso(a.created_at), a.id]);
      await audit(db, req, {
        action: 'greenlane.read',
        resourceType: 'green_lane_application',
        outcome: 'allowed',
        detail: { list: true, count: p.items.length },
      });
      return { items: p.items.map(presentApplication), nextCursor: p.nextCursor };
    },
  );

  const loadApp = (
    req: FastifyRequest,
    id: string,
    action: 'greenlane.read' | 'greenlane.decide',
  ) =>
    loadScoped(req, {
      action,
      resourceType: 'green_lane_application',
      id,
      load: async () => {
        const a = await loadApplication(db, id);
        return a && Object.assign(a, applicationPlace(a));
      },
      label: 'Hồ sơ',
    });

  app.get(
    '/api/v1/green-lane/applications/:id',
    {
      preHandler: requirePermission('greenlane.read'),
      schema: { tags: [TAG], summary: 'One application with its crew', params: idParam },
    },
    async (req) => {
      const a = await loadApp(req, req.params.id, 'greenlane.read');
      const crew = await loadCrew(db, a.id);
      return {
        ...presentApplication(a),
        crew: crew.map((c) => ({ personId: c.person_id, fullName: c.full_name, role: c.role })),
      };
    },
  );

  app.post(
    '/api/v1/green-lane/applications/:id/decision',
    {
      preHandler: requirePermission('greenlane.decide'),
      schema: {
        tags: [TAG],
        summary: 'Grant (signing the permit) or refuse with a reason',
        params: idParam,
        body: z
          .object({
            decision: z.enum(['grant', 'refuse']),
            reason: z.string().trim().min(1).max(1000).optional(),
            orderEndsAt: instant.optional().describe('When the order the permit relies on ends'),
          })
          .refine((d) => d.decision === 'grant' || !!d.reason, {
            path: ['reason'],
            message: 'Từ chối phải nêu lý do',
          }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const a = await loadApp(req, req.params.id, 'greenlane.decide');
      const now = Date.now();
      const r = await decideApplication(
        db,
        req,
        actor,
        a,
        {
          decision: req.body.decision,
          reason: req.body.reason ?? null,
          orderEndsAt: req.body.orderEndsAt ?? null,
        },
        { rs: await ctx.ruleSet(now), signer: ctx.signer(), now },
      );
      return { ...presentApplication((await loadApplication(db, a.id))!), validity: r.validity };
    },
  );

  // --- permits
  app.get(
    '/api/v1/green-lane/permits/:id',
    {
      preHandler: requirePermission('greenlane.read'),
      schema: {
        tags: [TAG],
        summary: 'A permit with its validity now and its QR (signed token, PNG and SVG)',
        params: idParam,
      },
    },
    async (req) => {
      const p = await scopedPermit(req, req.params.id, 'greenlane.read');
      const png = await writeQrPng(p.token, { scale: 6 });
      const svg = await QRCode.toString(p.token, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      return {
        id: p.id,
        applicationId: p.application_id,
        plate: p.plate,
        windowFrom: iso(p.window_from),
        windowTo: iso(p.window_to),
        orderNumber: p.order_number,
        orderEndsAt: iso(p.order_ends_at),
        lapsesAt: iso(p.lapses_at),
        lapseRule: p.lapse_rule,
        ruleSetId: p.ruleset_id,
        issuedAt: iso(p.issued_at),
        revokedAt: iso(p.revoked_at),
        revokedReason: p.revoked_reason,
        validity: permitValidity(permitFacts(p), Date.now()),
        qr: p.token,
        png: `data:image/png;base64,${png.toString('base64')}`,
        svg,
      };
    },
  );
}
