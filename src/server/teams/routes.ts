import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowed } from '../../domain/access.ts';
import { audit, requireActor, requirePermission, scopePredicate } from '../context.ts';
import { badRequest, conflict, fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { scopedMember, villageInScope } from '../people/households.ts';
import {
  loadTeam,
  presentTeam,
  scopedTeam,
  TEAM_COLUMNS,
  TEAM_FROM,
  teamPlace,
  type TeamRow,
} from './store.ts';

const uuid = z.uuid('Mã không hợp lệ');
const TAG = 'teams';

/**
 * Keeping community teams (issue 18 item 2): commune (district, province) health staff create a
 * village's team, name its leader's account, add members from the registry and assign the
 * households it looks after. A team leader reads their own team.
 */
export async function teamRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/teams',
    {
      preHandler: requirePermission('teams.read'),
      schema: {
        tags: [TAG],
        summary: 'Teams in scope (a team leader: their own), optionally of one village',
        querystring: z.object({ village: uuid.optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const q = req.query;
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params, 't')];
      if (actor.role === 'community_team') {
        params.push(actor.id);
        where.push(`t.leader_user_id = $${params.length}`);
      }
      if (q.village) {
        await villageInScope(req, q.village, 'teams.read');
        params.push(q.village);
        where.push(`t.village_id = $${params.length}`);
      }
      const after = decodeCursor(q.cursor, ['uuid']);
      if (after) {
        params.push(after[0]);
        where.push(`t.id > $${params.length}::uuid`);
      }
      params.push(q.limit + 1);
      const rows = await db.query<TeamRow & { households: number; members: number }>(
        `SELECT ${TEAM_COLUMNS},
                (SELECT count(*)::int FROM community_team_households th WHERE th.team_id = t.id) AS households,
                (SELECT count(*)::int FROM community_team_members m WHERE m.team_id = t.id) AS members
           FROM ${TEAM_FROM} WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT $${params.length}`,
        params,
      );
      const p = page(rows, q.limit, (r) => [r.id]);
      return {
        items: p.items.map((r) => ({
          ...presentTeam(r),
          households: r.households,
          members: r.members,
        })),
        nextCursor: p.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/teams/leader-accounts',
    {
      preHandler: requirePermission('teams.manage'),
      schema: {
        tags: [TAG],
        summary: "The community team accounts of a village, to name a team's leader",
        querystring: z.object({ village: uuid }),
      },
    },
    async (req) => {
      await villageInScope(req, req.query.village, 'teams.manage');
      const rows = await db.query<{ id: string; username: string; full_name: string }>(
        `SELECT id, username, full_name FROM users
          WHERE village_id = $1 AND role = 'community_team' AND NOT disabled ORDER BY full_name, id LIMIT 200`,
        [req.query.village],
      );
      return {
        items: rows.map((u) => ({ id: u.id, username: u.username, fullName: u.full_name })),
      };
    },
  );

  app.post(
    '/api/v1/teams',
    {
      preHandler: requirePermission('teams.manage'),
      schema: {
        tags: [TAG],
        summary: 'Create a village team (idempotent by clientId)',
        body: z.object({
          villageId: uuid,
          name: z.string().trim().min(2).max(120),
          leaderUserId: uuid.nullable().optional(),
          clientId: z.uuid().optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const place = await villageInScope(req, b.villageId, 'teams.manage');
      if (b.leaderUserId) await checkLeader(b.leaderUserId, b.villageId);
      const out = await db.tx(async (q) => {
        if (b.clientId) {
          const prior = await q.query<{ id: string }>(
            'SELECT id FROM community_teams WHERE client_id = $1',
            [b.clientId],
          );
          if (prior[0]) return { id: prior[0].id, created: false };
        }
        const rows = await q.query<{ id: string }>(
          `INSERT INTO community_teams (client_id, province_code, district_code, commune_code, village_id, name,
             leader_user_id, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
          [
            b.clientId ?? null,
            place.provinceCode,
            place.districtCode,
            place.communeCode,
            place.villageId,
            b.name,
            b.leaderUserId ?? null,
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'teams.create',
          resourceType: 'community_team',
          resourceId: rows[0]!.id,
          outcome: 'allowed',
        });
        return { id: rows[0]!.id, created: true };
      });
      const row = (await loadTeam(db, out.id))!;
      if (!out.created && !allowed(actor, 'teams.manage', teamPlace(row)))
        throw conflict('clientId đã được dùng cho một bản ghi khác', [
          { path: 'clientId', message: 'Mã đã dùng' },
        ]);
      return reply.status(out.created ? 201 : 200).send(presentTeam(row));
    },
  );

  /** The leader's account: a community_team user placed at the team's village. */
  async function checkLeader(userId: string, villageId: string) {
    const u = (
      await db.query<{ role: string; village_id: string | null }>(
        'SELECT role, village_id FROM users WHERE id = $1 AND NOT disabled',
        [userId],
      )
    )[0];
    if (!u || u.role !== 'community_team' || u.village_id !== villageId)
      throw fieldError('leaderUserId', 'Tổ trưởng phải là tài khoản tổ COVID cộng đồng của thôn');
  }

  app.patch(
    '/api/v1/teams/:id',
    {
      preHandler: requirePermission('teams.manage'),
      schema: {
        tags: [TAG],
        summary: "Rename a team or change its leader's account",
        params: z.object({ id: uuid }),
        body: z.object({
          name: z.string().trim().min(2).max(120).optional(),
          leaderUserId: uuid.nullable().optional(),
        }),
      },
    },
    async (req) => {
      const team = await scopedTeam(req, req.params.id, 'teams.manage', false);
      const b = req.body;
      if (b.leaderUserId) await checkLeader(b.leaderUserId, team.village_id);
      await db.tx(async (q) => {
        await q.query(
          `UPDATE community_teams SET name = coalesce($2, name),
             leader_user_id = CASE WHEN $3::boolean THEN $4::uuid ELSE leader_user_id END, updated_at = now()
           WHERE id = $1`,
          [team.id, b.name ?? null, b.leaderUserId !== undefined, b.leaderUserId ?? null],
        );
        await audit(q, req, {
          action: 'teams.update',
          resourceType: 'community_team',
          resourceId: team.id,
          outcome: 'allowed',
          detail: { before: { name: team.name, leaderUserId: team.leader_user_id } },
        });
      });
      return presentTeam((await loadTeam(db, team.id))!);
    },
  );

  app.get(
    '/api/v1/teams/:id',
    {
      preHandler: requirePermission('teams.read'),
      schema: { tags: [TAG], summary: 'A team with its members', params: z.object({ id: uuid }) },
    },
    async (req) => {
      const team = await scopedTeam(req, req.params.id, 'teams.read');
      const members = await db.query<{
        person_id: string;
        role: string;
        full_name: string;
        birth_year: number;
      }>(
        `SELECT m.person_id, m.role, p.full_name, p.birth_year FROM community_team_members m
           JOIN persons p ON p.id = m.person_id WHERE m.team_id = $1
          ORDER BY m.role = 'leader' DESC, p.search_name, p.id`,
        [team.id],
      );
      const households = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM community_team_households WHERE team_id = $1',
        [team.id],
      );
      return {
        ...presentTeam(team),
        households: households[0]!.n,
        members: members.map((m) => ({
          personId: m.person_id,
          role: m.role,
          fullName: m.full_name,
          birthYear: m.birth_year,
        })),
      };
    },
  );

  app.post(
    '/api/v1/teams/:id/members',
    {
      preHandler: requirePermission('teams.manage'),
      schema: {
        tags: [TAG],
        summary: 'Add a person of the registry to the team (or change their role)',
        params: z.object({ id: uuid }),
        body: z.object({ personId: uuid, role: z.enum(['leader', 'member']).default('member') }),
      },
    },
    async (req, reply) => {
      const team = await scopedTeam(req, req.params.id, 'teams.manage', false);
      const person = await scopedMember(req, req.body.personId, 'teams.manage');
      const actor = requireActor(req);
      const created = await db.tx(async (q) => {
        const ins = await q.query<{ inserted: boolean }>(
          `INSERT INTO community_team_members (team_id, person_id, role, added_by) VALUES ($1,$2,$3,$4)
           ON CONFLICT (team_id, person_id) DO UPDATE SET role = EXCLUDED.role
           RETURNING (xmax = 0) AS inserted`,
          [team.id, person.id, req.body.role, actor.id],
        );
        await audit(q, req, {
          action: 'teams.member_add',
          resourceType: 'community_team',
          resourceId: team.id,
          outcome: 'allowed',
          detail: { personId: person.id, role: req.body.role },
        });
        return ins[0]!.inserted;
      });
      return reply.status(created ? 201 : 200).send({ personId: person.id, role: req.body.role });
    },
  );

  app.delete(
    '/api/v1/teams/:id/members/:personId',
    {
      preHandler: requirePermission('teams.manage'),
      schema: { tags: [TAG], params: z.object({ id: uuid, personId: uuid }) },
    },
    async (req) => {
      const team = await scopedTeam(req, req.params.id, 'teams.manage', false);
      const gone = await db.tx(async (q) => {
        const rows = await q.query(
          'DELETE FROM community_team_members WHERE team_id = $1 AND person_id = $2 RETURNING person_id',
          [team.id, req.params.personId],
        );
        if (rows[0])
          await audit(q, req, {
            action: 'teams.member_remove',
            resourceType: 'community_team',
            resourceId: team.id,
            outcome: 'allowed',
            detail: { personId: req.params.personId },
          });
        return !!rows[0];
      });
      if (!gone) throw notFound('Thành viên tổ');
      return { removed: true };
    },
  );

  app.post(
    '/api/v1/teams/:id/households',
    {
      preHandler: requirePermission('teams.manage'),
      schema: {
        tags: [TAG],
        summary:
          "Assign households of the team's village to the team (a household of another team moves)",
        params: z.object({ id: uuid }),
        body: z.object({ householdIds: z.array(uuid).min(1).max(500) }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const team = await scopedTeam(req, req.params.id, 'teams.manage', false);
      const ids = [...new Set(req.body.householdIds)];
      const rows = await db.query<{
        id: string;
        province_code: string;
        district_code: string;
        commune_code: string;
        village_id: string;
      }>(
        `SELECT id, province_code, district_code, commune_code, village_id FROM households WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      // every id named is checked: unknown or outside the actor's area → 404, audited
      const hidden = ids.filter((id) => {
        const h = byId.get(id);
        return (
          !h ||
          !allowed(actor, 'teams.manage', {
            provinceCode: h.province_code,
            districtCode: h.district_code,
            communeCode: h.commune_code,
            villageId: h.village_id,
          })
        );
      });
      if (hidden.length) {
        await audit(db, req, {
          action: 'teams.manage',
          resourceType: 'household',
          resourceId: hidden[0],
          outcome: 'denied',
          reason: 'outside_scope',
          detail: { ids: hidden },
        });
        throw notFound('Hộ gia đình');
      }
      const elsewhere = req.body.householdIds.findIndex(
        (id) => byId.get(id)!.village_id !== team.village_id,
      );
      if (elsewhere >= 0)
        throw badRequest('Hộ không thuộc thôn của tổ', [
          { path: `householdIds.${elsewhere}`, message: 'Hộ không thuộc thôn của tổ' },
        ]);
      await db.tx(async (q) => {
        await q.query(
          `INSERT INTO community_team_households (household_id, team_id, village_id, assigned_by)
           SELECT h, $2, $3, $4 FROM unnest($1::uuid[]) h
           ON CONFLICT (household_id) DO UPDATE SET team_id = EXCLUDED.team_id,
             assigned_by = EXCLUDED.assigned_by, assigned_at = now()`,
          [ids, team.id, team.village_id, actor.id],
        );
        await audit(q, req, {
          action: 'teams.households_assign',
          resourceType: 'community_team',
          resourceId: team.id,
          outcome: 'allowed',
          detail: { householdIds: ids },
        });
      });
      return { assigned: ids.length };
    },
  );

  app.get(
    '/api/v1/teams/:id/households',
    {
      preHandler: requirePermission('teams.read'),
      schema: {
        tags: [TAG],
        summary: 'The households a team looks after, with their head and size',
        params: z.object({ id: uuid }),
        querystring: z.object(pageQuery),
      },
    },
    async (req) => {
      const team = await scopedTeam(req, req.params.id, 'teams.read', false);
      const after = decodeCursor(req.query.cursor, ['uuid']);
      const params: unknown[] = [team.id, req.query.limit + 1];
      if (after) params.push(after[0]);
      const rows = await db.query<{
        id: string;
        address: string | null;
        head_name: string | null;
        members: number;
      }>(
        `SELECT h.id, h.address, hp.full_name AS head_name,
                (SELECT count(*)::int FROM household_members m WHERE m.household_id = h.id) AS members
           FROM (SELECT household_id FROM community_team_households
                  WHERE team_id = $1 ${after ? 'AND household_id > $3::uuid' : ''}
                  ORDER BY household_id LIMIT $2) th
           JOIN households h ON h.id = th.household_id
           LEFT JOIN persons hp ON hp.id = h.head_person_id
          ORDER BY h.id`,
        params,
      );
      const p = page(rows, req.query.limit, (r) => [r.id]);
      await audit(db, req, {
        action: 'teams.households',
        resourceType: 'community_team',
        resourceId: team.id,
        outcome: 'allowed',
        detail: { ids: p.items.map((r) => r.id) },
      });
      return {
        items: p.items.map((r) => ({
          id: r.id,
          address: r.address,
          headName: r.head_name,
          members: r.members,
        })),
        nextCursor: p.nextCursor,
      };
    },
  );
}
