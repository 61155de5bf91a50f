import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contains, SITE_KINDS } from '../../domain/access.ts';
import { SITE_KIND_LABELS } from '../../domain/labels.ts';
import {
  areaScope,
  audit,
  loadScoped,
  requireActor,
  requirePermission,
  scopePredicate,
} from '../context.ts';
import { fieldError } from '../errors.ts';
import { getUnit } from './units.ts';

interface SiteRow {
  id: string;
  kind: (typeof SITE_KINDS)[number];
  name: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  address: string | null;
  disabled: boolean;
}
const SITE_COLUMNS =
  'id, kind, name, province_code, district_code, commune_code, address, disabled';
const presentSite = (s: SiteRow) => ({
  id: s.id,
  kind: s.kind,
  kindLabel: SITE_KIND_LABELS[s.kind],
  name: s.name,
  provinceCode: s.province_code,
  districtCode: s.district_code,
  communeCode: s.commune_code,
  address: s.address,
  disabled: s.disabled,
});

/** Sites (checkpoints, labs, facilities, lodging…): each in a commune, each with its own accounts. */
export async function siteRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/sites',
    {
      preHandler: requirePermission('sites.read'),
      schema: {
        tags: ['sites'],
        querystring: z.object({
          commune: z
            .string()
            .regex(/^\d{5}$/)
            .optional(),
          kind: z.enum(SITE_KINDS).optional(),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where = [
        actor.scope.level === 'site'
          ? scopePredicate(actor.scope, params, '', { site: 'id' })
          : actor.scope.level === 'village' // sites have no village: a village sees its commune's
            ? scopePredicate({ ...actor.scope, level: 'commune' }, params)
            : scopePredicate(await areaScope(db, actor.scope), params),
      ];
      if (req.query.commune) {
        params.push(req.query.commune);
        where.push(`commune_code = $${params.length}`);
      }
      if (req.query.kind) {
        params.push(req.query.kind);
        where.push(`kind = $${params.length}`);
      }
      const rows = await db.query<SiteRow>(
        `SELECT ${SITE_COLUMNS} FROM sites WHERE ${where.join(' AND ')} ORDER BY name LIMIT 1000`,
        params,
      );
      return { items: rows.map(presentSite) };
    },
  );

  app.get(
    '/api/v1/sites/:id',
    {
      preHandler: requirePermission('sites.read'),
      schema: { tags: ['sites'], params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const s = await loadScoped(req, {
        action: 'sites.read',
        resourceType: 'site',
        id: req.params.id,
        label: 'Cơ sở',
        auditAllowed: false,
        load: async () => {
          const r = (
            await db.query<SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1`, [
              req.params.id,
            ])
          )[0];
          return (
            r && {
              provinceCode: r.province_code,
              districtCode: r.district_code,
              communeCode: r.commune_code,
              siteId: r.id,
              row: r,
            }
          );
        },
      });
      return presentSite(s.row);
    },
  );

  app.post(
    '/api/v1/sites',
    {
      preHandler: requirePermission('sites.manage'),
      schema: {
        tags: ['sites'],
        summary:
          'Register a site (checkpoint, lab, facility, lodging…) in a commune of your jurisdiction',
        body: z.object({
          kind: z.enum(SITE_KINDS),
          name: z.string().trim().min(2).max(200),
          communeCode: z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số'),
          address: z.string().trim().max(300).optional(),
          clientId: z.uuid().optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const unit = await getUnit(db, b.communeCode);
      const place =
        unit?.level === 3
          ? {
              provinceCode: unit.province_code,
              districtCode: unit.district_code,
              communeCode: unit.code,
            }
          : null;
      if (!place) throw fieldError('communeCode', `Không có xã mã ${b.communeCode}`);
      if (!contains(actor.scope, place)) {
        await audit(db, req, {
          action: 'sites.manage',
          resourceType: 'commune',
          resourceId: b.communeCode,
          outcome: 'denied',
          reason: 'outside_scope',
        });
        throw fieldError('communeCode', 'Xã này nằm ngoài địa bàn bạn quản lý');
      }
      const result = await db.tx(async (q) => {
        if (b.clientId) {
          const prior = await q.query<SiteRow>(
            `SELECT ${SITE_COLUMNS} FROM sites WHERE client_id = $1`,
            [b.clientId],
          );
          if (prior[0]) return { row: prior[0], replay: true };
        }
        const rows = await q.query<SiteRow>(
          `INSERT INTO sites (kind, name, province_code, district_code, commune_code, address, client_id)
           VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING ${SITE_COLUMNS}`,
          [
            b.kind,
            b.name,
            place.provinceCode,
            place.districtCode,
            place.communeCode,
            b.address ?? null,
            b.clientId ?? null,
          ],
        );
        await audit(q, req, {
          action: 'sites.create',
          resourceType: 'site',
          resourceId: rows[0]!.id,
          outcome: 'allowed',
        });
        return { row: rows[0]!, replay: false };
      });
      return reply.status(result.replay ? 200 : 201).send(presentSite(result.row));
    },
  );
}
