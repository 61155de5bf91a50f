/**
 * Border posts (issue 17 item 5): a border officer reports a patrol, an illegal entry or a group
 * handed back by the other side from a phone; the people of the last two are registered and sent
 * to centralised quarantine (border-store.ts). The post, the district and the province list the
 * reports newest first and read the counts of the report ("31 vụ/107 trường hợp").
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowed, type Place } from '../../domain/access.ts';
import {
  BORDER_REPORT_KINDS,
  borderReportProblems,
  MAX_PEOPLE_PER_REPORT,
  quarantineGround,
} from '../../domain/border.ts';
import { addDays, dateOfInstant, formatViDate, isValidIsoDate } from '../../domain/dates.ts';
import {
  ID_TYPES,
  MIN_BIRTH_YEAR,
  normaliseIdNumber,
  SEXES,
  type Sex,
} from '../../domain/people.ts';
import { nfc } from '../../domain/text.ts';
import { admissionRules } from '../care/stays.ts';
import { careRules } from '../care/rulesets.ts';
import { areaScope, audit, loadScopedAny, requireActor, requirePermission } from '../context.ts';
import { badRequest, conflict, fieldError, notFound } from '../errors.ts';
import { getUnit } from '../geo/units.ts';
import { requestLang } from '../messages.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { personProblems } from '../people/routes.ts';
import type { PersonValues } from '../people/store.ts';
import {
  borderCountsSql,
  borderReportListSql,
  loadReport,
  presentReport,
  recordBorderReport,
  reportPeople,
  type BorderReportRow,
} from './border-store.ts';

const TAG = 'border';
const instant = z.iso.datetime({ offset: true });
const isoDate = z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD');

const personBody = z.object({
  fullName: z.string().trim().min(1).max(120).transform(nfc),
  sex: z.enum(SEXES),
  birthYear: z.number().int().min(MIN_BIRTH_YEAR).max(2100),
  nationality: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'Mã quốc gia ISO 3166-1 gồm 2 chữ cái (VN, LA, CN…)'),
  idType: z.enum(ID_TYPES).optional(),
  idNumber: z.string().trim().min(1).max(40).optional(),
});

const reportBody = z.object({
  clientId: z.uuid().optional(),
  kind: z.enum(BORDER_REPORT_KINDS),
  communeCode: z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số'),
  place: z.string().trim().min(2).max(200),
  occurredAt: instant,
  endedAt: instant.optional(),
  facilityId: z.uuid().optional(),
  note: z.string().trim().max(1000).optional(),
  people: z.array(personBody).max(MAX_PEOPLE_PER_REPORT).default([]),
});

const placeOf = (r: BorderReportRow): Place => ({
  provinceCode: r.province_code,
  districtCode: r.district_code,
  communeCode: r.commune_code,
  siteId: r.site_id,
});

/** The district a post or a district's border command works in. */
async function actorDistrict(req: FastifyRequest) {
  const actor = requireActor(req);
  return (await areaScope(req.server.db, actor.scope)).districtCode ?? null;
}

async function presentFull(req: FastifyRequest, r: BorderReportRow) {
  const people = await reportPeople(req.server.db, r.id);
  const at = new Date(r.occurred_at);
  const words = `${formatViDate(dateOfInstant(at.getTime()))} ${at.toLocaleTimeString('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
  })}`;
  return {
    ...presentReport(r),
    ground: r.kind === 'patrol' ? null : quarantineGround(r.kind, r.place, words),
    people: people.map((p) => ({
      id: p.person_id,
      fullName: p.full_name,
      birthYear: p.birth_year,
      sex: p.sex,
      nationality: p.nationality,
      admission: {
        id: p.admission_id,
        facilityName: p.facility_name,
        room: p.room_name,
        status: p.status,
        releaseOn: p.release_on,
      },
    })),
  };
}

export async function borderRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const rules = careRules(db);

  const loadReportScoped = (req: FastifyRequest, id: string) =>
    loadScopedAny(req, {
      action: 'border.read',
      resourceType: 'border_report',
      id,
      label: 'Báo cáo biên phòng',
      auditAllowed: false,
      load: async () => {
        const r = await loadReport(db, id);
        return r && { places: [placeOf(r)], row: r };
      },
    });

  app.post(
    '/api/v1/border/reports',
    {
      preHandler: requirePermission('border.write'),
      schema: {
        tags: [TAG],
        summary:
          'Report a patrol, an illegal entry or a hand-over; the people are registered and admitted to the chosen quarantine facility in one transaction (409 when it cannot place them). A replayed clientId answers the first report.',
        body: reportBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const lang = requestLang(req.headers['accept-language']);
      const now = Date.now();
      const occurredAt = Date.parse(b.occurredAt);
      const endedAt = b.endedAt ? Date.parse(b.endedAt) : null;
      const problems = borderReportProblems(
        {
          kind: b.kind,
          occurredAt,
          endedAt,
          peopleCount: b.people.length,
          facilityId: b.facilityId ?? null,
        },
        now,
      );
      if (problems.length)
        throw badRequest(
          problems.map((p) => `${p.path}: ${p.message[lang]}`).join('; '),
          problems.map((p) => ({ path: p.path, message: p.message[lang] })),
        );
      // The place: a commune of the post's (or the command's) district; another is a 404, audited.
      const district = await actorDistrict(req);
      const unit = await getUnit(db, b.communeCode);
      if (!unit || unit.level !== 3 || unit.district_code !== district) {
        await audit(db, req, {
          action: 'border.write',
          resourceType: 'commune',
          resourceId: b.communeCode,
          outcome: 'denied',
          reason: unit ? 'outside_scope' : 'not_found',
        });
        throw notFound('Xã');
      }
      // The facility: a centralised quarantine facility of the officer's province.
      // The facility: a centralised quarantine facility of the officer's province (a post sends
      // people to any of them); one of another province, or none, is a 404, audited.
      const facility =
        b.kind === 'patrol' || !b.facilityId
          ? null
          : ((
              await db.query<{ id: string; kind: string; province_code: string }>(
                'SELECT id, kind, province_code FROM care_facilities WHERE id = $1',
                [b.facilityId],
              )
            )[0] ?? { id: b.facilityId, kind: '', province_code: '' });
      if (facility && facility.province_code !== actor.scope.provinceCode) {
        await audit(db, req, {
          action: 'border.write',
          resourceType: 'care_facility',
          resourceId: facility.id,
          outcome: 'denied',
          reason: facility.province_code ? 'outside_scope' : 'not_found',
        });
        throw notFound('Cơ sở cách ly');
      }
      if (facility && facility.kind !== 'quarantine')
        throw fieldError('facilityId', 'Không phải cơ sở cách ly tập trung');
      const place = {
        provinceCode: unit.province_code,
        districtCode: unit.district_code!,
        communeCode: unit.code,
      };
      const people: PersonValues[] =
        b.kind === 'patrol'
          ? []
          : b.people.map((p) => ({
              fullName: p.fullName,
              birthDate: null,
              birthYear: p.birthYear,
              sex: p.sex as Sex,
              idType: p.idType ?? null,
              idNumber: p.idNumber ? normaliseIdNumber(p.idNumber) : null,
              phone: null,
              nationality: p.nationality.toUpperCase(),
              ...place,
              villageId: null,
              street: null,
              workplace: null,
            }));
      const bad = people.flatMap((v, i) =>
        personProblems(v).map((f) => ({ ...f, path: `people.${i}.${f.path}` })),
      );
      if (bad.length)
        throw badRequest(`Dữ liệu không hợp lệ: ${bad.map((f) => f.path).join(', ')}`, bad);
      const admittedOn = dateOfInstant(now);
      const ar = await admissionRules(rules, admittedOn);
      const out = await db.tx(async (q) => {
        const r = await recordBorderReport(q, ar, {
          clientId: b.clientId ?? null,
          kind: b.kind,
          siteId: actor.scope.level === 'site' ? (actor.scope.siteId ?? null) : null,
          place,
          placeText: b.place,
          occurredAt,
          endedAt,
          facilityId: facility?.id ?? null,
          note: b.note ?? null,
          people,
          actor: {
            id: actor.id,
            provinceCode: actor.scope.provinceCode,
            siteId: actor.scope.level === 'site' ? (actor.scope.siteId ?? null) : null,
          },
          admittedOn,
        });
        if (!r.replayed)
          await audit(q, req, {
            action: 'border.report',
            resourceType: 'border_report',
            resourceId: r.id,
            outcome: 'allowed',
            detail: { kind: b.kind, subjects: r.personIds, facilityId: facility?.id ?? null },
          });
        return r;
      });
      const row = (await loadReport(db, out.id))!;
      if (out.replayed && !allowed(actor, 'border.read', placeOf(row))) {
        // another post's client id: a conflict that says nothing about their report
        await audit(db, req, {
          action: 'border.write',
          resourceType: 'border_report',
          resourceId: b.clientId,
          outcome: 'denied',
          reason: 'client_id_taken',
        });
        throw conflict('clientId đã được dùng cho một bản ghi khác', [
          { path: 'clientId', message: 'Mã đã dùng' },
        ]);
      }
      return reply
        .status(out.replayed ? 200 : 201)
        .send({ ...(await presentFull(req, row)), replayed: out.replayed });
    },
  );

  app.get(
    '/api/v1/border/reports',
    {
      preHandler: requirePermission('border.read'),
      schema: {
        tags: [TAG],
        summary: 'Border reports of your post, district or province, newest first (keyset)',
        querystring: z.object({ ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const rows = await db.query<BorderReportRow>(
        borderReportListSql(
          actor.scope,
          params,
          decodeCursor(req.query.cursor, ['timestamp', 'uuid']),
          req.query.limit,
        ),
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.occurred_at, r.id]);
      await audit(db, req, {
        action: 'border.read',
        resourceType: 'border_report',
        outcome: 'allowed',
        detail: { count: pg.items.length },
      });
      return { items: pg.items.map(presentReport), nextCursor: pg.nextCursor };
    },
  );

  app.get(
    '/api/v1/border/reports/:id',
    {
      preHandler: requirePermission('border.read'),
      schema: {
        tags: [TAG],
        summary: 'One border report with its people and where each is quarantined',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const r = await loadReportScoped(req, req.params.id);
      const shown = await presentFull(req, r);
      await audit(db, req, {
        action: 'border.read',
        resourceType: 'border_report',
        resourceId: r.id,
        outcome: 'allowed',
        detail: { subjects: shown.people.map((p) => p.id) },
      });
      return shown;
    },
  );

  app.get(
    '/api/v1/border/counts',
    {
      preHandler: requirePermission('border.read'),
      schema: {
        tags: [TAG],
        summary:
          'Counts for the report between two dates (default: the last 30 days): reports and people per district and kind, foreigners among them',
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const to = req.query.to ?? dateOfInstant(Date.now());
      const from = req.query.from ?? addDays(to, -29);
      if (from > to) throw fieldError('from', 'Ngày bắt đầu sau ngày kết thúc');
      const scope = await areaScope(db, actor.scope);
      const params: unknown[] = [];
      const rows = await db.query<{
        district_code: string;
        kind: string;
        reports: number;
        people: number;
        foreigners: number;
      }>(borderCountsSql(scope, params, from, to), params);
      const sum = (kind: string, k: 'reports' | 'people' | 'foreigners') =>
        rows.filter((r) => r.kind === kind).reduce((n, r) => n + r[k], 0);
      return {
        from,
        to,
        rows: rows.map((r) => ({
          districtCode: r.district_code,
          kind: r.kind,
          reports: r.reports,
          people: r.people,
          foreigners: r.foreigners,
        })),
        totals: Object.fromEntries(
          BORDER_REPORT_KINDS.map((k) => [
            k,
            {
              reports: sum(k, 'reports'),
              people: sum(k, 'people'),
              foreigners: sum(k, 'foreigners'),
            },
          ]),
        ),
      };
    },
  );

  app.get(
    '/api/v1/border/facilities',
    {
      preHandler: requirePermission('border.write'),
      schema: {
        tags: [TAG],
        summary:
          "Centralised quarantine facilities of the province with their free beds, the officer's district first",
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const district = await actorDistrict(req);
      const rows = await db.query<{
        id: string;
        name: string;
        district_code: string;
        free: number;
      }>(
        `SELECT id, name, district_code, beds_total - beds_occupied AS free FROM care_facilities
          WHERE province_code = $1 AND kind = 'quarantine'
          ORDER BY (district_code = $2) DESC, name, id LIMIT 200`,
        [actor.scope.provinceCode, district],
      );
      return {
        items: rows.map((f) => ({
          id: f.id,
          name: f.name,
          districtCode: f.district_code,
          freeBeds: f.free,
          ownDistrict: f.district_code === district,
        })),
      };
    },
  );
}
