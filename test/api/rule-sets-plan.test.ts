import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/index.ts';
import { PREVIEW_CHUNK, previewChunkSql } from '../../src/server/rule-admin/preview.ts';
import { DECIDED_TODAY_SQL } from '../../src/server/rule-admin/store.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';

/**
 * Issue 18, item 5: the preview reads last week's arrivals of the province in chunks, and the
 * "decided today?" check looks for one arrival of today — both through entries_province_at,
 * never a scan of 200k entries nor a sort of them. Dropping the index turns this red.
 */
let db: Db;
let drop: () => Promise<void>;
const N = 200_000;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE !== 'postgres') return;
  await db.tx(async (q) => {
    await q.query('SET LOCAL session_replication_role = replica');
    // One arrival every 3 minutes back from 07/12/2026 noon (~1.1 years), each with its declaration.
    await q.query(`INSERT INTO declarations (id, code, person_id, person_snapshot, travel_mode,
        from_province_code, province_code, district_code, commune_code, travel_date, exposure, valid_until)
      SELECT md5('d' || g)::uuid, lpad(g::text, 8, '0'), md5('p' || g)::uuid, '{}', 'coach',
        '01', '11', '094', '03136', date '2026-12-07', '{}', date '2026-12-21'
      FROM generate_series(1, ${N}) g`);
    await q.query(`INSERT INTO entries (id, client_id, site_id, province_code, district_code, commune_code,
        person_id, declaration_id, direction, at, entry_date, recorded_by, action, ruleset_id, rule_id)
      SELECT md5('e' || g)::uuid, md5('ec' || g)::uuid, md5('site' || g % 20)::uuid,
        CASE WHEN g % 10 = 0 THEN '12' ELSE '11' END, '094', '03136', md5('p' || g)::uuid,
        md5('d' || g)::uuid, 'in', timestamptz '2026-12-07 12:00+07' - g * interval '3 minutes',
        ((timestamptz '2026-12-07 12:00+07' - g * interval '3 minutes') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
        md5('u')::uuid, 'home_quarantine', 'r', 'r'
      FROM generate_series(1, ${N}) g`);
  });
  await db.query('ANALYZE entries');
  await db.query('ANALYZE declarations');
}, 300_000);
afterAll(() => drop?.());

describe.runIf(ENGINE === 'postgres')('rule-set preview plans', () => {
  it("reads a chunk of last week's arrivals through the index", async () => {
    const params = [
      '11',
      '2026-11-29T17:00:00.000Z',
      '2026-12-06T17:00:00.000Z',
      '2026-12-06T17:00:00.000Z',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      PREVIEW_CHUNK,
    ];
    const { problems, plan } = await checkPlan(db, previewChunkSql, params, {
      bigTables: ['entries', 'declarations'],
      maxSortRows: PREVIEW_CHUNK,
    });
    expect(problems, plan).toEqual([]);
    expect(plan).toContain('entries_province_at');
  });

  it('finds an arrival decided today through the index', async () => {
    const { problems, plan } = await checkPlan(
      db,
      DECIDED_TODAY_SQL,
      ['11', '2026-12-06T17:00:00.000Z'],
      { bigTables: ['entries'] },
    );
    expect(problems, plan).toEqual([]);
    expect(plan).toContain('entries_province_at');
  });
});
