import type { FastifyRequest } from 'fastify';
import type { Action, Place } from '../../domain/access.ts';
import { loadScopedAny, requireActor } from '../context.ts';
import type { Queryable } from '../db/index.ts';

export interface TeamRow {
  id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string;
  village_name: string;
  name: string;
  leader_user_id: string | null;
  leader_name: string | null;
  created_at: Date | string;
}
export const TEAM_COLUMNS = `t.id, t.province_code, t.district_code, t.commune_code, t.village_id, v.name AS village_name,
  t.name, t.leader_user_id, u.full_name AS leader_name, t.created_at`;
export const TEAM_FROM = `community_teams t JOIN villages v ON v.id = t.village_id
  LEFT JOIN users u ON u.id = t.leader_user_id`;

export const teamPlace = (t: TeamRow): Place => ({
  provinceCode: t.province_code,
  districtCode: t.district_code,
  communeCode: t.commune_code,
  villageId: t.village_id,
});

export async function loadTeam(q: Queryable, id: string): Promise<TeamRow | undefined> {
  return (
    await q.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM ${TEAM_FROM} WHERE t.id = $1`, [id])
  )[0];
}

/**
 * A team held to the actor: its village must be in the actor's scope, and a team leader
 * (community_team) reaches only the team they lead — another team of the same village answers
 * the same 404 as one of another village, and the attempt is audited.
 */
export function scopedTeam(req: FastifyRequest, id: string, action: Action, auditAllowed = true) {
  const actor = requireActor(req);
  return loadScopedAny<TeamRow>(req, {
    action,
    resourceType: 'community_team',
    id,
    label: 'Tổ COVID cộng đồng',
    auditAllowed,
    load: async () => {
      const row = await loadTeam(req.server.db, id);
      if (!row) return undefined;
      const leads = actor.role !== 'community_team' || row.leader_user_id === actor.id;
      return { places: leads ? [teamPlace(row)] : [], row };
    },
  });
}

export const presentTeam = (t: TeamRow) => ({
  id: t.id,
  name: t.name,
  provinceCode: t.province_code,
  districtCode: t.district_code,
  communeCode: t.commune_code,
  villageId: t.village_id,
  villageName: t.village_name,
  leaderUserId: t.leader_user_id,
  leaderName: t.leader_name,
  createdAt: new Date(t.created_at).toISOString(),
});
