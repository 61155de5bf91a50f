import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOverdueLegs } from '../../src/server/greenlane/loop-alerts.ts';
import { signPermit } from '../../src/server/greenlane/token.ts';
import { generateDemoSigner, loadSigner } from '../../src/server/vaccination/dcc.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { readSheet, xlsxSheetNames } from '../helpers/xlsx.ts';

/**
 * Issue 17, the green lane through the API (both engines): a company applies (idempotently) and
 * sees only its own applications; the authority grants; the permit's signed QR verifies on the
 * public endpoint and a tampered or foreign one is refused; passages at the first checkpoint, the
 * yard and the gate keep the gate board; a lapsed permit falls back to per-person checks; a
 * replayed passage is written once; bad input is a 400 naming the field.
 */
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let admin: string;
let companyA: string;
let companyB: string;
let authority: string;
let province: string;
let chot: string;
let bai: string;
let cuaKhau: string;
let gateId: string;
let routeId: string;
let vehicleA: Json;
let driver: Json;
let assistant: Json;
let granted: Json;

const ok = async (
  cookie: string | null,
  method: string,
  url: string,
  body?: unknown,
  status = 201,
) => {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
};
const count = async (sql: string, params: unknown[] = []) =>
  (await t.db.query<{ n: number }>(sql, params))[0]!.n;
async function mkSite(kind: string, name: string) {
  return (await ok(admin, 'POST', '/api/v1/sites', { kind, name, communeCode: A.commune }))
    .id as string;
}
async function mkUser(username: string, role: string, jurisdiction: Json) {
  await ok(admin, 'POST', '/api/v1/users', {
    username,
    fullName: username,
    password: 'password-123',
    role,
    jurisdiction,
  });
  return t.login(username, 'password-123');
}
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const apply = (cookie: string, body: Json) =>
  t.as(cookie, 'POST', '/api/v1/green-lane/applications', body);
const application = (over: Json = {}) => ({
  clientId: randomUUID(),
  vehicleId: vehicleA.id,
  routeId,
  cargo: 'Thanh long xuất khẩu',
  windowFrom: hoursAgo(0.1),
  windowTo: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  crew: [
    { personId: driver.id, role: 'driver' },
    { personId: assistant.id, role: 'assistant' },
  ],
  ...over,
});

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-gl-'));
  const s = await generateDemoSigner();
  await writeFile(join(dir, 'k.pem'), s.privateKeyPem);
  await writeFile(join(dir, 'c.pem'), s.certificatePem);
  process.env.EPIGUARD_DCC_KEY_FILE = join(dir, 'k.pem');
  process.env.EPIGUARD_DCC_CERT_FILE = join(dir, 'c.pem');
  t = await startTestApp();
  delete process.env.EPIGUARD_DCC_KEY_FILE;
  delete process.env.EPIGUARD_DCC_CERT_FILE;
  admin = await t.login('admin');
  const coA = await mkSite('transport_company', 'Công ty Vận tải Hưng Thịnh (test)');
  const coB = await mkSite('transport_company', 'Công ty Vận tải Phú Lộc (test)');
  const checkpoint = await mkSite('checkpoint', 'Chốt kiểm dịch Km 18 (test)');
  const yard = await mkSite('transit_yard', 'Bãi trung chuyển Tây Trang (test)');
  gateId = await mkSite('border_gate', 'Cửa khẩu quốc tế Tây Trang (test)');
  companyA = await mkUser('gl.cty.a', 'transport_company', { level: 'site', siteId: coA });
  companyB = await mkUser('gl.cty.b', 'transport_company', { level: 'site', siteId: coB });
  authority = await mkUser('gl.sgtvt', 'transport_authority', {
    level: 'province',
    unitCode: '11',
  });
  province = await mkUser('gl.tinh', 'province', { level: 'province', unitCode: '11' });
  chot = await mkUser('gl.chot', 'checkpoint_officer', { level: 'site', siteId: checkpoint });
  bai = await mkUser('gl.bai', 'checkpoint_officer', { level: 'site', siteId: yard });
  cuaKhau = await mkUser('gl.cuakhau', 'border_officer', { level: 'site', siteId: gateId });
  routeId = (
    await ok(authority, 'POST', '/api/v1/green-lane/routes', {
      name: 'Hà Nội – Tây Trang',
      origin: 'Hà Nội',
      checkpointSiteId: checkpoint,
      yardSiteId: yard,
      gateSiteId: gateId,
      toYardMinutes: 120,
      toGateMinutes: 60,
    })
  ).id;
  vehicleA = await ok(companyA, 'POST', '/api/v1/green-lane/vehicles', {
    clientId: randomUUID(),
    plate: '29C-123.45',
    kind: 'truck',
  });
  const person = (fullName: string, idNumber: string) =>
    ok(companyA, 'POST', '/api/v1/persons', {
      fullName,
      birthYear: 1980,
      sex: 'male',
      idType: 'cccd',
      idNumber,
      address: { communeCode: A.commune },
    });
  driver = await person('Trần Văn Tài', '001080011111');
  assistant = await person('Lê Văn Phụ', '001080022222');
  for (const [p, h] of [
    [driver, 30],
    [assistant, 10],
  ] as const)
    await ok(province, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      personId: p.id,
      testType: 'rt_pcr',
      sampledAt: hoursAgo(h),
      result: 'negative',
    });
});
afterAll(() => t?.close());

describe('applications', () => {
  it('a company applies once per clientId', async () => {
    const body = application();
    const first = await apply(companyA, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'pending', plate: '29C12345', permitId: null });
    const again = await apply(companyA, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(
      await count('SELECT count(*)::int AS n FROM green_lane_applications WHERE client_id = $1', [
        body.clientId,
      ]),
    ).toBe(1);
    granted = first.json();
  });

  it('another company sees nothing of it: 404 and audited', async () => {
    const r = await t.as(companyB, 'GET', `/api/v1/green-lane/applications/${granted.id}`);
    expect(r.statusCode).toBe(404);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied' AND reason = 'outside_scope'`,
        [granted.id],
      ),
    ).toBe(1);
    const list = await ok(companyB, 'GET', '/api/v1/green-lane/applications', undefined, 200);
    expect(list.items).toEqual([]);
    const mine = await ok(companyA, 'GET', '/api/v1/green-lane/applications', undefined, 200);
    expect(mine.items.map((a: Json) => a.id)).toContain(granted.id);
    // nor may it name A's vehicle or crew in its own application
    const theirs = await apply(companyB, application());
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().fields[0].path).toBe('vehicleId');
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: [Json, string][] = [
      [application({ windowFrom: 'hôm nay' }), 'windowFrom'],
      [application({ windowTo: hoursAgo(1) }), 'windowTo'],
      [application({ crew: [] }), 'crew'],
      [application({ vehicleId: 'x' }), 'vehicleId'],
    ];
    for (const [body, field] of cases) {
      const r = await apply(companyA, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().fields.map((f: Json) => f.path)).toContain(field);
    }
    const v = await t.as(companyA, 'POST', '/api/v1/green-lane/vehicles', {
      clientId: randomUUID(),
      plate: 'XYZ',
      kind: 'truck',
    });
    expect(v.statusCode).toBe(400);
    expect(v.json().fields[0].path).toBe('plate');
    const refuse = await t.as(
      authority,
      'POST',
      `/api/v1/green-lane/applications/${granted.id}/decision`,
      { decision: 'refuse' },
    );
    expect(refuse.statusCode).toBe(400);
    expect(refuse.json().fields[0].path).toBe('reason');
  });

  it('a company may not decide; the authority grants and the permit carries a signed QR', async () => {
    expect(
      (
        await t.as(companyA, 'POST', `/api/v1/green-lane/applications/${granted.id}/decision`, {
          decision: 'grant',
        })
      ).statusCode,
    ).toBe(404);
    const d = await ok(
      authority,
      'POST',
      `/api/v1/green-lane/applications/${granted.id}/decision`,
      { decision: 'grant' },
      200,
    );
    expect(d).toMatchObject({
      status: 'granted',
      validity: { valid: true, ruleSetId: 'green-lane-2021' },
    });
    // lapses 72 h after the driver's sampling (30 h ago), before the window ends
    expect(Date.parse(d.validity.lapsesAt) - Date.now()).toBeGreaterThan(41.9 * 3_600_000);
    expect(Date.parse(d.validity.lapsesAt) - Date.now()).toBeLessThan(42.1 * 3_600_000);
    const again = await t.as(
      authority,
      'POST',
      `/api/v1/green-lane/applications/${granted.id}/decision`,
      { decision: 'grant' },
    );
    expect(again.statusCode).toBe(409);
    const p = await ok(companyA, 'GET', `/api/v1/green-lane/permits/${d.permitId}`, undefined, 200);
    expect(p.qr).toMatch(/^GL1:[A-Za-z0-9_-]+$/);
    expect(p.png).toMatch(/^data:image\/png;base64,/);
    expect(p.svg).toContain('<svg');
    expect(p.lapseRule).toBe('test_expired');
    expect(
      (await t.as(companyB, 'GET', `/api/v1/green-lane/permits/${d.permitId}`)).statusCode,
    ).toBe(404);
    granted = { ...granted, permitId: d.permitId, qr: p.qr };
  });
});

describe('public verification', () => {
  const verify = (qr: string) => t.as(null, 'POST', '/api/v1/public/green-lane/verify', { qr });
  it('answers valid with the plate and window only', async () => {
    const r = await verify(granted.qr);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      valid: true,
      status: 'valid',
      plate: '29C12345',
      ruleId: 'valid',
    });
    expect(Object.keys(r.json()).sort()).toEqual(
      [
        'lapsesAt',
        'plate',
        'reason',
        'ruleId',
        'ruleSetId',
        'status',
        'valid',
        'windowFrom',
        'windowTo',
      ].sort(),
    );
    expect(r.body).not.toContain('Trần Văn Tài');
  });

  it('audits every verification, written behind the answer', async () => {
    const rows = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'greenlane.verify' AND resource_id = $1`,
          [granted.permitId],
        )
      )[0]!.n;
    // every verification of this permit so far (the test above made one), plus these five
    const expected = 1 + 5;
    const answers = await Promise.all(Array.from({ length: 5 }, () => verify(granted.qr)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    // the rows follow the answers within the batch window (longer on a loaded machine)
    let n = await rows();
    for (let i = 0; i < 100 && n < expected; i++) {
      await new Promise((r) => setTimeout(r, 50));
      n = await rows();
    }
    expect(n).toBe(expected);
    await new Promise((r) => setTimeout(r, 200));
    expect(await rows()).toBe(expected); // and no more
  });
  it('refuses a tampered QR and one signed by an untrusted key', async () => {
    const body = granted.qr.slice(4);
    const i = Math.floor(body.length / 2);
    const tampered = 'GL1:' + body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1);
    for (const qr of [tampered, 'GL1:' + body.slice(0, -4), 'HC1:xyz', 'GL1:***']) {
      const r = await verify(qr);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ valid: false, status: 'refused' });
      expect(r.json().plate).toBeUndefined();
    }
    const rogue = await generateDemoSigner();
    const forged = signPermit(
      {
        permitId: randomUUID(),
        plate: '29C12345',
        windowFrom: hoursAgo(1),
        windowTo: hoursAgo(-10),
        orderEndsAt: null,
        crewSampledAt: [hoursAgo(1)],
        testValidHours: 72,
        ruleSetId: 'green-lane-2021',
        issuedAt: hoursAgo(1),
      },
      loadSigner(rogue.privateKeyPem, rogue.certificatePem),
    );
    expect((await verify(forged)).json()).toMatchObject({ valid: false, status: 'refused' });
    expect(
      (await t.as(null, 'POST', '/api/v1/public/green-lane/verify', {})).json().fields[0].path,
    ).toBe('qr');
  });
  it('publishes the keys a phone verifies with offline', async () => {
    const k = await ok(null, 'GET', '/api/v1/public/green-lane/keys', undefined, 200);
    expect(k.keys.length).toBeGreaterThan(0);
    expect(k.keys[0]).toMatchObject({ alg: 'ES256' });
  });
});

const pass = (cookie: string, body: Json) =>
  t.as(cookie, 'POST', '/api/v1/green-lane/passages', body);

describe('passages and the gate board', () => {
  it('a valid permit lets the vehicle through the loop; a replay is written once', async () => {
    const body = {
      clientId: randomUUID(),
      point: 'first_checkpoint',
      plate: '29C 12345',
      qr: granted.qr,
    };
    const r = await pass(chot, body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      checkMode: 'permit',
      crew: [],
      alerts: [],
      validity: { valid: true },
    });
    const again = await pass(chot, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: r.json().id, replayed: true, checkMode: 'permit' });
    expect(
      await count('SELECT count(*)::int AS n FROM green_lane_passages WHERE client_id = $1', [
        body.clientId,
      ]),
    ).toBe(1);
    let board = await ok(cuaKhau, 'GET', `/api/v1/gates/${gateId}/board`, undefined, 200);
    expect(board).toMatchObject({ waiting: 1, today: { arrived: 1, cleared: 0 } });
    expect(board.queue[0]).toMatchObject({
      plate: '29C12345',
      lastPoint: 'first_checkpoint',
      alert: null,
    });
    await ok(bai, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'yard',
      plate: '29C12345',
    });
    const gate = { clientId: randomUUID(), point: 'gate', plate: '29C12345' };
    await ok(cuaKhau, 'POST', '/api/v1/green-lane/passages', gate);
    await ok(cuaKhau, 'POST', '/api/v1/green-lane/passages', gate, 200);
    board = await ok(authority, 'GET', `/api/v1/gates/${gateId}/board`, undefined, 200);
    expect(board).toMatchObject({ waiting: 0, today: { arrived: 1, cleared: 1 }, queue: [] });
    expect(board.today.averageWaitMinutes).toBe(0);
    expect(board.clearedRecent.map((c: Json) => c.plate)).toEqual(['29C12345']);
    // the same figures as XLSX: 30 days of arrivals against clearances, then the queue
    const x = await t.as(authority, 'GET', `/api/v1/gates/${gateId}/board.xlsx`);
    expect(x.statusCode, x.body).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(xlsxSheetNames(x.rawPayload)).toEqual(['Thông quan', 'Hàng chờ']);
    const rows = readSheet(x.rawPayload, 'Thông quan');
    expect(rows[0]![0]).toContain('Cửa khẩu quốc tế Tây Trang');
    expect(rows[2]).toEqual(['Ngày', 'Xe đến', 'Xe thông quan', 'Chênh lệch', 'Cộng dồn trong kỳ']);
    expect(rows.at(-1)!.slice(1)).toEqual(['1', '1', '0', '0']);
    expect(rows.at(-1)![0]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    // the company has no board; a point that is not the site's is refused
    expect((await t.as(companyA, 'GET', `/api/v1/gates/${gateId}/board`)).statusCode).toBe(404);
    expect((await t.as(companyA, 'GET', `/api/v1/gates/${gateId}/board.xlsx`)).statusCode).toBe(
      404,
    );
    const wrong = await pass(bai, { clientId: randomUUID(), point: 'gate', plate: '29C12345' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields[0].path).toBe('point');
    await ok(cuaKhau, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'out',
      plate: '29C12345',
    });
  });

  it('a lapsed permit falls back to checking each person', async () => {
    const app2 = await ok(companyA, 'POST', '/api/v1/green-lane/applications', application());
    const ends = new Date(Date.now() + 1500).toISOString();
    const d = await ok(
      authority,
      'POST',
      `/api/v1/green-lane/applications/${app2.id}/decision`,
      { decision: 'grant', orderEndsAt: ends },
      200,
    );
    const { qr } = await ok(
      companyA,
      'GET',
      `/api/v1/green-lane/permits/${d.permitId}`,
      undefined,
      200,
    );
    await new Promise((r) => setTimeout(r, 2100));
    const v = await ok(null, 'POST', '/api/v1/public/green-lane/verify', { qr }, 200);
    expect(v).toMatchObject({ valid: false, status: 'lapsed', ruleId: 'order_ended' });
    const r = await pass(chot, {
      clientId: randomUUID(),
      point: 'first_checkpoint',
      plate: '29C12345',
      qr,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      checkMode: 'per_person',
      validity: { valid: false, ruleId: 'order_ended' },
    });
    expect(r.json().instruction.vi).toContain('từng người');
    expect(r.json().crew.map((c: Json) => [c.fullName, c.test.fresh])).toEqual([
      ['Trần Văn Tài', true],
      ['Lê Văn Phụ', true],
    ]);
  });

  it('an unknown plate is a 404 naming the field', async () => {
    const r = await pass(chot, {
      clientId: randomUUID(),
      point: 'first_checkpoint',
      plate: '99Z99999',
    });
    expect(r.statusCode).toBe(404);
    expect(r.json().fields[0].path).toBe('plate');
  });
});

describe('revocation', () => {
  it('the authority revokes once with a reason; verifier, offline list and passages see it', async () => {
    const a = await ok(companyA, 'POST', '/api/v1/green-lane/applications', application());
    const d = await ok(
      authority,
      'POST',
      `/api/v1/green-lane/applications/${a.id}/decision`,
      { decision: 'grant' },
      200,
    );
    const url = `/api/v1/green-lane/permits/${d.permitId}/revoke`;
    const { qr } = await ok(companyA, 'GET', `/api/v1/green-lane/permits/${d.permitId}`, null, 200);
    expect(await ok(null, 'POST', '/api/v1/public/green-lane/verify', { qr }, 200)).toMatchObject({
      valid: true,
    });
    // a company may not revoke: 404 like a missing permit, audited
    const denied = `SELECT count(*)::int AS n FROM audit_events
      WHERE action = 'greenlane.decide' AND outcome = 'denied'`;
    const before = await count(denied);
    for (const c of [companyA, companyB])
      expect((await t.as(c, 'POST', url, { reason: 'Tự thu hồi' })).statusCode).toBe(404);
    expect(await count(denied)).toBe(before + 2);
    const bad = await t.as(authority, 'POST', url, { reason: ' ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('reason');

    const r = await ok(authority, 'POST', url, { reason: 'Lái xe có kết quả dương tính' });
    expect(r).toMatchObject({
      replayed: false,
      revokedReason: 'Lái xe có kết quả dương tính',
      validity: { valid: false, ruleId: 'revoked' },
    });
    const again = await ok(authority, 'POST', url, { reason: 'Lần hai' }, 200);
    expect(again).toMatchObject({ replayed: true, revokedAt: r.revokedAt });
    expect(again.revokedReason).toBe('Lái xe có kết quả dương tính');

    const v = await ok(null, 'POST', '/api/v1/public/green-lane/verify', { qr }, 200);
    expect(v).toMatchObject({ valid: false, status: 'lapsed', ruleId: 'revoked' });
    expect(JSON.stringify(v)).not.toContain('dương tính'); // the reason stays with staff

    const list = await ok(null, 'GET', '/api/v1/public/green-lane/revocations', null, 200);
    expect(list.revoked).toContainEqual({ permitId: d.permitId, revokedAt: r.revokedAt });
    expect(JSON.stringify(list)).not.toMatch(/29C|dương tính/);

    const p = await pass(chot, {
      clientId: randomUUID(),
      point: 'first_checkpoint',
      plate: '29C12345',
      qr,
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({
      checkMode: 'per_person',
      validity: { valid: false, ruleId: 'revoked' },
    });
  });
});

describe('closed-loop alerts', () => {
  /** A granted permit for a new vehicle of company A, and its first-checkpoint passage at `at`. */
  async function onTheWay(plate: string, at: string) {
    const v = await ok(companyA, 'POST', '/api/v1/green-lane/vehicles', {
      clientId: randomUUID(),
      plate,
      kind: 'container',
    });
    const a = await ok(
      companyA,
      'POST',
      '/api/v1/green-lane/applications',
      application({ vehicleId: v.id, windowFrom: hoursAgo(4) }),
    );
    await ok(
      authority,
      'POST',
      `/api/v1/green-lane/applications/${a.id}/decision`,
      { decision: 'grant' },
      200,
    );
    await ok(chot, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'first_checkpoint',
      plate,
      at,
    });
    return v.plate as string;
  }
  const alertsOf = (plate: string) =>
    count(`SELECT count(*)::int AS n FROM green_lane_alerts WHERE plate = $1`, [plate]);

  it('a leg not finished in time is swept into one alert for the district, closed with a reason', async () => {
    // at the first checkpoint an hour ago; the route allows 120 minutes to the yard, so the sweeps
    // below look ahead (the server's own sweep, each minute, cannot raise it during the test)
    const seen = Date.now() - 60 * 60_000;
    const plate = await onTheWay('29C-555.55', new Date(seen).toISOString());
    // (other tests' vehicles may be due at these instants too: count this one's alerts)
    await sweepOverdueLegs(t.db, seen + 120 * 60_000); // exactly on time
    expect(await alertsOf(plate)).toBe(0);
    expect(await sweepOverdueLegs(t.db, seen + 121 * 60_000)).toBeGreaterThanOrEqual(1);
    expect(await alertsOf(plate)).toBe(1); // one minute more
    await sweepOverdueLegs(t.db, seen + 200 * 60_000);
    expect(await alertsOf(plate)).toBe(1); // never twice

    const district = await mkUser('gl.huyen', 'district_health', {
      level: 'district',
      unitCode: A.district,
    });
    const other = await mkUser('gl.huyen.khac', 'district_health', {
      level: 'district',
      unitCode: '095',
    });
    const list = await ok(district, 'GET', '/api/v1/green-lane/alerts', undefined, 200);
    const mine = list.items.find((x: Json) => x.plate === plate);
    expect(mine).toMatchObject({ ruleId: 'leg_overdue', raisedBy: 'sweep', closedAt: null });
    expect(mine.reason.vi).toContain('quá 1 phút');
    expect(mine.site.name).toContain('Chốt kiểm dịch');
    expect((await ok(other, 'GET', '/api/v1/green-lane/alerts', undefined, 200)).items).toEqual([]);
    const url = `/api/v1/green-lane/alerts/${mine.id}/close`;
    const denied = `SELECT count(*)::int AS n FROM audit_events
      WHERE action = 'greenlane.alerts' AND resource_id = $1 AND outcome = 'denied'`;
    expect((await t.as(other, 'POST', url, { reason: 'Không phải của huyện' })).statusCode).toBe(
      404,
    );
    expect(await count(denied, [mine.id])).toBe(1);
    const bad = await t.as(district, 'POST', url, {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('reason');

    const reason = 'Xe hỏng giữa đường, đã kiểm tra';
    const closed = await ok(district, 'POST', url, { reason }, 200);
    expect(closed).toMatchObject({ replayed: false, closeReason: reason });
    expect(closed.closedAt).toBeTruthy();
    expect(await ok(district, 'POST', url, { reason: 'Lần hai' }, 200)).toMatchObject({
      replayed: true,
      closeReason: reason,
    });
    const after = await ok(district, 'GET', '/api/v1/green-lane/alerts', undefined, 200);
    expect(after.items.find((x: Json) => x.id === mine.id)).toBeUndefined();
  });

  it('a crew member stepping out: fewer people on board than the permit binds is alerted, once', async () => {
    // issue 17 item 3: the yard's officer counts 1 of the 2 people the permit binds
    const plate = await onTheWay('29C-777.77', new Date(Date.now() - 10 * 60_000).toISOString());
    const full = await ok(chot, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'first_checkpoint',
      plate,
      peopleOnBoard: 2,
    });
    expect(full.alerts).toEqual([]);
    const body = { clientId: randomUUID(), point: 'yard', plate, peopleOnBoard: 1 };
    const short = await ok(bai, 'POST', '/api/v1/green-lane/passages', body);
    expect(short.alerts.map((x: Json) => x.ruleId)).toEqual(['crew_missing']);
    expect(short.alerts[0].reason.vi).toContain('1/2 người');
    await ok(bai, 'POST', '/api/v1/green-lane/passages', body, 200); // replayed: not doubled
    await ok(bai, 'POST', '/api/v1/green-lane/passages', { ...body, clientId: randomUUID() });
    expect(await alertsOf(plate)).toBe(1); // one per trip and point
    expect(
      await count(
        `SELECT count(*)::int AS n FROM green_lane_passages WHERE client_id = $1 AND people_on_board = 1`,
        [body.clientId],
      ),
    ).toBe(1);
    const district = await t.login('gl.huyen', 'password-123');
    const list = await ok(district, 'GET', '/api/v1/green-lane/alerts', undefined, 200);
    expect(list.items.find((x: Json) => x.plate === plate)).toMatchObject({
      ruleId: 'crew_missing',
      raisedBy: 'passage',
    });
    const bad = await pass(bai, { ...body, clientId: randomUUID(), peopleOnBoard: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('peopleOnBoard');
  });

  it('a late arrival is stored with the passage, once, whoever raised the leg first', async () => {
    const plate = await onTheWay('29C-666.66', new Date(Date.now() - 130 * 60_000).toISOString());
    const late = await ok(bai, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'yard',
      plate,
    });
    expect(late.alerts.map((x: Json) => x.ruleId)).toEqual(['leg_overdue']);
    await sweepOverdueLegs(t.db); // the trip is at the yard now: nothing more is due
    expect(await alertsOf(plate)).toBe(1);
  });
  it('a transit yard with capacity: the board shows occupancy; a vehicle entering a full yard is flagged', async () => {
    // issue 17 item 4 (other tests' trucks may already stand in the yard: capacity = them + 1)
    const before = await ok(authority, 'GET', `/api/v1/gates/${gateId}/board`, undefined, 200);
    const yard = before.yards[0];
    expect(yard.name).toContain('Bãi trung chuyển');
    const url = `/api/v1/green-lane/yards/${yard.siteId}`;
    expect((await t.as(companyA, 'PUT', url, { capacity: 5 })).statusCode).toBe(404);
    expect(
      (await t.as(authority, 'PUT', `/api/v1/green-lane/yards/${gateId}`, { capacity: 5 }))
        .statusCode,
    ).toBe(404);
    const bad = await t.as(authority, 'PUT', url, { capacity: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('capacity');
    const set = await ok(authority, 'PUT', url, { capacity: yard.occupied + 1 }, 200);
    expect(set).toMatchObject({ capacity: yard.occupied + 1, full: false });
    const seen = new Date(Date.now() - 5 * 60_000).toISOString();
    const [p1, p2] = [await onTheWay('29C-881.01', seen), await onTheWay('29C-881.02', seen)];
    const first = await ok(bai, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'yard',
      plate: p1,
    });
    expect(first.yard).toMatchObject({ occupied: yard.occupied + 1, full: false, reason: null });
    const second = await ok(bai, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'yard',
      plate: p2,
    });
    expect(second.yard).toMatchObject({ occupied: yard.occupied + 2, full: true });
    expect(second.yard.reason.vi).toContain('Bãi đã đầy');
    let board = await ok(authority, 'GET', `/api/v1/gates/${gateId}/board`, undefined, 200);
    expect(board.yards[0]).toMatchObject({ occupied: yard.occupied + 2, full: true });
    // one leaves for the gate: the yard has room again
    await ok(cuaKhau, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'gate',
      plate: p1,
    });
    board = await ok(authority, 'GET', `/api/v1/gates/${gateId}/board`, undefined, 200);
    expect(board.yards[0]).toMatchObject({ occupied: yard.occupied + 1, full: true });
    expect(
      await count(
        `SELECT count(*)::int AS n FROM green_lane_passages WHERE yard_full AND point = 'yard'`,
      ),
    ).toBe(1);
  });
});
