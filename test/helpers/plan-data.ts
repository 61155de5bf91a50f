import type { Scope } from '../../src/domain/access.ts';
import type { Db } from '../../src/server/db/index.ts';

/**
 * A data set big enough for the planner to care, for the plan tests of the list endpoints:
 * 200,000 rows in each big table, spread over 10 districts and 130 communes of province 11, made
 * with `generate_series` in SQL (references and triggers are switched off for the fill: the plan
 * depends on sizes and distributions, not on the referenced rows). Then ANALYZE.
 */
export const PLAN_ROWS = 200_000;

export const BIG_TABLES = [
  'persons',
  'person_name_keys',
  'cases',
  'contacts',
  'entries',
  'follow_ups',
  'audit_events',
  'audit_event_areas',
  'test_results',
  'test_orders',
  'specimens',
  'vaccination_doses',
  'vaccination_status',
  'households',
  'quarantine_orders',
];

const province = '11';
const district = '00007';
const commune = '00007';
export const PLAN_SCOPES: Record<string, Scope> = {
  province: { level: 'province', provinceCode: province, districtCode: null, communeCode: null },
  district: {
    level: 'district',
    provinceCode: province,
    districtCode: district,
    communeCode: null,
  },
  commune: {
    level: 'commune',
    provinceCode: province,
    districtCode: district,
    communeCode: commune,
  },
};

/** SQL pieces of the generated areas: row g lives in commune g % 130 of district (g % 130) % 10. */
const AREA = `'11', lpad(((g % 130) % 10)::text, 5, '0'), lpad((g % 130)::text, 5, '0')`;
const uuidOf = (salt: string) => `md5('${salt}' || g)::uuid`;
const at = `(timestamptz '2026-12-07 12:00+07' - g * interval '3 minutes')`;

export async function fillForPlans(db: Db, n = PLAN_ROWS): Promise<void> {
  await db.tx(async (q) => {
    await q.query('SET LOCAL session_replication_role = replica');
    const fill = (sql: string) => q.query(sql.replaceAll(':n', String(n)));
    await fill(`INSERT INTO persons (id, full_name, search_name, birth_year, sex, province_code, district_code,
        commune_code, registered_province_code, id_type, id_number, phone)
      SELECT ${uuidOf('p')}, 'Người ' || g, 'nguoi ' || g, 1940 + g % 80, 'female', ${AREA}, '11',
        'cccd', lpad(g::text, 12, '0'), '09' || lpad(g::text, 8, '0')
      FROM generate_series(1, :n) g`);
    await fill(`INSERT INTO person_name_keys (person_id, key, search_name, birth_year, registered_province_code,
        district_code, commune_code)
      SELECT ${uuidOf('p')}, k.key, 'nguoi ' || g, 1940 + g % 80, '11', lpad(((g % 130) % 10)::text, 5, '0'),
        lpad((g % 130)::text, 5, '0')
      FROM generate_series(1, :n) g, LATERAL (VALUES ('nguoi ' || g), (g::text)) k(key)`);
    await fill(`INSERT INTO cases (id, code, person_id, province_code, district_code, commune_code,
        current_province_code, current_district_code, current_commune_code, positive_sample_at,
        found_by, decision, source, status, closed_at, home_province_code, home_district_code, home_commune_code)
      SELECT ${uuidOf('c')}, 'F0-' || g, ${uuidOf('p')}, ${AREA}, ${AREA}, ${at}, 'community', '{}', '{}',
        CASE WHEN g % 3 = 0 THEN 'recovered' ELSE 'home_isolation' END,
        CASE WHEN g % 3 = 0 THEN ${at} END, ${AREA}
      FROM generate_series(1, :n) g`);
    await fill(`INSERT INTO entries (id, client_id, site_id, province_code, district_code, commune_code,
        person_id, direction, at, entry_date, recorded_by)
      SELECT ${uuidOf('e')}, ${uuidOf('ec')}, md5('site' || g % 20)::uuid, ${AREA}, ${uuidOf('p')}, 'in',
        ${at}, (${at} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, md5('u')::uuid
      FROM generate_series(1, :n) g`);
    await fill(`INSERT INTO follow_ups (id, entry_id, person_id, province_code, district_code, commune_code,
        out_of_province, action, start_date, monitoring_ends, status, next_due)
      SELECT ${uuidOf('f')}, ${uuidOf('e')}, ${uuidOf('p')}, ${AREA}, g % 10 = 0, 'monitor',
        date '2026-12-07' - g / 1000, date '2026-12-07' - g / 1000 + 14,
        CASE WHEN g % 4 = 0 THEN 'completed' ELSE 'open' END,
        CASE WHEN g % 4 = 0 THEN NULL ELSE date '2026-12-07' - g / 1000 + 14 END
      FROM generate_series(1, :n) g`);
    await fill(`INSERT INTO quarantine_orders (id, contact_id, case_id, person_id, province_code, district_code,
        commune_code, ruleset_id, rule_id, explanation, kind, start_date, monitoring_ends, status, next_due)
      SELECT ${uuidOf('o')}, ${uuidOf('k')}, ${uuidOf('c')}, ${uuidOf('p')}, ${AREA}, 'r', 'r', '{}', 'home',
        date '2026-12-07' - g / 1000, date '2026-12-07' - g / 1000 + 14,
        CASE WHEN g % 4 = 0 THEN 'completed' ELSE 'open' END,
        CASE WHEN g % 4 = 0 THEN NULL ELSE date '2026-12-07' - g / 1000 + 14 END
      FROM generate_series(1, :n) g`);
    await fill(`INSERT INTO audit_events (at, action, resource_type, outcome, province_code, district_code, commune_code)
      SELECT ${at}, 'persons.read', 'person', 'allowed', ${AREA} FROM generate_series(1, :n) g`);
    // Whose data each event showed: subjects in another area than the actor's (issue 10 item 9).
    await fill(`INSERT INTO audit_event_areas (unit_code, event_id)
      SELECT DISTINCT v.code, e.id FROM audit_events e,
        LATERAL (VALUES (lpad(((e.id * 7 % 130) % 10)::text, 5, '0')),
                        (lpad((e.id * 7 % 130)::text, 5, '0'))) v(code)`);
  });
  for (const t of [
    'persons',
    'cases',
    'entries',
    'follow_ups',
    'quarantine_orders',
    'audit_events',
    'audit_event_areas',
  ])
    await db.query(`ANALYZE ${t}`);
}
