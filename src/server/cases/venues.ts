import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { allowed, can, type Place } from '../../domain/access.ts';
import { CHECKIN_TIME_LIMITS, checkRecordTime } from '../../domain/record-time.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import { audit, loadScoped, requireActor, requirePermission, scopePredicate } from '../context.ts';
import { AppError, conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { personInScope } from '../scoped-ids.ts';
import { canonicalPersonId } from '../people/store.ts';
import { DECLARATION_CODE_RE } from '../entry/declarations.ts';
import { unitPlace } from './scope.ts';

export const VENUE_KINDS = [
  'market',
  'shop',
  'school',
  'office',
  'factory',
  'restaurant',
  'worship',
  'other',
] as const;
export const VENUE_KIND_LABELS: Record<(typeof VENUE_KINDS)[number], { vi: string; en: string }> = {
  market: { vi: 'Chợ', en: 'Market' },
  shop: { vi: 'Cửa hàng, siêu thị', en: 'Shop' },
  school: { vi: 'Trường học', en: 'School' },
  office: { vi: 'Cơ quan, văn phòng', en: 'Office' },
  factory: { vi: 'Nhà máy, xí nghiệp', en: 'Factory' },
  restaurant: { vi: 'Nhà hàng, quán ăn', en: 'Restaurant' },
  worship: { vi: 'Cơ sở tôn giáo', en: 'Place of worship' },
  other: { vi: 'Địa điểm khác', en: 'Other venue' },
};
/** Workplaces and schools: people in the same class / shift share a closed space. */
const WORKPLACE_KINDS = new Set(['school', 'office', 'factory']);
/** A check-in without a check-out is assumed to last this long. */
const ASSUMED_STAY_MINUTES: Record<string, number> = {
  market: 60,
  shop: 30,
  restaurant: 60,
  worship: 90,
  other: 60,
  school: 8 * 60,
  office: 8 * 60,
  factory: 8 * 60,
};

interface VenueRow {
  id: string;
  name: string;
  kind: (typeof VENUE_KINDS)[number];
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string | null;
  address: string | null;
  qr_token: string;
  disabled: boolean;
  created_at: Date | string;
  commune_name?: string;
}
const VENUE_SELECT = `SELECT v.id, v.name, v.kind, v.province_code, v.district_code, v.commune_code, v.village_id, v.address,
  v.qr_token, v.disabled, v.created_at, u.name AS commune_name FROM venues v JOIN admin_units u ON u.code = v.commune_code`;

export const venueQrPayload = (v: { id: string; qr_token: string }) => `EGV1:${v.id}:${v.qr_token}`;

function presentVenue(v: VenueRow, withQr = false) {
  return {
    id: v.id,
    name: v.name,
    kind: v.kind,
    kindLabel: VENUE_KIND_LABELS[v.kind],
    communeCode: v.commune_code,
    communeName: v.commune_name ?? null,
    districtCode: v.district_code,
    villageId: v.village_id,
    address: v.address,
    disabled: v.disabled,
    createdAt: new Date(v.created_at).toISOString(),
    ...(withQr ? { qr: { payload: venueQrPayload(v), token: v.qr_token } } : {}),
  };
}

const venuePlace = (v: VenueRow): Place & { row: VenueRow } => ({
  provinceCode: v.province_code,
  districtCode: v.district_code,
  communeCode: v.commune_code,
  villageId: v.village_id,
  row: v,
});

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export async function venueRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/venues',
    {
      preHandler: requirePermission('venues.write'),
      schema: {
        tags: ['venues'],
        summary:
          'Register a venue (market, shop, school, office, factory…) and get its QR for check-in',
        body: z.object({
          clientId: z.uuid().optional().describe('A replay returns the same venue'),
          name: z.string().trim().min(2).max(200).describe('"Chợ trung tâm Mường Thanh"'),
          kind: z
            .enum(VENUE_KINDS)
            .describe('market | shop | school | office | factory | restaurant | worship | other'),
          communeCode: z
            .string()
            .regex(/^\d{5}$/)
            .describe('Commune where the venue is'),
          villageId: z.uuid().optional(),
          address: z.string().trim().max(300).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      if (b.clientId) {
        const prior = await db.query<VenueRow>(`${VENUE_SELECT} WHERE v.client_id = $1`, [
          b.clientId,
        ]);
        if (prior[0] && allowed(actor, 'venues.write', venuePlace(prior[0])))
          return reply.status(200).send(presentVenue(prior[0], true));
        if (prior[0]) throw fieldError('clientId', 'clientId đã dùng');
      }
      const unit = await unitPlace(db, b.communeCode, 3);
      if (!unit) throw fieldError('communeCode', `Không có xã mã ${b.communeCode}`);
      if (b.villageId) {
        const v = await db.query('SELECT 1 FROM villages WHERE id = $1 AND commune_code = $2', [
          b.villageId,
          b.communeCode,
        ]);
        if (!v[0]) throw fieldError('villageId', 'Thôn/bản không thuộc xã này');
      }
      const place = { ...unit.place, villageId: b.villageId ?? null };
      if (!allowed(actor, 'venues.write', place)) {
        await audit(db, req, {
          action: 'venues.create',
          resourceType: 'venue',
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw new AppError(404, 'not_found', 'Xã không thuộc địa bàn của bạn');
      }
      const dup = await db.query(
        'SELECT 1 FROM venues WHERE commune_code = $1 AND lower(name) = lower($2)',
        [b.communeCode, b.name],
      );
      if (dup[0])
        throw conflict('Xã đã có địa điểm cùng tên', [{ path: 'name', message: 'Trùng tên' }]);
      const row = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO venues (name, kind, province_code, district_code, commune_code, village_id, address, qr_token, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
          [
            b.name,
            b.kind,
            unit.unit.province_code,
            unit.unit.district_code,
            unit.unit.code,
            b.villageId ?? null,
            b.address ?? null,
            randomBytes(18).toString('base64url'),
            b.clientId ?? null,
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'venues.create',
          resourceType: 'venue',
          resourceId: ins[0]!.id,
          outcome: 'allowed',
        });
        return (await q.query<VenueRow>(`${VENUE_SELECT} WHERE v.id = $1`, [ins[0]!.id]))[0]!;
      });
      return reply.status(201).send(presentVenue(row, true));
    },
  );

  app.get(
    '/api/v1/venues',
    {
      preHandler: requirePermission('venues.read'),
      schema: {
        tags: ['venues'],
        summary: 'Venues in your area, by name',
        querystring: z.object({
          commune: z
            .string()
            .regex(/^\d{5}$/)
            .optional(),
          kind: z.enum(VENUE_KINDS).optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params, 'v')];
      if (req.query.commune) {
        params.push(req.query.commune);
        where.push(`v.commune_code = $${params.length}`);
      }
      if (req.query.kind) {
        params.push(req.query.kind);
        where.push(`v.kind = $${params.length}`);
      }
      const after = decodeCursor(req.query.cursor, 2);
      if (after) {
        params.push(String(after[0]), String(after[1]));
        where.push(`(v.name, v.id::text) > ($${params.length - 1}, $${params.length})`);
      }
      params.push(req.query.limit + 1);
      const rows = await db.query<VenueRow>(
        `${VENUE_SELECT} WHERE ${where.join(' AND ')} ORDER BY v.name, v.id::text LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.name, r.id]);
      return { items: pg.items.map((v) => presentVenue(v)), nextCursor: pg.nextCursor };
    },
  );

  const loadVenue = (req: FastifyRequest, id: string) =>
    loadScoped(req, {
      action: 'venues.read',
      resourceType: 'venue',
      id,
      label: 'Địa điểm',
      auditAllowed: false,
      load: async () => {
        const r = (await db.query<VenueRow>(`${VENUE_SELECT} WHERE v.id = $1`, [id]))[0];
        return r && venuePlace(r);
      },
    });

  app.get(
    '/api/v1/venues/:id',
    {
      preHandler: requirePermission('venues.read'),
      schema: {
        tags: ['venues'],
        summary: "A venue with its QR (payload, token and an SVG to print) and today's check-ins",
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const { row } = await loadVenue(req, req.params.id);
      const today = dateOfInstant(Date.now());
      const counts = await db.query<{ ins: number; outs: number }>(
        `SELECT count(*) FILTER (WHERE direction = 'in')::int AS ins, count(*) FILTER (WHERE direction = 'out')::int AS outs
           FROM venue_checkins WHERE venue_id = $1 AND at >= $2`,
        [row.id, new Date(Date.parse(`${today}T00:00:00+07:00`)).toISOString()],
      );
      const payload = venueQrPayload(row);
      return {
        ...presentVenue(row, true),
        qrSvg: await QRCode.toString(payload, {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 2,
        }),
        today: { checkIns: counts[0]!.ins, checkOuts: counts[0]!.outs },
        instructions: {
          vi: 'In mã QR và dán ở lối vào, lối ra. Người đến quét mã bằng ứng dụng và nhập mã khai báo y tế của mình khi vào và khi ra.',
          en: 'Print the QR at the entrance and exit. Visitors scan it and give their declaration code on entry and exit.',
        },
      };
    },
  );

  app.post(
    '/api/v1/venues/:id/checkins',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['venues'],
        summary:
          "Check in / out at a venue: public with the venue's QR token and the person's declaration code (reveals nothing); staff of the venue's area may give personId",
        security: [],
        params: z.object({ id: z.uuid() }),
        body: z
          .object({
            clientId: z.uuid().optional().describe('A replay does not duplicate the check-in'),
            token: z.string().min(10).max(100).optional().describe("The token in the venue's QR"),
            declarationCode: z
              .string()
              .trim()
              .toUpperCase()
              .regex(DECLARATION_CODE_RE, 'Mã khai báo gồm 8 ký tự')
              .optional()
              .describe("The person's health declaration code"),
            personId: z.uuid().optional().describe('Staff only (venues.write in the area)'),
            direction: z.enum(['in', 'out']),
            at: z.iso
              .datetime({ offset: true })
              .optional()
              .describe(
                'When (a phone that was offline); at most 24 hours ago, or older for staff with records.backdate and a reason; default now',
              ),
            backdateReason: z
              .string()
              .trim()
              .max(500)
              .optional()
              .describe('Staff entering a check-in older than 24 hours from paper: why (audited)'),
            area: z
              .string()
              .trim()
              .min(1)
              .max(60)
              .optional()
              .describe('Class, shift or room inside the venue ("Lớp 9A", "Ca 1")'),
          })
          .refine((b) => !!b.declarationCode !== !!b.personId, {
            path: ['declarationCode'],
            message: 'Cần đúng một trong: declarationCode, personId',
          }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const invalid = () =>
        new AppError(400, 'validation', 'Mã QR địa điểm hoặc mã khai báo không hợp lệ', [
          { path: 'token', message: 'Không hợp lệ' },
        ]);
      const v = (await db.query<VenueRow>(`${VENUE_SELECT} WHERE v.id = $1`, [req.params.id]))[0];
      const staff =
        !!req.actor && !!v && allowed(req.actor, 'venues.write', venuePlace(v)) && !b.token;
      if (!v || v.disabled) throw invalid();
      if (!staff && (!b.token || !sameToken(b.token, v.qr_token))) throw invalid();
      if (b.personId && !staff) throw invalid();
      const at = b.at ? new Date(b.at) : new Date();
      // Past check-ins (a venue's paper book) only by its area's staff, with a reason (issue 13.7).
      const when = checkRecordTime(at.getTime(), Date.now(), CHECKIN_TIME_LIMITS, {
        mayBackdate: staff && can(req.actor!.role, 'records.backdate'),
        reason: b.backdateReason,
      });
      if (!when.ok) throw fieldError(when.field, when.message.vi);
      let personId: string | undefined;
      let declarationId: string | null = null;
      if (b.declarationCode) {
        const d = await db.query<{ id: string; person_id: string; valid_until: string }>(
          'SELECT id, person_id, valid_until::text AS valid_until FROM declarations WHERE code = $1',
          [b.declarationCode],
        );
        if (!d[0] || d[0].valid_until < dateOfInstant(at.getTime())) throw invalid();
        personId = await canonicalPersonId(db, d[0].person_id);
        declarationId = d[0].id;
      } else {
        personId = (
          await personInScope(req, b.personId!, { action: 'venues.checkin', field: 'personId' })
        ).id;
      }
      if (!personId) throw invalid();
      const workplace = WORKPLACE_KINDS.has(v.kind);
      const placeKey = `venue:${v.id}${b.area ? `:${b.area.toLowerCase()}` : ''}`;
      const label = b.area ? `${v.name} — ${b.area}` : v.name;
      const created = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO venue_checkins (client_id, venue_id, person_id, declaration_id, direction, at, area)
           VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
          [
            b.clientId ?? null,
            v.id,
            personId,
            declarationId,
            b.direction,
            at.toISOString(),
            b.area ?? null,
          ],
        );
        if (!ins[0]) return false;
        const source = workplace ? 'workplace' : 'venue';
        if (b.direction === 'in') {
          await q.query(
            `INSERT INTO presence (person_id, place_key, start_at, end_at, source, ref_id, end_estimated, label)
             VALUES ($1, $2, $3, $3::timestamptz + make_interval(mins => $4), $5, $6, true, $7)`,
            [
              personId,
              placeKey,
              at.toISOString(),
              ASSUMED_STAY_MINUTES[v.kind],
              source,
              ins[0].id,
              label,
            ],
          );
        } else {
          const upd = await q.query(
            `UPDATE presence SET end_at = $3, end_estimated = false
              WHERE id = (SELECT id FROM presence WHERE person_id = $1 AND place_key = $2 AND end_estimated
                            AND start_at <= $3 AND start_at > $3::timestamptz - interval '12 hours'
                          ORDER BY start_at DESC LIMIT 1) RETURNING id`,
            [personId, placeKey, at.toISOString()],
          );
          if (!upd[0])
            await q.query(
              `INSERT INTO presence (person_id, place_key, start_at, end_at, source, ref_id, label)
               VALUES ($1, $2, $3, $3, $4, $5, $6)`,
              [personId, placeKey, at.toISOString(), source, ins[0].id, label],
            );
        }
        await audit(q, req, {
          action: 'venues.checkin',
          resourceType: 'venue',
          resourceId: v.id,
          outcome: 'allowed',
          actor: req.actor ?? null,
          detail: when.backdated
            ? { direction: b.direction, backdated: true, at: at.toISOString() }
            : { direction: b.direction },
          reason: when.backdated ? b.backdateReason : undefined,
        });
        return true;
      });
      return reply.status(created ? 201 : 200).send({
        ok: true,
        venue: { name: v.name },
        direction: b.direction,
        at: at.toISOString(),
        message:
          b.direction === 'in'
            ? { vi: `Đã ghi nhận vào ${v.name}`, en: `Checked in at ${v.name}` }
            : { vi: `Đã ghi nhận ra khỏi ${v.name}`, en: `Checked out of ${v.name}` },
      });
    },
  );
}
