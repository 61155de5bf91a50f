import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/index.ts';
import { admissionListSql } from '../../src/server/care/admissions.ts';
import { alertListSql } from '../../src/server/care/alerts.ts';
import { careScopeSql } from '../../src/server/care/common.ts';
import { facilityListSql } from '../../src/server/care/facilities.ts';
import { roomListSql } from '../../src/server/care/rooms.ts';
import { waitingListSql } from '../../src/server/care/waiting.ts';
import { treatmentListSql } from '../../src/server/care/treatments.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';

/**
 * The care lists order and limit through their indexes before they join: over 200,000 stays,
 * patients under care and alerts (foreign keys off while filling, as a bulk load would), the
 * very SQL of each endpoint is EXPLAINed and must not scan a big table or sort more than a page.
 */
let db: Db;
let drop: () => Promise<void>;
// persons is not filled here (the join after the limit reads a page of them by primary key)
const BIG = [
  'care_admissions',
  'care_treatments',
  'care_alerts',
  'care_readings',
  'care_rooms',
  'quarantine_orders',
];

describe.runIf(ENGINE === 'postgres')('care list plans on PostgreSQL', () => {
  beforeAll(async () => {
    ({ db, drop } = await openTestDb());
    await db.exec(`
      SET session_replication_role = replica;
      INSERT INTO care_treatments (case_id, person_id, province_code, district_code, commune_code, tier, status, started_on,
          age_years, ruleset_id, rule_id, explanation, next_reading_due, facility_id)
        SELECT gen_random_uuid(), gen_random_uuid(), '11', lpad((90 + g % 10)::text, 3, '0'), lpad((3000 + g % 130)::text, 5, '0'),
               'home', CASE WHEN g % 10 = 0 THEN 'discharged' ELSE 'active' END, date '2021-08-01' + (g % 60), 30 + g % 50,
               'r', 'home', '{}'::jsonb, now() + (g % 1440) * interval '1 minute',
               CASE WHEN g % 10 = 1 THEN md5((g % 36)::text)::uuid END
          FROM generate_series(1, 200000) g;
      INSERT INTO care_alerts (kind, status, person_id, province_code, district_code, commune_code, ruleset_id, rule_id, explanation,
          opened_at, closed_at)
        SELECT 'warning_sign', CASE WHEN g % 5 = 0 THEN 'open' ELSE 'closed' END, gen_random_uuid(), '11',
               lpad((90 + g % 10)::text, 3, '0'), lpad((3000 + g % 130)::text, 5, '0'), 'r', 'spo2_low', '{}'::jsonb,
               now() - g * interval '1 minute', CASE WHEN g % 5 = 0 THEN NULL ELSE now() END
          FROM generate_series(1, 200000) g;
      INSERT INTO care_admissions (person_id, facility_id, province_code, district_code, commune_code, site_id, purpose, source,
          is_f0, cohort_key, status, admitted_on, release_on, ruleset_id, rule_id, placement)
        SELECT gen_random_uuid(), md5((g % 36)::text)::uuid, '11', lpad((90 + g % 10)::text, 3, '0'),
               lpad((3000 + g % 130)::text, 5, '0'), md5((g % 36)::text)::uuid, 'quarantine', 'manual', false, 'c',
               CASE WHEN g % 14 = 0 THEN 'admitted' ELSE 'released' END, date '2021-06-01' + (g % 200),
               date '2021-06-15' + (g % 200), 'r', 'empty_room', '{}'::jsonb
          FROM generate_series(1, 200000) g;
      INSERT INTO care_rooms (facility_id, name, occupied, free_ordinary, cohort_key)
        SELECT md5((g % 36)::text)::uuid, 'P' || lpad(g::text, 6, '0'), g % 4, 4 - g % 4,
               CASE WHEN g % 4 > 0 THEN 'case:' || md5(g::text)::uuid END
          FROM generate_series(1, 200000) g;
      INSERT INTO quarantine_orders (contact_id, case_id, person_id, province_code, district_code, commune_code, ruleset_id,
          rule_id, explanation, kind, start_date, monitoring_ends, status, created_at)
        SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), '11', lpad((90 + g % 10)::text, 3, '0'),
               lpad((3000 + g % 130)::text, 5, '0'), 'r', 'all', '{}'::jsonb,
               CASE WHEN g % 3 = 0 THEN 'centralised' ELSE 'home' END, date '2021-08-01' + (g % 60),
               date '2021-08-15' + (g % 60), CASE WHEN g % 7 = 0 THEN 'open' ELSE 'completed' END,
               now() - g * interval '1 minute'
          FROM generate_series(1, 200000) g;
      SET session_replication_role = DEFAULT;
      ANALYZE care_treatments; ANALYZE care_alerts; ANALYZE care_admissions; ANALYZE care_rooms;
      ANALYZE quarantine_orders;`);
  }, 240_000);
  afterAll(() => drop?.());

  const check = async (sql: string, params: unknown[]) => {
    const { problems, plan } = await checkPlan(db, sql, params, {
      bigTables: BIG,
      maxSortRows: 60,
    });
    expect(problems, plan).toEqual([]);
  };

  it("the district's monitoring list, first page and the next", async () => {
    for (const after of [
      null,
      ['2026-12-07T10:00:00.000Z', '00000000-0000-0000-0000-000000000000'],
    ]) {
      const params: unknown[] = ['095'];
      await check(treatmentListSql('t.district_code = $1', params, after, 50), params);
    }
  });

  it("a facility manager's patients under care (those in their facility)", async () => {
    const params: unknown[] = [];
    const scope = careScopeSql(
      { level: 'site', provinceCode: '11', siteId: '00000000-0000-0000-0000-000000000007' },
      params,
      't',
    );
    await check(treatmentListSql(scope, params, null, 50), params);
  });

  it("a commune's and a district's open alerts, newest first", async () => {
    for (const col of ['commune_code', 'district_code']) {
      const params: unknown[] = [col === 'commune_code' ? '03007' : '095'];
      await check(alertListSql(`a.${col} = $1`, params, 'open', null, 50), params);
    }
    const params: unknown[] = ['095'];
    await check(
      alertListSql(
        'a.district_code = $1',
        params,
        'open',
        ['2026-12-01T00:00:00Z', 'ffffffff-0000-0000-0000-000000000000'],
        50,
      ),
      params,
    );
  });

  it("a facility's stays by release date (its manager's list) and a district's", async () => {
    const site = (await db.query<{ id: string }>(`SELECT md5('7')::uuid AS id`))[0]!.id;
    let params: unknown[] = [site];
    await check(admissionListSql('a.site_id = $1', params, null, 50), params);
    params = ['095'];
    await check(
      admissionListSql(
        'a.district_code = $1',
        params,
        ['2021-07-01', '00000000-0000-0000-0000-000000000000'],
        50,
      ),
      params,
    );
  });

  it("a facility's rooms by name, first page and the next (its manager's page)", async () => {
    const facility = (await db.query<{ id: string }>(`SELECT md5('7')::uuid AS id`))[0]!.id;
    for (const after of [null, ['P000500', 'ffffffff-0000-0000-0000-000000000000']]) {
      const params: unknown[] = [facility];
      await check(roomListSql('$1', params, after, 50), params);
    }
  });

  it('the F1 of a district waiting for a place in a facility, oldest order first', async () => {
    for (const after of [
      null,
      ['2026-11-01T00:00:00.000000+00:00', 'ffffffff-0000-0000-0000-000000000000'],
    ]) {
      const params: unknown[] = ['095'];
      await check(waitingListSql(params, after, 50), params);
    }
  });

  it('the facility list', async () => {
    const params: unknown[] = ['094'];
    await check(facilityListSql('f.district_code = $1', params, null, 50), params);
  });
});
