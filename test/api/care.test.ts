import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { raiseMissedReadings } from '../../src/server/care/alerts-store.ts';
import { capacitySummary } from '../../src/server/care/capacity.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Quarantine and treatment through the API: a facility with rooms; admissions placed by cohort
 * and a cohort that may not be mixed refused with its reason; release refused before the day;
 * an escape and a positive in quarantine; an F0 at home whose reading raises an alert, replayed
 * once, and a transfer to a tier-2 bed that closes it; missed readings; a home check with
 * symptoms (issue 13 item 3); capacity; another district's user gets 404, audited.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (district 094)
const today = dateOfInstant(Date.now());
/** Admissions in August 2021: the 14-day rule set (tests days 1, 7, 14; out on day 15). */
const ADM = '2021-08-10';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let admin: string;
let huyen: string; // district 094 health
let huyenB: string; // district 100 health
let xaA: string;
let quarantineId: string;
let hospitalId: string;

async function ok(
  cookie: string | null,
  method: string,
  url: string,
  body?: unknown,
  status = 201,
) {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}
async function person(fullName: string, birthYear = 1980, commune = A) {
  return (
    await ok(xaA, 'POST', '/api/v1/persons', {
      fullName,
      birthYear,
      sex: 'male',
      address: { communeCode: commune },
    })
  ).id as string;
}
const count = async (sql: string, params: unknown[] = []) =>
  (await t.db.query<{ n: number }>(sql, params))[0]!.n;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  huyen = await mk('care.huyen', 'district_health', { level: 'district', unitCode: '094' });
  huyenB = await mk('care.huyen.b', 'district_health', { level: 'district', unitCode: '100' });
  xaA = await mk('care.xa.a', 'commune_health', { level: 'commune', unitCode: A });
});
afterAll(() => t?.close());

describe(`quarantine and treatment on ${ENGINE}`, () => {
  const cohortCase = randomUUID();
  const admitted: Record<string, Json> = {};

  it('opens facilities with rooms and beds; bad input is a 400 naming the field', async () => {
    const bad = await t.as(huyen, 'POST', '/api/v1/facilities', {
      kind: 'hotel',
      name: 'Khu cách ly',
      communeCode: A,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('kind');
    const dup = await t.as(huyen, 'POST', '/api/v1/facilities', {
      kind: 'quarantine',
      name: 'Khu cách ly',
      communeCode: A,
      rooms: [{ name: 'P1' }, { name: 'P1' }],
    });
    expect(dup.json().fields[0].path).toBe('rooms');
    const f = await ok(huyen, 'POST', '/api/v1/facilities', {
      clientId: randomUUID(),
      kind: 'quarantine',
      name: 'Khu cách ly Trường Cao đẳng Y tế',
      communeCode: A,
      rooms: [
        { name: 'P101', ordinary: 2 },
        { name: 'P102', ordinary: 2 },
      ],
      staffOnDuty: 12,
    });
    quarantineId = f.id;
    expect(f.beds).toEqual({ total: 4, occupied: 0, free: 4 });
    const h = await ok(huyen, 'POST', '/api/v1/facilities', {
      kind: 'tier2',
      name: 'Bệnh viện Đa khoa tỉnh — khu điều trị COVID-19',
      communeCode: A,
      rooms: [{ name: 'Hồi sức 1', oxygen: 2, icu: 1 }],
      ventilators: 3,
      oxygenCylinders: 20,
      oxygenUseLitresPerDay: 12_000,
    });
    hospitalId = h.id;
    expect(h.icu).toEqual({ total: 1, occupied: 0 });
    expect(h.oxygen.daysLeft).toBe(10);
  });

  it("another district's user gets 404 on a facility, audited", async () => {
    const r = await t.as(huyenB, 'GET', `/api/v1/facilities/${quarantineId}`);
    expect(r.statusCode).toBe(404);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied' AND actor_username = 'care.huyen.b'`,
        [quarantineId],
      ),
    ).toBe(1);
    const list = await ok(huyenB, 'GET', '/api/v1/facilities', undefined, 200);
    expect(list.items).toEqual([]);
    const other = await t.as(huyenB, 'POST', '/api/v1/admissions', {
      facilityId: quarantineId,
      personId: randomUUID(),
    });
    expect(other.statusCode).toBe(404);
  });

  it('places a cohort together and refuses to mix another cohort, saying what would be mixed', async () => {
    for (const [name, body] of [
      ['An', { sourceCaseId: cohortCase }],
      ['Bình', { sourceCaseId: cohortCase }],
      ['Cường', { arrivalBatch: 'HN-07-20' }],
    ] as const) {
      const personId = await person(`Lò Văn ${name}`);
      admitted[name] = await ok(huyen, 'POST', '/api/v1/admissions', {
        clientId: randomUUID(),
        facilityId: quarantineId,
        personId,
        admittedOn: ADM,
        ...body,
      });
    }
    expect(admitted.An!.room.name).toBe('P101');
    expect(admitted.Bình!.room.name).toBe('P101');
    expect(admitted.Bình!.placement.vi).toContain('cùng nhóm');
    expect(admitted.Cường!.room.name).toBe('P102');
    const refused = await t.as(huyen, 'POST', '/api/v1/admissions', {
      facilityId: quarantineId,
      personId: await person('Lò Văn Dũng'),
      arrivalBatch: 'SL-07-21',
    });
    expect(refused.statusCode, refused.body).toBe(409);
    const body = refused.json();
    expect(body.error).toBe('placement_refused');
    expect(body.refusals.map((r: Json) => r.rule).sort()).toEqual(['cohort_mix', 'no_bed']);
    expect(body.message).toContain('khác nhóm (phòng: batch:HN-07-20, người vào: batch:SL-07-21)');
    const f = await ok(huyen, 'GET', `/api/v1/facilities/${quarantineId}`, undefined, 200);
    expect(f.beds).toEqual({ total: 4, occupied: 3, free: 1 });
    expect(f.rooms.find((r: Json) => r.name === 'P101')).toMatchObject({
      occupied: 2,
      cohortKey: `case:${cohortCase}`,
    });
  });

  it('a replayed admission is not duplicated; the course comes with test orders', async () => {
    const clientId = randomUUID();
    const personId = await person('Lò Thị Én');
    const body = {
      clientId,
      facilityId: quarantineId,
      personId,
      arrivalBatch: 'HN-07-20',
      admittedOn: ADM,
    };
    const first = await ok(huyen, 'POST', '/api/v1/admissions', body);
    const again = await ok(huyen, 'POST', '/api/v1/admissions', body, 200);
    expect(again.id).toBe(first.id);
    expect(
      await count('SELECT count(*)::int AS n FROM care_admissions WHERE person_id = $1', [
        personId,
      ]),
    ).toBe(1);
    expect(first.testDates.length).toBeGreaterThan(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM test_orders WHERE person_id = $1 AND reason = 'follow_up'`,
        [personId],
      ),
    ).toBe(first.testDates.length);
    admitted.En = first;
  });

  it('release: refused on day 14, refused on day 15 with a test missing, given on day 15; early release needs a reason', async () => {
    const url = `/api/v1/admissions/${admitted.En!.id}/release`;
    expect(admitted.En!.testDates).toEqual(['2021-08-10', '2021-08-16', '2021-08-23']);
    expect(admitted.En!.releaseOn).toBe('2021-08-24');
    const d14 = await t.as(huyen, 'POST', url, { on: '2021-08-23' });
    expect(d14.statusCode).toBe(409);
    expect(d14.json()).toMatchObject({ error: 'release_refused', rule: 'before_date' });
    expect(d14.json().message).toContain('ngày 14');
    for (const on of ['2021-08-10', '2021-08-16'])
      await ok(
        huyen,
        'POST',
        `/api/v1/admissions/${admitted.En!.id}/events`,
        { kind: 'test', on, result: 'negative' },
        200,
      );
    const missing = await t.as(huyen, 'POST', url, { on: '2021-08-24' });
    expect(missing.json()).toMatchObject({ rule: 'test_missing' });
    expect(missing.json().message).toContain('23/08/2021');
    const noReason = await t.as(huyen, 'POST', url, { early: true });
    expect(noReason.json().fields[0].path).toBe('reason');
    await ok(
      huyen,
      'POST',
      `/api/v1/admissions/${admitted.En!.id}/events`,
      { kind: 'test', on: '2021-08-23', result: 'negative' },
      200,
    );
    const out = await ok(huyen, 'POST', url, { on: '2021-08-24' }, 200);
    expect(out.status).toBe('released');
    expect(out.explanation.vi).toContain('Ngày 15');
    expect(out.fee).toMatchObject({ days: 14, amount: 1_680_000 });
    const st = await ok(
      huyen,
      'GET',
      `/api/v1/admissions/${admitted.En!.id}/statement`,
      undefined,
      200,
    );
    expect(st.amount).toBe(1_680_000);
  });

  it('records an escape: the bed is freed and the empty room forgets its cohort', async () => {
    const bad = await t.as(huyen, 'POST', `/api/v1/admissions/${admitted.Cường!.id}/events`, {
      kind: 'escaped',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('note');
    const r = await ok(
      huyen,
      'POST',
      `/api/v1/admissions/${admitted.Cường!.id}/events`,
      { kind: 'escaped', note: 'Trốn khỏi khu cách ly lúc 22 giờ' },
      200,
    );
    expect(r.status).toBe('escaped');
    const f = await ok(huyen, 'GET', `/api/v1/facilities/${quarantineId}`, undefined, 200);
    expect(f.rooms.find((x: Json) => x.name === 'P102')).toMatchObject({
      occupied: 0,
      cohortKey: null,
    });
    expect(f.beds.occupied).toBe(2);
  });

  it('a positive in quarantine opens an F0 detected in quarantine, moves them out and flags the roommate', async () => {
    const r = await ok(
      huyen,
      'POST',
      `/api/v1/admissions/${admitted.Bình!.id}/events`,
      { kind: 'test', on: '2021-08-16', result: 'positive' },
      200,
    );
    expect(r.status).toBe('positive');
    expect(r.roommatesFlagged).toBe(1);
    const c = (
      await t.db.query<{ found_by: string }>('SELECT found_by FROM cases WHERE id = $1', [r.caseId])
    )[0]!;
    expect(c.found_by).toBe('quarantine');
    const an = await ok(huyen, 'GET', `/api/v1/admissions/${admitted.An!.id}`, undefined, 200);
    expect(an.events.map((e: Json) => e.kind)).toContain('roommate_positive');
    const list = await ok(
      huyen,
      'GET',
      `/api/v1/admissions?facility=${quarantineId}`,
      undefined,
      200,
    );
    expect(list.items.map((a: Json) => a.person.fullName)).toEqual(['Lò Văn An']);
  });

  describe('F0 care', () => {
    let caseId: string;
    let alertId: string;

    it('places an F0 at home by eligibility and a reading that crosses a threshold raises an alert, once', async () => {
      const personId = await person('Quàng Văn Hải', 1980);
      caseId = (
        await ok(xaA, 'POST', '/api/v1/cases', {
          personId,
          positiveSampleAt: new Date(Date.now() - 3_600_000).toISOString(),
          foundBy: 'community',
          basis: 'pcr_positive',
        })
      ).id;
      const care = await ok(xaA, 'POST', `/api/v1/cases/${caseId}/care`, {
        spo2: 98,
        respiratoryRate: 16,
      });
      expect(care).toMatchObject({
        tier: 'home',
        decision: { rule: 'home', rulesetId: 'f0-home-qd4038-2021-08-21' },
      });
      const bad = await t.as(xaA, 'POST', `/api/v1/cases/${caseId}/monitoring`, {
        clientId: randomUUID(),
        spo2: 140,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields[0].path).toBe('spo2');
      const fine = await ok(xaA, 'POST', `/api/v1/cases/${caseId}/monitoring`, {
        clientId: randomUUID(),
        spo2: 97,
        pulse: 120,
      });
      expect(fine.alertId).toBeNull();
      const clientId = randomUUID();
      const r = await ok(xaA, 'POST', `/api/v1/cases/${caseId}/monitoring`, {
        clientId,
        spo2: 95,
        respiratoryRate: 18,
        symptoms: ['cough'],
      });
      expect(r.signs.map((s: Json) => s.explanation.vi)).toEqual(['SpO2 95 % ≤ 96 %']);
      alertId = r.alertId;
      const again = await ok(
        xaA,
        'POST',
        `/api/v1/cases/${caseId}/monitoring`,
        { clientId, spo2: 95, respiratoryRate: 18, symptoms: ['cough'] },
        200,
      );
      expect(again.alertId).toBe(alertId);
      expect(
        await count('SELECT count(*)::int AS n FROM care_readings WHERE client_id = $1', [
          clientId,
        ]),
      ).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM care_alerts WHERE status = 'open'`)).toBe(
        1,
      );
      const alerts = await ok(huyen, 'GET', '/api/v1/alerts?unit=094', undefined, 200);
      expect(alerts.items[0]).toMatchObject({ id: alertId, kind: 'warning_sign', caseId });
      expect(alerts.items[0].explanation.vi).toContain('SpO2 95 % ≤ 96 %');
      const cap = await ok(huyen, 'GET', '/api/v1/capacity?unit=094', undefined, 200);
      expect(cap.total.patients.home).toBe(1);
      expect(cap.total.openAlerts.total).toBe(1);
      expect((await t.as(huyenB, 'GET', `/api/v1/alerts?unit=094`)).statusCode).toBe(404);
      expect(
        (await t.as(huyenB, 'POST', `/api/v1/alerts/${alertId}/close`, { reason: 'thử' }))
          .statusCode,
      ).toBe(404);
    });

    it('a transfer to a tier-2 bed closes the alert and moves every figure', async () => {
      const r = await ok(
        huyen,
        'POST',
        `/api/v1/alerts/${alertId}/transfer`,
        { tier: 'tier2', facilityId: hospitalId, bedKind: 'oxygen' },
        200,
      );
      expect(r.alert).toMatchObject({ status: 'closed', resolution: 'transferred' });
      const c = (
        await t.db.query<{ status: string; hospital_tier: number }>(
          'SELECT status, hospital_tier FROM cases WHERE id = $1',
          [caseId],
        )
      )[0]!;
      expect(c).toEqual({ status: 'hospital', hospital_tier: 2 });
      const list = await ok(huyen, 'GET', '/api/v1/treatments?unit=094', undefined, 200);
      expect(list.items.map((x: Json) => [x.caseId, x.tier, x.openAlerts])).toEqual([
        [caseId, 'tier2', 0],
      ]);
      expect((await t.as(huyenB, 'GET', '/api/v1/treatments?unit=094')).statusCode).toBe(404);
      const cap = await capacitySummary(t.db, {
        level: 'district',
        provinceCode: '11',
        districtCode: '094',
      });
      expect(cap.total.patients).toEqual({ home: 0, tier1: 0, tier2: 1, tier3: 0 });
      expect(cap.total.openAlerts.total).toBe(0);
      expect(cap.total.oxygenBeds).toEqual({ total: 2, occupied: 1 });
      expect(cap.districts.map((d) => d.districtCode)).toEqual(['094']);
      expect(cap.facilities.find((f) => f.id === hospitalId)!.beds.occupied).toBe(1);
      const none = await capacitySummary(t.db, {
        level: 'district',
        provinceCode: '11',
        districtCode: '100',
      });
      expect(none.total.facilities).toBe(0);
    });

    it('a missed reading is an alert that the next reading closes', async () => {
      await t.db.query(`UPDATE care_treatments SET next_reading_due = now() - interval '1 hour'`);
      expect(await raiseMissedReadings(t.db)).toBe(1);
      expect(await raiseMissedReadings(t.db)).toBe(0);
      const open = await ok(xaA, 'GET', '/api/v1/alerts', undefined, 200);
      expect(open.items[0].kind).toBe('missed_monitoring');
      await ok(xaA, 'POST', `/api/v1/cases/${caseId}/monitoring`, {
        clientId: randomUUID(),
        spo2: 98,
      });
      expect((await ok(xaA, 'GET', '/api/v1/alerts', undefined, 200)).items).toEqual([]);
    });

    it("the hospital's manager opens the patient's chart and alert and records a reading; another facility's manager gets 404, audited", async () => {
      const siteOf = async (facilityId: string) =>
        (
          await t.db.query<{ site_id: string }>(
            'SELECT site_id FROM care_facilities WHERE id = $1',
            [facilityId],
          )
        )[0]!.site_id;
      const manager = await t.staff('care.bv', 'facility_manager', {
        level: 'site',
        siteId: await siteOf(hospitalId),
      });
      const other = await t.staff('care.khu', 'facility_manager', {
        level: 'site',
        siteId: await siteOf(quarantineId),
      });
      const treatmentId = (await ok(manager, 'GET', '/api/v1/treatments', undefined, 200)).items[0]
        .id as string;
      const chart = await ok(manager, 'GET', `/api/v1/treatments/${treatmentId}`, undefined, 200);
      expect(chart).toMatchObject({ caseId, tier: 'tier2' });
      expect(chart.readings.map((r: Json) => r.spo2)).toEqual([97, 95, 98]);
      const r = await ok(manager, 'POST', `/api/v1/cases/${caseId}/monitoring`, {
        clientId: randomUUID(),
        spo2: 93,
        respiratoryRate: 22,
      });
      expect(r.alertId).toBeTruthy();
      const alert = await ok(manager, 'GET', `/api/v1/alerts/${r.alertId}`, undefined, 200);
      expect(alert).toMatchObject({ kind: 'warning_sign', status: 'open', treatmentId });
      expect(alert.explanation.vi).toContain('SpO2 93 % ≤ 96 %');
      // the alert that moved them here is theirs to read too
      expect((await ok(manager, 'GET', `/api/v1/alerts/${alertId}`, undefined, 200)).status).toBe(
        'closed',
      );
      expect((await t.as(other, 'GET', `/api/v1/treatments/${treatmentId}`)).statusCode).toBe(404);
      expect((await t.as(other, 'GET', `/api/v1/alerts/${r.alertId}`)).statusCode).toBe(404);
      const write = await t.as(other, 'POST', `/api/v1/cases/${caseId}/monitoring`, {
        clientId: randomUUID(),
        spo2: 98,
      });
      expect(write.statusCode).toBe(404);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM audit_events WHERE actor_username = 'care.khu' AND outcome = 'denied'
              AND resource_id IN ($1, $2, $3)`,
          [treatmentId, r.alertId, caseId],
        ),
      ).toBe(3);
      expect((await t.as(huyenB, 'GET', `/api/v1/alerts/${r.alertId}`)).statusCode).toBe(404);
      await ok(
        huyen,
        'POST',
        `/api/v1/alerts/${r.alertId}/close`,
        { reason: 'Đã xử trí tại khoa' },
        200,
      );
    });
  });

  it('a home check that reports symptoms opens an alert for the commune and a test order (issue 13 item 3)', async () => {
    const site = await ok(admin, 'POST', '/api/v1/sites', {
      kind: 'checkpoint',
      name: 'Chốt (care test)',
      communeCode: A,
    });
    await ok(admin, 'POST', '/api/v1/users', {
      username: 'care.chot',
      fullName: 'care.chot',
      password: 'password-123',
      role: 'checkpoint_officer',
      jurisdiction: { level: 'site', siteId: site.id },
    });
    const officer = await t.login('care.chot', 'password-123');
    await ok(admin, 'POST', '/api/v1/users', {
      username: 'care.tinh',
      fullName: 'care.tinh',
      password: 'password-123',
      role: 'province',
      jurisdiction: { level: 'province', unitCode: '11' },
    });
    const tinh = await t.login('care.tinh', 'password-123');
    await ok(tinh, 'POST', '/api/v1/epidemic-areas', {
      unitCode: '01',
      level: 3,
      validFrom: addDays(today, -10),
    });
    const d = await ok(null, 'POST', '/api/v1/declarations', {
      person: {
        fullName: 'Vàng A Chứ',
        birthYear: 1990,
        sex: 'male',
        phone: '0912000111',
        communeCode: '00001',
      },
      travel: {
        mode: 'coach',
        fromProvinceCode: '01',
        fromDistrictCode: '001',
        toCommuneCode: A,
        toAddress: 'Tổ 3',
        date: today,
      },
      visitedProvinces: ['01'],
      symptoms: [],
      exposure: { caseContact: false, fromOutbreakArea: true, symptomaticContact: false },
      vaccination: { doses: 0 },
      consent: true,
    });
    // (an entry with an inline declaration answers 500 on the embedded database: entries.ts reads
    // units through db inside its transaction — reported; the QR path is the one checkpoints use)
    const e = await ok(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      qr: d.qr,
    });
    expect(e.followUpId, JSON.stringify(e)).toBeTruthy();
    const check = {
      kind: 'daily_check',
      clientId: randomUUID(),
      temperature: 38.5,
      symptoms: ['fever', 'cough'],
    };
    await ok(xaA, 'POST', `/api/v1/follow-ups/${e.followUpId}/events`, check);
    await ok(xaA, 'POST', `/api/v1/follow-ups/${e.followUpId}/events`, check, 200);
    const alerts = (await ok(xaA, 'GET', '/api/v1/alerts', undefined, 200)).items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'home_check_symptoms', followUpId: e.followUpId });
    expect(alerts[0].explanation.vi).toContain('sốt, ho');
    expect(
      await count(
        `SELECT count(*)::int AS n FROM test_orders WHERE id = $1 AND reason = 'follow_up' AND test_type = 'rt_pcr'`,
        [alerts[0].testOrderId],
      ),
    ).toBe(1);
    const calm = { kind: 'daily_check', clientId: randomUUID(), temperature: 36.8, symptoms: [] };
    await ok(xaA, 'POST', `/api/v1/follow-ups/${e.followUpId}/events`, calm);
    expect((await ok(xaA, 'GET', '/api/v1/alerts', undefined, 200)).items).toHaveLength(1);
  });
});
