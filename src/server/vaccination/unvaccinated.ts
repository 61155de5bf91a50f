import { maskIdentifier } from '../../domain/masking.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EXPORT_RATE_LIMIT, xlsxBuffer, type XlsxCell, type XlsxSheet } from '../tabular.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contains } from '../../domain/access.ts';
import { formatViDate } from '../../domain/dates.ts';
import {
  ageOn,
  UNVACCINATED_REASON_LABELS,
  UNVACCINATED_REASONS,
  type UnvaccinatedReason,
} from '../../domain/vaccination.ts';
import { areaScope, audit, requireActor, requirePermission } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { isoDate, personForVaccination, TAG, todayVn } from './common.ts';
import { unitInScope } from './coverage.ts';

interface Row {
  id: string;
  full_name: string;
  birth_date: string | null;
  birth_year: number;
  sex: string;
  phone: string | null;
  village_id: string | null;
  village_name: string | null;
  reason: UnvaccinatedReason | null;
  note: string | null;
  recorded_on: string | null;
  comorbidity: boolean;
}

const listQuery = z.object({
  village: z.uuid().optional().describe('Village (thôn, bản, tổ dân phố) id'),
  commune: z
    .string()
    .regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số')
    .optional()
    .describe('Commune code (instead of village)'),
  minAge: z.coerce.number().int().min(0).max(120).default(18).describe('Default 18 (adults)'),
  asOf: isoDate.optional(),
});
type ListQuery = z.infer<typeof listQuery>;

async function unvaccinated(req: FastifyRequest, qy: ListQuery) {
  const db = req.server.db;
  const actor = requireActor(req);
  if (!qy.village === !qy.commune)
    throw badRequest('Cần đúng một trong hai: village hoặc commune', [
      { path: 'village', message: 'Chọn thôn (village) hoặc xã (commune)' },
    ]);
  const area = await areaScope(db, actor.scope);
  let where: string;
  let key: string;
  let label: string;
  if (qy.village) {
    const v = (
      await db.query<{
        id: string;
        name: string;
        province_code: string;
        district_code: string;
        commune_code: string;
      }>(
        'SELECT id, name, province_code, district_code, commune_code FROM villages WHERE id = $1',
        [qy.village],
      )
    )[0];
    if (
      !v ||
      !contains(area, {
        provinceCode: v.province_code,
        districtCode: v.district_code,
        communeCode: v.commune_code,
        villageId: v.id,
      })
    ) {
      await audit(db, req, {
        action: 'vaccinations.read',
        resourceType: 'village',
        resourceId: qy.village,
        outcome: 'denied',
        reason: v ? 'outside_scope' : 'not_found',
      });
      throw notFound('Thôn');
    }
    where = 'p.village_id = $1';
    key = v.id;
    label = v.name;
  } else {
    const unit = await unitInScope(req, qy.commune!, 'vaccinations.read', 'commune');
    if (unit.level !== 3) throw notFound('Xã');
    where = 'p.commune_code = $1';
    key = unit.code;
    label = unit.name;
  }
  const asOf = qy.asOf ?? todayVn();
  const year = Number(asOf.slice(0, 4));
  const rows = await db.query<Row>(
    `SELECT p.id, p.full_name, p.birth_date::text AS birth_date, p.birth_year, p.sex, p.phone, p.village_id,
            v.name AS village_name, e.reason, e.note, e.recorded_on,
            (coalesce(e.comorbidity, false) OR coalesce(sc.comorbidity, false)) AS comorbidity
       FROM persons p
       LEFT JOIN villages v ON v.id = p.village_id
       LEFT JOIN LATERAL (SELECT x.reason, x.note, x.recorded_on::text AS recorded_on, x.comorbidity
                            FROM vaccination_exemptions x WHERE x.person_id = p.id
                           ORDER BY x.created_at DESC, x.id DESC LIMIT 1) e ON true
       LEFT JOIN LATERAL (SELECT bool_or(s.comorbidity) AS comorbidity FROM vaccination_screenings s
                           WHERE s.person_id = p.id) sc ON true
      WHERE ${where} AND p.merged_into IS NULL AND p.birth_year <= $2
        AND NOT EXISTS (SELECT 1 FROM vaccination_status st WHERE st.person_id = p.id)
      ORDER BY p.search_name, p.id`,
    [key, year - qy.minAge],
  );
  const items = rows
    .map((r) => {
      const age = ageOn(r.birth_date, r.birth_year, asOf);
      const age65 = age >= 65;
      return {
        personId: r.id,
        fullName: r.full_name,
        birthDate: r.birth_date,
        birthYear: r.birth_year,
        age,
        sex: r.sex,
        // Issue 10, item 10: a list (and its export) shows the phone masked.
        phone: maskIdentifier(r.phone),
        villageId: r.village_id,
        villageName: r.village_name,
        reason: r.reason,
        reasonLabel: r.reason ? UNVACCINATED_REASON_LABELS[r.reason] : null,
        reasonNote: r.note,
        reasonRecordedOn: r.recorded_on,
        flags: { age65, comorbidity: r.comorbidity, priority: age65 && r.comorbidity },
      };
    })
    .filter((i) => i.age >= qy.minAge)
    .sort((a, b) => Number(b.flags.priority) - Number(a.flags.priority));
  await audit(db, req, {
    action: 'vaccinations.read',
    resourceType: qy.village ? 'village' : 'commune',
    resourceId: key,
    outcome: 'allowed',
    detail: { list: 'unvaccinated', count: items.length, subjects: items.map((i) => i.personId) },
  });
  const byReason = Object.fromEntries(
    [...UNVACCINATED_REASONS, 'unknown'].map((r) => [
      r,
      items.filter((i) => (i.reason ?? 'unknown') === r).length,
    ]),
  );
  return {
    scope: { village: qy.village ?? null, commune: qy.commune ?? null, name: label },
    asOf,
    minAge: qy.minAge,
    total: items.length,
    byReason,
    items,
  };
}

export async function unvaccinatedRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/unvaccinated',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary:
          'Adults of a village (or commune) with no dose, with the reason and priority flags',
        description:
          'Returns {scope, asOf, minAge, total, byReason, items[{personId, fullName, birthDate, birthYear, age, sex, phone, villageId, villageName, reason, reasonLabel{vi,en}, reasonNote, reasonRecordedOn, flags{age65, comorbidity, priority}}]}; priority (≥ 65 with a comorbidity) first.',
        querystring: listQuery,
      },
    },
    async (req) => unvaccinated(req, req.query),
  );

  app.get(
    '/api/v1/unvaccinated.xlsx',
    {
      config: EXPORT_RATE_LIMIT,
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary: 'The unvaccinated list as an XLSX workbook for the village team',
        querystring: listQuery,
      },
    },
    async (req, reply) => {
      const list = await unvaccinated(req, req.query);
      const sex: Record<string, string> = { male: 'Nam', female: 'Nữ', other: 'Khác' };
      const rows: XlsxCell[][] = [
        [
          `Danh sách người từ ${list.minAge} tuổi chưa tiêm vắc xin COVID-19 — ${list.scope.name} — ngày ${formatViDate(list.asOf)}`,
        ],
        [
          'STT',
          'Họ và tên',
          'Ngày sinh / năm sinh',
          'Tuổi',
          'Giới',
          'Điện thoại',
          'Thôn/bản',
          'Lý do chưa tiêm',
          'Ghi chú',
          '≥ 65 tuổi',
          'Bệnh nền',
          'Ưu tiên',
        ],
        ...list.items.map((i, n) => [
          n + 1,
          i.fullName,
          i.birthDate ? formatViDate(i.birthDate) : String(i.birthYear),
          i.age,
          sex[i.sex] ?? i.sex,
          i.phone ?? '',
          i.villageName ?? '',
          i.reasonLabel?.vi ?? 'Chưa rõ',
          i.reasonNote ?? '',
          i.flags.age65 ? 'x' : '',
          i.flags.comorbidity ? 'x' : '',
          i.flags.priority ? 'x' : '',
        ]),
      ];
      const sheet: XlsxSheet = {
        name: 'Chưa tiêm',
        rows,
        boldRows: [0, 1],
        widths: rows[1]!.map((_, i) => (i === 1 ? 30 : i === 7 || i === 8 ? 24 : 12)),
      };
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="chua-tiem-${list.asOf}.xlsx"`)
        .send(await xlsxBuffer([sheet]));
    },
  );

  app.get(
    '/api/v1/unvaccinated/priority-by-district',
    {
      preHandler: requirePermission('coverage.read'),
      schema: {
        tags: [TAG],
        summary: 'Per district: people ≥ 65 with a comorbidity still unvaccinated',
        description: 'Returns {province, asOf, items[{districtCode, name, count}], total}.',
        querystring: z.object({
          province: z
            .string()
            .regex(/^\d{2}$/, 'Mã tỉnh gồm 2 chữ số')
            .optional()
            .describe('Default: your province'),
          asOf: isoDate.optional(),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const area = await areaScope(db, actor.scope);
      const province = req.query.province ?? actor.scope.provinceCode;
      if (province !== actor.scope.provinceCode) {
        await audit(db, req, {
          action: 'coverage.read',
          resourceType: 'admin_unit',
          resourceId: province,
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw notFound('Tỉnh');
      }
      const asOf = req.query.asOf ?? todayVn();
      const district = area.level === 'province' ? null : (area.districtCode ?? null);
      const rows = await db.query<{ district_code: string; name: string; n: number }>(
        `SELECT p.district_code, u.name, count(*)::int AS n
           FROM (SELECT person_id FROM vaccination_exemptions WHERE comorbidity
                 UNION SELECT person_id FROM vaccination_screenings WHERE comorbidity) c
           JOIN persons p ON p.id = c.person_id
           JOIN admin_units u ON u.code = p.district_code
          WHERE p.province_code = $1 AND p.merged_into IS NULL AND p.birth_year <= $2
            AND ($3::text IS NULL OR p.district_code = $3)
            AND NOT EXISTS (SELECT 1 FROM vaccination_status s WHERE s.person_id = p.id)
          GROUP BY p.district_code, u.name ORDER BY n DESC, p.district_code`,
        [province, Number(asOf.slice(0, 4)) - 65, district],
      );
      await audit(db, req, {
        action: 'coverage.read',
        resourceType: 'unvaccinated_priority',
        resourceId: district ?? province,
        outcome: 'allowed',
      });
      return {
        province,
        asOf,
        items: rows.map((r) => ({ districtCode: r.district_code, name: r.name, count: r.n })),
        total: rows.reduce((s, r) => s + r.n, 0),
      };
    },
  );

  app.post(
    '/api/v1/vaccination-exemptions',
    {
      preHandler: requirePermission('vaccinations.write'),
      schema: {
        tags: [TAG],
        summary: 'Record why a person is not vaccinated, and whether they have a comorbidity',
        body: z.object({
          clientId: z.uuid().optional().describe('Idempotency key'),
          personId: z.uuid(),
          reason: z.enum(UNVACCINATED_REASONS),
          comorbidity: z.boolean().default(false).describe('Has an underlying disease (bệnh nền)'),
          note: z.string().trim().max(500).optional(),
          date: isoDate.optional().describe('Default today'),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const person = await personForVaccination(db, req, b.personId, 'vaccinations.write');
      const out = await db.tx(async (q) => {
        const rows = await q.query<{ id: string; inserted: boolean }>(
          `INSERT INTO vaccination_exemptions (person_id, province_code, district_code, commune_code, village_id,
              reason, comorbidity, note, recorded_on, client_id, recorded_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
           ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id
           RETURNING id, (xmax = 0) AS inserted`,
          [
            person.id,
            person.registered_province_code,
            person.district_code,
            person.commune_code,
            person.village_id,
            b.reason,
            b.comorbidity,
            b.note ?? null,
            b.date ?? todayVn(),
            b.clientId ?? null,
            requireActor(req).id,
          ],
        );
        await audit(q, req, {
          action: 'vaccinations.write',
          resourceType: 'vaccination_exemption',
          resourceId: rows[0]!.id,
          outcome: 'allowed',
        });
        return rows[0]!;
      });
      return reply.status(out.inserted ? 201 : 200).send({
        id: out.id,
        personId: b.personId,
        reason: b.reason,
        comorbidity: b.comorbidity,
        replayed: !out.inserted,
      });
    },
  );
}
