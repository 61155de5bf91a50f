import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowed, contains, type Action, type Place } from '../../domain/access.ts';
import { HOUSEHOLD_RELATIONS } from '../../domain/people.ts';
import {
  audit,
  loadScoped,
  requireActor,
  requirePermission,
  scopePredicate,
  UUID_RE,
} from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { getUnit } from '../geo/units.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { personPlace, resolvePerson } from './store.ts';

const uuid = z.uuid('Mã không hợp lệ');

interface HouseholdRow {
  id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string;
  address: string | null;
  head_person_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}
const HOUSEHOLD_COLUMNS =
  'h.id, h.province_code, h.district_code, h.commune_code, h.village_id, h.address, h.head_person_id, h.created_at, h.updated_at';

const householdPlace = (h: HouseholdRow): Place => ({
  provinceCode: h.province_code,
  districtCode: h.district_code,
  communeCode: h.commune_code,
  villageId: h.village_id,
});

async function loadHousehold(q: Queryable, id: string) {
  const rows = await q.query<HouseholdRow>(
    `SELECT ${HOUSEHOLD_COLUMNS} FROM households h WHERE h.id = $1`,
    [id],
  );
  return rows[0];
}

async function members(q: Queryable, householdId: string) {
  const rows = await q.query<{
    person_id: string;
    relation: string;
    full_name: string;
    birth_year: number;
    sex: string;
    added_at: Date | string;
  }>(
    `SELECT m.person_id, m.relation, p.full_name, p.birth_year, p.sex, m.added_at
       FROM household_members m JOIN persons p ON p.id = m.person_id
      WHERE m.household_id = $1
      ORDER BY m.relation = 'head' DESC, p.birth_year, p.search_name, p.id`,
    [householdId],
  );
  return rows.map((r) => ({
    personId: r.person_id,
    relation: r.relation,
    fullName: r.full_name,
    birthYear: r.birth_year,
    sex: r.sex,
    addedAt: new Date(r.added_at).toISOString(),
  }));
}

const presentHousehold = (h: HouseholdRow) => ({
  id: h.id,
  provinceCode: h.province_code,
  districtCode: h.district_code,
  communeCode: h.commune_code,
  villageId: h.village_id,
  address: h.address,
  headPersonId: h.head_person_id,
  createdAt: new Date(h.created_at).toISOString(),
  updatedAt: new Date(h.updated_at).toISOString(),
});

async function withMembers(q: Queryable, h: HouseholdRow) {
  return { ...presentHousehold(h), members: await members(q, h.id) };
}

/** Loads a household held to the actor's scope: 404 and audited when missing or outside. */
function scopedHousehold(req: FastifyRequest, id: string, action: Action, auditAllowed = false) {
  return loadScoped(req, {
    action,
    resourceType: 'household',
    id,
    label: 'Hộ gia đình',
    auditAllowed,
    load: async () => {
      const row = await loadHousehold(req.server.db, id);
      return row && { ...householdPlace(row), row };
    },
  });
}

/** A person the actor may read (following a merge); 404 and audited otherwise. */
export async function scopedMember(req: FastifyRequest, personId: string, action: Action) {
  const actor = requireActor(req);
  const found = await resolvePerson(req.server.db, personId);
  if (!found || !allowed(actor, 'persons.read', personPlace(found.row))) {
    await audit(req.server.db, req, {
      action,
      resourceType: 'person',
      resourceId: personId,
      outcome: 'denied',
      reason: found ? 'outside_scope' : 'not_found',
    });
    throw notFound('Người');
  }
  return found.row;
}

/** A village named by a request: it must exist and lie in the actor's scope (404, audited). */
export async function villageInScope(req: FastifyRequest, villageId: string, action: Action) {
  const actor = requireActor(req);
  const rows = await req.server.db.query<{
    province_code: string;
    district_code: string;
    commune_code: string;
  }>('SELECT province_code, district_code, commune_code FROM villages WHERE id = $1', [villageId]);
  const v = rows[0];
  const place: Place | null = v
    ? {
        provinceCode: v.province_code,
        districtCode: v.district_code,
        communeCode: v.commune_code,
        villageId,
      }
    : null;
  if (!place || !contains(actor.scope, place)) {
    await audit(req.server.db, req, {
      action,
      resourceType: 'village',
      resourceId: villageId,
      outcome: 'denied',
      reason: place ? 'outside_scope' : 'not_found',
    });
    throw notFound('Thôn/bản');
  }
  return place as Required<Pick<Place, 'provinceCode' | 'districtCode' | 'communeCode'>> & {
    villageId: string;
  };
}

/** Households (hộ gia đình) in a village, with their members. */
export async function householdRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/households',
    {
      preHandler: requirePermission('households.read'),
      schema: {
        tags: ['people'],
        summary: 'Households in scope, of a village or a commune; keyset-paginated',
        querystring: z.object({
          village: uuid.optional(),
          commune: z
            .string()
            .regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số')
            .optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { village, commune, limit, cursor } = req.query;
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params, 'h')];
      if (village) {
        await villageInScope(req, village, 'households.read');
        params.push(village);
        where.push(`h.village_id = $${params.length}`);
      }
      if (commune) {
        const unit = await getUnit(db, commune);
        const place =
          unit && unit.level === 3
            ? {
                provinceCode: unit.province_code,
                districtCode: unit.district_code,
                communeCode: unit.code,
              }
            : null;
        if (!place || actor.scope.level === 'village' || !contains(actor.scope, place)) {
          await audit(db, req, {
            action: 'households.read',
            resourceType: 'commune',
            resourceId: commune,
            outcome: 'denied',
            reason: place ? 'outside_scope' : 'not_found',
          });
          throw notFound('Xã');
        }
        params.push(commune);
        where.push(`h.commune_code = $${params.length}`);
      }
      const after = decodeCursor(cursor, ['uuid']);
      if (after) {
        if (!UUID_RE.test(String(after[0])))
          throw badRequest('cursor: không hợp lệ', [
            { path: 'cursor', message: 'Con trỏ phân trang không hợp lệ' },
          ]);
        params.push(after[0]);
        where.push(`h.id > $${params.length}::uuid`);
      }
      params.push(limit + 1);
      const rows = await db.query<
        HouseholdRow & { head_name: string | null; member_count: number }
      >(
        `SELECT ${HOUSEHOLD_COLUMNS}, hp.full_name AS head_name,
                (SELECT count(*)::int FROM household_members m WHERE m.household_id = h.id) AS member_count
           FROM households h LEFT JOIN persons hp ON hp.id = h.head_person_id
          WHERE ${where.join(' AND ')} ORDER BY h.id LIMIT $${params.length}`,
        params,
      );
      const p = page(rows, limit, (r) => [r.id]);
      await audit(db, req, {
        action: 'households.list',
        resourceType: 'household',
        outcome: 'allowed',
        detail: {
          village: village ?? null,
          commune: commune ?? null,
          ids: p.items.map((r) => r.id),
        },
      });
      return {
        items: p.items.map((r) => ({
          ...presentHousehold(r),
          headName: r.head_name,
          memberCount: r.member_count,
        })),
        nextCursor: p.nextCursor,
      };
    },
  );

  app.post(
    '/api/v1/households',
    {
      preHandler: requirePermission('households.write'),
      schema: {
        tags: ['people'],
        summary: 'Add a household in a village, optionally with its head',
        body: z.object({
          villageId: uuid,
          address: z.string().trim().max(200).nullable().optional(),
          headPersonId: uuid.optional(),
          clientId: z.uuid().optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const place = await villageInScope(req, b.villageId, 'households.write');
      const head = b.headPersonId
        ? await scopedMember(req, b.headPersonId, 'households.write')
        : null;
      const result = await db.tx(async (q) => {
        if (b.clientId) {
          const prior = await q.query<HouseholdRow>(
            `SELECT ${HOUSEHOLD_COLUMNS} FROM households h WHERE h.client_id = $1`,
            [b.clientId],
          );
          if (prior[0]) return { row: prior[0], created: false };
        }
        const rows = await q.query<HouseholdRow>(
          `INSERT INTO households (province_code, district_code, commune_code, village_id, address, head_person_id, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING ${HOUSEHOLD_COLUMNS.replace(/h\./g, '')}`,
          [
            place.provinceCode,
            place.districtCode,
            place.communeCode,
            place.villageId,
            b.address || null,
            head?.id ?? null,
            b.clientId ?? null,
            actor.id,
          ],
        );
        const row = rows[0]!;
        if (head)
          await q.query(
            `INSERT INTO household_members (household_id, person_id, relation, added_by) VALUES ($1,$2,'head',$3)`,
            [row.id, head.id, actor.id],
          );
        await audit(q, req, {
          action: 'households.create',
          resourceType: 'household',
          resourceId: row.id,
          outcome: 'allowed',
          detail: head ? { headPersonId: head.id } : undefined,
        });
        return { row, created: true };
      });
      if (!result.created && !contains(actor.scope, householdPlace(result.row))) {
        await audit(db, req, {
          action: 'households.write',
          resourceType: 'household',
          resourceId: b.clientId,
          outcome: 'denied',
          reason: 'client_id_taken',
        });
        throw conflict('clientId đã được dùng cho một bản ghi khác', [
          { path: 'clientId', message: 'Mã đã dùng' },
        ]);
      }
      return reply.status(result.created ? 201 : 200).send(await withMembers(db, result.row));
    },
  );

  app.get(
    '/api/v1/households/:id',
    {
      preHandler: requirePermission('households.read'),
      schema: {
        tags: ['people'],
        summary: 'One household with its members',
        params: z.object({ id: uuid }),
      },
    },
    async (req) => {
      const h = await scopedHousehold(req, req.params.id, 'households.read', true);
      return withMembers(db, h.row);
    },
  );

  app.post(
    '/api/v1/households/:id/members',
    {
      preHandler: requirePermission('households.write'),
      schema: {
        tags: ['people'],
        summary: 'Add a person to a household, or change their relation (one head per household)',
        params: z.object({ id: uuid }),
        body: z.object({ personId: uuid, relation: z.enum(HOUSEHOLD_RELATIONS) }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const h = await scopedHousehold(req, req.params.id, 'households.write');
      const person = await scopedMember(req, req.body.personId, 'households.write');
      const { relation } = req.body;
      const result = await db.tx(async (q) => {
        await q.query('SELECT 1 FROM households WHERE id = $1 FOR UPDATE', [h.row.id]);
        const head = await q.query<{ person_id: string }>(
          `SELECT person_id FROM household_members WHERE household_id = $1 AND relation = 'head'`,
          [h.row.id],
        );
        if (relation === 'head' && head[0] && head[0].person_id !== person.id)
          throw conflict('Hộ đã có chủ hộ; đổi quan hệ của chủ hộ hiện tại trước', [
            { path: 'relation', message: 'Hộ đã có chủ hộ' },
          ]);
        const prior = await q.query<{ relation: string }>(
          'SELECT relation FROM household_members WHERE household_id = $1 AND person_id = $2',
          [h.row.id, person.id],
        );
        await q.query(
          `INSERT INTO household_members (household_id, person_id, relation, added_by) VALUES ($1,$2,$3,$4)
           ON CONFLICT (household_id, person_id) DO UPDATE SET relation = EXCLUDED.relation`,
          [h.row.id, person.id, relation, actor.id],
        );
        const headId =
          relation === 'head'
            ? person.id
            : head[0]?.person_id === person.id
              ? null
              : (head[0]?.person_id ?? null);
        await q.query(
          'UPDATE households SET head_person_id = $2, updated_at = now() WHERE id = $1',
          [h.row.id, headId],
        );
        await audit(q, req, {
          action: 'households.member_add',
          resourceType: 'household',
          resourceId: h.row.id,
          outcome: 'allowed',
          detail: { personId: person.id, relation, before: prior[0]?.relation ?? null },
        });
        return { created: !prior[0], row: (await loadHousehold(q, h.row.id))! };
      });
      return reply.status(result.created ? 201 : 200).send(await withMembers(db, result.row));
    },
  );

  app.delete(
    '/api/v1/households/:id/members/:personId',
    {
      preHandler: requirePermission('households.write'),
      schema: {
        tags: ['people'],
        summary: 'Remove a person from a household',
        params: z.object({ id: uuid, personId: uuid }),
      },
    },
    async (req) => {
      const h = await scopedHousehold(req, req.params.id, 'households.write');
      const found = await resolvePerson(db, req.params.personId);
      const personId = found?.row.id ?? req.params.personId;
      const row = await db.tx(async (q) => {
        const gone = await q.query<{ relation: string }>(
          'DELETE FROM household_members WHERE household_id = $1 AND person_id = $2 RETURNING relation',
          [h.row.id, personId],
        );
        if (!gone[0]) return null;
        if (gone[0].relation === 'head')
          await q.query(
            'UPDATE households SET head_person_id = NULL, updated_at = now() WHERE id = $1',
            [h.row.id],
          );
        await audit(q, req, {
          action: 'households.member_remove',
          resourceType: 'household',
          resourceId: h.row.id,
          outcome: 'allowed',
          detail: { personId, relation: gone[0].relation },
        });
        return (await loadHousehold(q, h.row.id))!;
      });
      if (!row) {
        await audit(db, req, {
          action: 'households.write',
          resourceType: 'household_member',
          resourceId: `${h.row.id}/${req.params.personId}`,
          outcome: 'denied',
          reason: 'not_found',
        });
        throw notFound('Thành viên hộ');
      }
      return withMembers(db, row);
    },
  );
}
