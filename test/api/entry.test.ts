import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The DienBien Guard flow through the API: a traveller declares, a checkpoint scans the QR, the
 * rules classify the arrival, the destination commune follows it up, the figures add up — and
 * another commune sees nothing of it.
 */
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
const B = { commune: '03331', district: '100' }; // Xã Thanh Hưng, huyện Điện Biên
const today = dateOfInstant(Date.now());

let t: TestApp;
let admin: string;
let officer: string;
let communeA: string;
let communeB: string;
let province: string;

const declaration = (over: Record<string, unknown> = {}) => ({
  person: {
    fullName: 'Nguyễn Văn An',
    birthYear: 1985,
    sex: 'male',
    idType: 'cccd',
    idNumber: '001085012345',
    phone: '0912345678',
    communeCode: '00001',
  },
  travel: {
    mode: 'coach',
    vehicleNumber: '29B-123.45',
    fromProvinceCode: '01',
    fromDistrictCode: '001',
    toCommuneCode: A.commune,
    toAddress: 'Tổ 5',
    date: today,
  },
  visitedProvinces: ['01'],
  symptoms: [],
  exposure: { caseContact: false, fromOutbreakArea: true, symptomaticContact: false },
  vaccination: { doses: 0 },
  consent: true,
  ...over,
});

async function declare(over: Record<string, unknown> = {}) {
  const r = await t.as(null, 'POST', '/api/v1/declarations', declaration(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; code: string; qr: string };
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Tuần Giáo (test)',
    communeCode: A.commune,
  });
  expect(site.statusCode).toBe(201);
  const mk = async (username: string, role: string, jurisdiction: Record<string, unknown>) => {
    const r = await t.as(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username,
      password: 'password-123',
      role,
      jurisdiction,
    });
    expect(r.statusCode, r.body).toBe(201);
    return t.login(username, 'password-123');
  };
  officer = await mk('chot.1', 'checkpoint_officer', { level: 'site', siteId: site.json().id });
  communeA = await mk('xa.a', 'commune_health', { level: 'commune', unitCode: A.commune });
  communeB = await mk('xa.b', 'commune_health', { level: 'commune', unitCode: B.commune });
  province = await mk('tinh', 'province', { level: 'province', unitCode: '11' });
  const area = await t.as(province, 'POST', '/api/v1/epidemic-areas', {
    unitCode: '01',
    level: 3,
    validFrom: addDays(today, -10),
  });
  expect(area.statusCode, area.body).toBe(201);
});
afterAll(() => t?.close());

describe(`entry control on ${ENGINE}`, () => {
  let entryId: string;
  let followUpId: string;
  const clientId = randomUUID();

  it('takes a public declaration and returns a signed QR', async () => {
    const d = await declare();
    expect(d.code).toMatch(/^[0-9A-Z]{8}$/);
    expect(d.qr.startsWith('EGD1:')).toBe(true);
    const key = (await t.as(null, 'GET', '/api/v1/public/declaration-key')).json();
    expect(key.jwk.crv).toBe('Ed25519');
  });

  it('classifies an unvaccinated arrival from an epidemic area when the QR is scanned', async () => {
    const d = await declare();
    const r = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId,
      direction: 'in',
      qr: d.qr,
      vehicle: { plate: '29B-123.45', type: 'coach' },
      companions: 2,
    });
    expect(r.statusCode, r.body).toBe(201);
    const e = r.json();
    entryId = e.id;
    followUpId = e.followUpId;
    expect(e.classification).toMatchObject({
      action: 'centralised_quarantine',
      rulesetId: expect.stringContaining('8399'),
      automatic: { quarantineDays: 14, monitoringDays: 14, testDays: [1, 7, 14] },
    });
    expect(e.classification.automatic.testDates).toEqual([
      today,
      addDays(today, 6),
      addDays(today, 13),
    ]);
    expect(e.classification.explanation.vi).toContain('chưa tiêm vắc xin');
    expect(e.classification.explanation.vi).toContain('CV 8399/BYT-MT');
    expect(e.fromEpidemicArea).toBe(true);
    expect(followUpId).toBeTruthy();
    const read = (await t.as(officer, 'GET', `/api/v1/entries/${entryId}`)).json();
    expect(read.classification.ruleId).toBe(e.classification.ruleId);
  });

  it('does not duplicate a replayed entry', async () => {
    const d = await declare();
    const r = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId,
      direction: 'in',
      declarationCode: d.code,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().id).toBe(entryId);
    const n = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM entries WHERE client_id = $1',
      [clientId],
    );
    expect(n[0]!.n).toBe(1);
    const c = await t.db.query<{ people_in: number }>('SELECT people_in FROM entry_daily_counts');
    expect(c[0]!.people_in).toBe(1);
  });

  it('rejects a forged QR, a tampered one and an expired code, writing nothing', async () => {
    const d = await declare();
    const [body, sig] = d.qr.slice(5).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    payload.n = 'TRAN VAN BINH';
    const tampered = `EGD1:${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM entries');
    for (const qr of [tampered, 'EGD1:abc.def', 'not a qr at all']) {
      const r = await t.as(officer, 'POST', '/api/v1/entries', {
        clientId: randomUUID(),
        direction: 'in',
        qr,
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().fields[0].path).toBe('qr');
    }
    const unknown = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: 'ZZZZZZZZ',
    });
    expect(unknown.statusCode).toBe(400);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM entries');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('answers bad declarations with the field named', async () => {
    const r = await t.as(
      null,
      'POST',
      '/api/v1/declarations',
      declaration({ travel: { ...declaration().travel, toCommuneCode: '99999' } }),
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().fields.map((f: { path: string }) => f.path)).toContain('travel.toCommuneCode');
    const future = await t.as(
      null,
      'POST',
      '/api/v1/declarations',
      declaration({ lastTest: { type: 'pcr', date: addDays(today, 3), result: 'negative' } }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().fields[0].path).toBe('lastTest.date');
    const noConsent = await t.as(
      null,
      'POST',
      '/api/v1/declarations',
      declaration({ consent: false }),
    );
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().fields[0].path).toBe('consent');
    const futureEntry = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: (await declare()).code,
      at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(futureEntry.statusCode).toBe(400);
    expect(futureEntry.json().fields[0].path).toBe('at');
  });

  it('classifies a fully vaccinated traveller as self-monitoring, a partly vaccinated one as home quarantine', async () => {
    const full = await declare({
      person: { ...declaration().person, idNumber: '001085099999', fullName: 'Lò Thị Mai' },
      vaccination: { doses: 2, lastDoseDate: addDays(today, -14) },
    });
    const r = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: full.code,
    });
    expect(r.json().classification.action).toBe('self_monitoring');
    const partial = await declare({
      person: { ...declaration().person, idNumber: '001085088888' },
      vaccination: { doses: 2, lastDoseDate: addDays(today, -13) },
    });
    const p = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: partial.code,
    });
    expect(p.json().classification.action).toBe('home_quarantine');
  });

  it('shows the destination commune its follow-up, due today, and hides it from another commune', async () => {
    const due = (await t.as(communeA, 'GET', '/api/v1/follow-ups?due=today')).json();
    expect(due.items.map((f: { id: string }) => f.id)).toContain(followUpId);
    const fu = due.items.find((f: { id: string }) => f.id === followUpId);
    expect(fu).toMatchObject({
      // issue 10 item 10: the list shows the phone masked; the person page shows it whole (audited)
      person: { fullName: 'Nguyễn Văn An', phone: '******5678' },
      address: 'Tổ 5',
      dueToday: true,
      testDates: [today, addDays(today, 6), addDays(today, 13)],
    });
    const other = await t.as(communeB, 'GET', `/api/v1/follow-ups/${followUpId}`);
    expect(other.statusCode).toBe(404);
    const audited = await t.db.query(
      "SELECT 1 FROM audit_events WHERE actor_username = 'xa.b' AND resource_id = $1 AND outcome = 'denied'",
      [followUpId],
    );
    expect(audited).toHaveLength(1);
    expect((await t.as(communeB, 'GET', '/api/v1/follow-ups?due=all')).json().items).toHaveLength(
      0,
    );
    expect((await t.as(communeB, 'GET', `/api/v1/entries/${entryId}`)).statusCode).toBe(404);
  });

  it('records contact, a daily check and a test; the next due date moves to day 7', async () => {
    const ev = (body: Record<string, unknown>) =>
      t.as(communeA, 'POST', `/api/v1/follow-ups/${followUpId}/events`, body);
    expect((await ev({ kind: 'contact', note: 'Đã gọi điện' })).statusCode).toBe(201);
    expect((await ev({ kind: 'daily_check', temperature: 36.8, symptoms: [] })).statusCode).toBe(
      201,
    );
    const testId = randomUUID();
    const r = await ev({ kind: 'test', clientId: testId, testType: 'pcr', result: 'negative' });
    expect(r.json()).toMatchObject({ testsDone: 1, nextDue: addDays(today, 6) });
    expect(
      (await ev({ kind: 'test', clientId: testId, testType: 'pcr', result: 'negative' })).json()
        .testsDone,
    ).toBe(1);
    const bad = await ev({ kind: 'daily_check', temperature: 52 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('temperature');
    expect(
      (await t.as(communeB, 'POST', `/api/v1/follow-ups/${followUpId}/events`, { kind: 'contact' }))
        .statusCode,
    ).toBe(404);
  });

  it('lets the province override a decision with a reason, audited', async () => {
    const noReason = await t.as(province, 'POST', `/api/v1/entries/${entryId}/override`, {
      action: 'home_quarantine',
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    const r = await t.as(province, 'POST', `/api/v1/entries/${entryId}/override`, {
      action: 'home_quarantine',
      quarantineDays: 7,
      monitoringDays: 7,
      testDays: [1, 7],
      reason: 'Có giấy xét nghiệm âm tính của bệnh viện',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().classification).toMatchObject({
      action: 'home_quarantine',
      automatic: { action: 'centralised_quarantine' },
    });
    const fu = (await t.as(communeA, 'GET', `/api/v1/follow-ups/${followUpId}`)).json();
    expect(fu).toMatchObject({ action: 'home_quarantine', monitoringEnds: addDays(today, 13) });
    const audited = await t.db.query(
      "SELECT reason FROM audit_events WHERE action = 'entries.override'",
    );
    expect(audited).toEqual([{ reason: 'Có giấy xét nghiệm âm tính của bệnh viện' }]);
    expect(
      (
        await t.as(officer, 'POST', `/api/v1/entries/${entryId}/override`, {
          action: 'none',
          reason: 'thử quyền',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('counts people per checkpoint per day and exports them', async () => {
    const s = (await t.as(province, 'GET', `/api/v1/entry-stats?from=${today}&to=${today}`)).json();
    expect(s.totals).toMatchObject({
      people_in: 3,
      vehicles: 1,
      from_epidemic_area: 3,
      centralised: 1,
      home_quarantine: 1,
      self_monitoring: 1,
    });
    expect(s.summary.vi).toContain('3 người vào');
    expect(s.summary.en).toContain('3 people checked in');
    const x = await t.as(province, 'GET', `/api/v1/entry-stats.xlsx?from=${today}&to=${today}`);
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(
      (await t.as(communeB, 'GET', `/api/v1/entry-stats?from=${today}&to=${today}`)).json().totals
        .people_in,
    ).toBe(0);
  });

  it('records a declaration taken at the checkpoint for someone without a phone', async () => {
    const { consent: _c, ...rest } = declaration({
      person: {
        ...declaration().person,
        idType: undefined,
        idNumber: undefined,
        fullName: 'Mùa A Páo',
        birthYear: 1950,
      },
    });
    const r = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declaration: { ...rest, consent: true },
      rapidTest: { result: 'negative' },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().rapidTest).toEqual({ result: 'negative' });
    expect(r.json().person).toEqual({ fullName: 'Mùa A Páo', birthYear: 1950 });

    // A mistake in the declaration filled in at the checkpoint names its field there.
    const bad = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declaration: { ...rest, consent: true, person: { ...rest.person, birthYear: 2100 } },
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().fields).toContainEqual({
      path: 'declaration.person.birthYear',
      message: 'Năm sinh ở tương lai',
    });
  });

  it('isolates an arrival whose rapid test at the checkpoint is positive', async () => {
    const d = await declare({
      person: { ...declaration().person, idNumber: '001085077777' },
      vaccination: { doses: 3, lastDoseDate: addDays(today, -60) },
    });
    const r = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: d.code,
      rapidTest: { result: 'positive' },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().classification).toMatchObject({
      action: 'test_at_checkpoint',
      ruleId: 'cv8399-positive-test',
      automatic: { isolate: true },
    });
    const c = await t.db.query<{ rapid_positive: number }>(
      'SELECT sum(rapid_positive)::int AS rapid_positive FROM entry_daily_counts',
    );
    expect(c[0]!.rapid_positive).toBe(1);
  });

  it('classifies the very next entry with an epidemic area just declared or ended', async () => {
    // Hải Phòng (31) is not an epidemic area in this test until the province says so.
    const from31 = (idNumber: string) =>
      declare({
        person: { ...declaration().person, idNumber },
        travel: { ...declaration().travel, fromProvinceCode: '31', fromDistrictCode: undefined },
        visitedProvinces: ['31'],
      });
    const enter = async (code: string) => {
      const r = await t.as(officer, 'POST', '/api/v1/entries', {
        clientId: randomUUID(),
        direction: 'in',
        declarationCode: code,
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    };
    expect((await enter((await from31('031085000001')).code)).fromEpidemicArea).toBe(false);
    const area = await t.as(province, 'POST', '/api/v1/epidemic-areas', {
      unitCode: '31',
      level: 4,
      validFrom: addDays(today, -1),
    });
    expect(area.statusCode, area.body).toBe(201);
    const during = await enter((await from31('031085000002')).code);
    expect(during.fromEpidemicArea).toBe(true);
    expect(during.originLevel).toBe(4);
    const ended = await t.as(province, 'PATCH', `/api/v1/epidemic-areas/${area.json().id}`, {
      validTo: addDays(today, -1),
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().unitName).toContain('Hải Phòng');
    expect((await enter((await from31('031085000003')).code)).fromEpidemicArea).toBe(false);
  });

  it('stops a disabled officer at the next request although sessions are kept in memory', async () => {
    const site = await t.as(admin, 'GET', '/api/v1/sites');
    const siteId = site.json().items[0].id;
    const created = await t.as(admin, 'POST', '/api/v1/users', {
      username: 'chot.tam',
      fullName: 'Chốt tạm',
      password: 'password-123',
      role: 'checkpoint_officer',
      jurisdiction: { level: 'site', siteId },
    });
    expect(created.statusCode, created.body).toBe(201);
    const temp = await t.login('chot.tam', 'password-123');
    expect((await t.as(temp, 'GET', '/api/v1/entries')).statusCode).toBe(200);
    const off = await t.as(admin, 'PATCH', `/api/v1/users/${created.json().user.id}`, {
      disabled: true,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((await t.as(temp, 'GET', '/api/v1/entries')).statusCode).toBe(401);
  });

  it('hands the follow-up to the village named at the checkpoint, and only a village of that commune', async () => {
    const village = async (communeCode: string, name: string) => {
      const r = await t.as(
        communeCode === A.commune ? communeA : communeB,
        'POST',
        '/api/v1/villages',
        {
          communeCode,
          name,
          kind: 'to_dan_pho',
        },
      );
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const here = await village(A.commune, 'Tổ dân phố 7');
    const elsewhere = await village(B.commune, 'Thôn Hồng Thái');
    const d = await declare({ person: { ...declaration().person, idNumber: '001085066666' } });
    const wrong = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: d.code,
      destination: { communeCode: A.commune, villageId: elsewhere, address: 'Số 3' },
    });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(wrong.json().fields[0].path).toBe('destination.villageId');
    const ok = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: d.code,
      destination: { communeCode: A.commune, villageId: here, address: 'Số 3' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const fu = (await t.as(communeA, 'GET', `/api/v1/follow-ups/${ok.json().followUpId}`)).json();
    expect(fu).toMatchObject({ villageId: here, villageName: 'Tổ dân phố 7', address: 'Số 3' });
  });

  it('names an unknown declaration code in its answer and writes nothing', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM entries');
    const r = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: 'zzzzzzzz',
    });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().fields).toEqual([
      { path: 'declarationCode', message: 'Không có tờ khai mã ZZZZZZZZ' },
    ]);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM entries');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
