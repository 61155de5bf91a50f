import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/index.ts';
import {
  applicationListSql,
  gateBoardSql,
  gateQueueSql,
  sitePassagesSql,
} from '../../src/server/greenlane/store.ts';
import { OVERDUE_LEGS_SQL, openAlertsSql } from '../../src/server/greenlane/loop-alerts.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';

/**
 * Issue 17: the green-lane lists limit through an index before they join — a company's own
 * applications, the authority's queue, the gate's waiting trips and its recent passages — over
 * 200,000 applications, trips and passages (2,000 trips waiting at the gate), as the endpoints
 * run them (the SQL builders are the endpoints' own).
 */
let db: Db;
let drop: () => Promise<void>;
const GATE = '00000000-0000-4000-8000-000000000001';
const ROUTE = '00000000-0000-4000-8000-000000000002';
const COMPANY_7 = '00000000-0000-4000-8000-000000001007';
const BIG = [
  'green_lane_applications',
  'green_lane_vehicles',
  'green_lane_trips',
  'green_lane_passages',
  'green_lane_alerts',
  'sites',
];

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE !== 'postgres') return;
  await db.exec(`
    INSERT INTO sites (id, kind, name, province_code, district_code, commune_code)
      SELECT ('00000000-0000-4000-8000-' || lpad((1000 + g)::text, 12, '0'))::uuid,
             'transport_company', 'Công ty ' || g, '11', '094', '03136'
        FROM generate_series(0, 999) g;
    INSERT INTO sites (id, kind, name, province_code, district_code, commune_code)
      VALUES ('${GATE}', 'border_gate', 'Cửa khẩu', '11', '094', '03136');
    INSERT INTO green_lane_routes (id, name, origin, checkpoint_site_id, yard_site_id, gate_site_id,
        to_yard_minutes, to_gate_minutes, province_code)
      VALUES ('${ROUTE}', 'Tuyến', 'Hà Nội', '${GATE}', '${GATE}', '${GATE}', 60, 60, '11');
    INSERT INTO green_lane_vehicles (id, plate, kind, company_site_id, site_id, province_code,
        district_code, commune_code)
      SELECT md5('v' || g)::uuid, '29C' || lpad(g::text, 6, '0'), 'truck',
             ('00000000-0000-4000-8000-' || lpad((1000 + g % 1000)::text, 12, '0'))::uuid,
             ('00000000-0000-4000-8000-' || lpad((1000 + g % 1000)::text, 12, '0'))::uuid,
             '11', '094', '03136'
        FROM generate_series(1, 200000) g;
    INSERT INTO green_lane_applications (client_id, company_site_id, site_id, province_code,
        district_code, commune_code, vehicle_id, route_id, cargo, window_from, window_to, status, created_at)
      SELECT md5('a' || g)::uuid, v.company_site_id, v.site_id, '11', '094', '03136', v.id, '${ROUTE}',
             'Hàng', now(), now() + interval '1 day',
             CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 3 = 0 THEN 'refused' ELSE 'granted' END,
             now() - g * interval '1 minute'
        FROM generate_series(1, 200000) g JOIN green_lane_vehicles v ON v.id = md5('v' || g)::uuid;
    INSERT INTO green_lane_trips (vehicle_id, route_id, gate_site_id, started_at, last_point, last_at, cleared_at, out_at)
      SELECT md5('v' || g)::uuid, '${ROUTE}', '${GATE}', now() - g * interval '1 minute', 'gate',
             now() - g * interval '1 minute',
             CASE WHEN g <= 2000 THEN NULL ELSE now() - g * interval '1 minute' + interval '3 hours' END,
             CASE WHEN g <= 2000 THEN NULL ELSE now() END
        FROM generate_series(1, 200000) g;
    INSERT INTO green_lane_passages (client_id, vehicle_id, point, at, check_mode, permit_rule,
        ruleset_id, reason_vi, reason_en, site_id, province_code, district_code, commune_code)
      SELECT md5('p' || g)::uuid, md5('v' || (g % 200000 + 1))::uuid, 'gate',
             now() - g * interval '30 seconds', 'permit', 'valid', 'green-lane-2021', 'x', 'x',
             '${GATE}', '11', '094', '03136'
        FROM generate_series(1, 200000) g;
    INSERT INTO green_lane_alerts (vehicle_id, plate, rule_id, subject, reason_vi, reason_en, site_id,
        province_code, district_code, commune_code, raised_by, raised_at, closed_at)
      SELECT md5('v' || (g % 200000 + 1))::uuid, 'x', 'off_route', md5('s' || g), 'x', 'x', '${GATE}', '11',
             (ARRAY['094', '095', '096', '097'])[g % 4 + 1], '03136', 'passage',
             now() - g * interval '1 minute', CASE WHEN g % 10 = 0 THEN NULL ELSE now() END
        FROM generate_series(1, 200000) g;
    ANALYZE sites; ANALYZE green_lane_vehicles; ANALYZE green_lane_applications;
    ANALYZE green_lane_trips; ANALYZE green_lane_passages; ANALYZE green_lane_alerts;`);
}, 300_000);
afterAll(() => drop?.());

describe.runIf(ENGINE === 'postgres')('green-lane list plans', () => {
  const expectIndexed = async (q: { sql: string; params: unknown[] }) => {
    const { problems, plan } = await checkPlan(db, q.sql, q.params, { bigTables: BIG });
    expect(problems, plan).toEqual([]);
  };
  it("a company's own applications, newest first, first page and next", async () => {
    const scope = {
      level: 'site' as const,
      provinceCode: '11',
      siteId: COMPANY_7,
    };
    await expectIndexed(applicationListSql(scope, { status: null, after: null, limit: 50 }));
    await expectIndexed(
      applicationListSql(scope, {
        status: null,
        after: [new Date().toISOString(), '00000000-0000-4000-8000-000000000000'],
        limit: 50,
      }),
    );
  });
  it("the authority's queue of pending applications, oldest first", async () => {
    const scope = { level: 'province' as const, provinceCode: '11' };
    await expectIndexed(applicationListSql(scope, { status: 'pending', after: null, limit: 50 }));
  });
  it("the gate's waiting trips and its passages today", async () => {
    await expectIndexed(gateQueueSql(GATE, 50));
    await expectIndexed(sitePassagesSql(GATE, new Date(Date.now() - 86_400_000).toISOString(), 20));
  });
  it('the whole gate board in one statement', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await expectIndexed(
      gateBoardSql(GATE, {
        fromDay: '2021-01-01',
        toDay: today,
        queueLimit: 50,
        since: new Date(Date.now() - 86_400_000).toISOString(),
        recentLimit: 20,
      }),
    );
  });
  it('the open closed-loop alerts of a district and of the province, and the sweep', async () => {
    for (const scope of [
      { level: 'district' as const, provinceCode: '11', districtCode: '095' },
      { level: 'province' as const, provinceCode: '11' },
    ]) {
      await expectIndexed(openAlertsSql(scope, null, 50));
      await expectIndexed(
        openAlertsSql(
          scope,
          [new Date().toISOString(), '00000000-0000-4000-8000-000000000000'],
          50,
        ),
      );
    }
    await expectIndexed({ sql: OVERDUE_LEGS_SQL, params: [new Date().toISOString()] });
  });
  it("the authority's recent grants, newest first", async () => {
    const scope = { level: 'province' as const, provinceCode: '11' };
    await expectIndexed(applicationListSql(scope, { status: 'granted', after: null, limit: 20 }));
  });
});
