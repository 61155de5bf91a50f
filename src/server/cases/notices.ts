/**
 * Notices to a commune: a new F0 in its area, a new F1 to reach, a result… Written inside the
 * caller's transaction (so a rolled-back write leaves no notice), read by the area's staff
 * (GET /api/v1/notices, routes in notices-routes.ts).
 */
import type { Queryable } from '../db/index.ts';

export interface NoticeInput {
  communeCode: string;
  /** 'case.new', 'contact.f1', 'test.positive'… */
  kind: string;
  title: { vi: string; en: string };
  refType: string;
  refId: string;
  /**
   * The person the notice names (issue 10 item 10): the notice is stamped with that person's
   * village when they live in the commune told, so a village team reads only its village's notices.
   */
  personId: string;
}

/** Tells the commune `communeCode` (and, through its codes, its district and province). */
export async function notifyCommune(q: Queryable, n: NoticeInput): Promise<void> {
  const rows = await q.query(
    `INSERT INTO notices (province_code, district_code, commune_code, village_id, kind, title, ref_type, ref_id)
     SELECT u.province_code, u.district_code, u.code,
            (SELECT p.village_id FROM persons p WHERE p.id = $6 AND p.commune_code = u.code),
            $2, $3, $4, $5 FROM admin_units u
      WHERE u.code = $1 AND u.level = 3 RETURNING id`,
    [n.communeCode, n.kind, JSON.stringify(n.title), n.refType, n.refId, n.personId],
  );
  if (!rows[0]) throw new Error(`notifyCommune: ${n.communeCode} is not a commune code`);
}

/** Tells a province as a whole (its province-level staff): no district or commune named. */
export async function notifyProvince(
  q: Queryable,
  n: Omit<NoticeInput, 'communeCode' | 'personId'> & { provinceCode: string },
): Promise<void> {
  await q.query(
    `INSERT INTO notices (province_code, kind, title, ref_type, ref_id) VALUES ($1, $2, $3, $4, $5)`,
    [n.provinceCode, n.kind, JSON.stringify(n.title), n.refType, n.refId],
  );
}
