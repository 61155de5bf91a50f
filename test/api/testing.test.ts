import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { validateFhir } from '../../src/server/testing/fhir-schema.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { readSheet, xlsxFile } from '../helpers/xlsx.ts';

/**
 * Testing and labs through the API: order → sample → result; a pool of five, positive, its
 * retests and the F0 it finds; a rapid positive that asks for a PCR; a dirty XLSX uploaded by an
 * enterprise (row report exact, nothing half-written, the same file twice changes nothing);
 * FHIR R4 out and in (schema-valid, idempotent); the citizen's lookup; and another commune's or
 * lab's user seeing nothing (404, audited).
 */
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
const B = { commune: '03331', district: '100' }; // Xã Thanh Hưng, huyện Điện Biên
// The latest clock time this file writes on "today" is 10:00 (Vietnam). Run before 11:00 there
// (CI at night, UTC evening) those would be in the future and refused, so "today" here is the
// Vietnamese date eleven hours ago; `realToday` is the server's today.
const today = dateOfInstant(Date.now() - 11 * 3_600_000);
const realToday = dateOfInstant(Date.now());
const yesterday = addDays(today, -1);
const vi = (d: string) => d.split('-').reverse().join('/');
const at = (date: string, hm: string) => `${date}T${hm}:00+07:00`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let admin: string;
let xaA: string;
let xaB: string;
let labA: string;
let labB: string;
let reporter: string;
let province: string;
let labSiteA: string;
let enterprise: string;
let an: Json; // Nguyễn Văn An, commune A, with CCCD
let mai: Json; // Lò Thị Mai, commune A, no document

async function mkUser(username: string, role: string, jurisdiction: Json) {
  const r = await t.as(admin, 'POST', '/api/v1/users', {
    username,
    fullName: username,
    password: 'password-123',
    role,
    jurisdiction,
  });
  expect(r.statusCode, r.body).toBe(201);
  return t.login(username, 'password-123');
}
async function mkSite(kind: string, name: string, communeCode: string) {
  const r = await t.as(admin, 'POST', '/api/v1/sites', { kind, name, communeCode });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}
async function person(cookie: string, body: Json) {
  const r = await t.as(cookie, 'POST', '/api/v1/persons', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
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
const count = async (sql: string, params: unknown[] = []) =>
  (await t.db.query<{ n: number }>(sql, params))[0]!.n;
const denied = (resourceId: string) =>
  count(
    `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied'`,
    [resourceId],
  );

function multipart(cookie: string, url: string, name: string, data: Buffer) {
  const boundary = '----eg' + randomUUID();
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}
async function waitImport(cookie: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const r = await ok(cookie, 'GET', `/api/v1/result-imports/${id}?limit=100`, undefined, 200);
    if (r.status === 'done' || r.status === 'failed') return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('import did not finish');
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  labSiteA = await mkSite('lab', 'Phòng xét nghiệm CDC Điện Biên (test)', A.commune);
  const labSiteB = await mkSite('lab', 'Phòng xét nghiệm BVĐK huyện Điện Biên (test)', B.commune);
  enterprise = await mkSite('enterprise', 'Công ty Than Điện Biên (test)', A.commune);
  xaA = await mkUser('xn.xa.a', 'commune_health', { level: 'commune', unitCode: A.commune });
  xaB = await mkUser('xn.xa.b', 'commune_health', { level: 'commune', unitCode: B.commune });
  labA = await mkUser('xn.lab.a', 'lab', { level: 'site', siteId: labSiteA });
  labB = await mkUser('xn.lab.b', 'lab', { level: 'site', siteId: labSiteB });
  reporter = await mkUser('xn.than', 'test_reporter', { level: 'site', siteId: enterprise });
  province = await mkUser('xn.tinh', 'province', { level: 'province', unitCode: '11' });
  an = await person(xaA, {
    fullName: 'Nguyễn Văn An',
    birthDate: '1985-03-15',
    sex: 'male',
    idType: 'cccd',
    idNumber: '011085012345',
    phone: '0912345678',
    address: { communeCode: A.commune },
  });
  mai = await person(xaA, {
    fullName: 'Lò Thị Mai',
    birthYear: 1990,
    sex: 'female',
    address: { communeCode: A.commune },
  });
});
afterAll(() => t?.close());

describe(`testing on ${ENGINE}`, () => {
  let orderId: string;
  let specimen: Json;

  it('orders a test, takes a sample with a label code, and records the negative result', async () => {
    const types = await ok(xaA, 'GET', '/api/v1/test-types', undefined, 200);
    expect(types.items.map((x: Json) => x.code)).toEqual(['rapid_antigen', 'rt_pcr']);
    const clientId = randomUUID();
    const o = await ok(xaA, 'POST', '/api/v1/test-orders', {
      clientId,
      personId: an.id,
      testType: 'rt_pcr',
      reason: 'contact',
      labSiteId: labSiteA,
    });
    expect(o).toMatchObject({
      status: 'ordered',
      reason: 'contact',
      person: { fullName: 'Nguyễn Văn An', birthYear: 1985 },
    });
    orderId = o.id;
    expect(
      (
        await ok(
          xaA,
          'POST',
          '/api/v1/test-orders',
          { clientId, personId: an.id, testType: 'rt_pcr', reason: 'contact' },
          200,
        )
      ).id,
    ).toBe(orderId);
    specimen = await ok(xaA, 'POST', '/api/v1/specimens', {
      clientId: randomUUID(),
      orderId,
      sampledAt: at(yesterday, '08:00'),
      sampledBy: 'Lò Văn Tâm',
      samplePlace: 'Trạm y tế phường Mường Thanh',
    });
    expect(specimen.code).toMatch(/^XN[0-9A-Z]{10}$/);
    expect(specimen.label.qrText).toBe(specimen.code);
    expect(specimen.labSiteId).toBe(labSiteA);
    const res = await ok(labA, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      specimenId: specimen.id,
      result: 'negative',
      resultedAt: at(yesterday, '20:00'),
    });
    expect(res).toMatchObject({
      result: 'negative',
      resultLabel: { vi: 'Âm tính' },
      person: { fullName: 'Nguyễn Văn An' },
      f0: null,
    });
    expect((await ok(xaA, 'GET', `/api/v1/test-orders/${orderId}`, undefined, 200)).status).toBe(
      'resulted',
    );
    const list = await ok(labA, 'GET', '/api/v1/specimens?limit=1', undefined, 200);
    expect(list.items[0].person.fullName).toBe('Nguyễn Văn An');
  });

  it("hides an order, a specimen and a result from another commune's and another lab's user (404, audited)", async () => {
    const res = (await ok(labA, 'GET', `/api/v1/results?personId=${an.id}`, undefined, 200))
      .items[0];
    for (const [cookie, url, id] of [
      [xaB, `/api/v1/test-orders/${orderId}`, orderId],
      [xaB, `/api/v1/specimens/${specimen.id}`, specimen.id],
      [labB, `/api/v1/specimens/${specimen.id}`, specimen.id],
      [labB, `/api/v1/results/${res.id}`, res.id],
    ] as const) {
      const before = await denied(id);
      const r = await t.as(cookie, 'GET', url);
      expect(r.statusCode).toBe(404);
      expect(await denied(id)).toBe(before + 1);
    }
    // nor can B order for A's person
    const r = await t.as(xaB, 'POST', '/api/v1/test-orders', {
      clientId: randomUUID(),
      personId: an.id,
      testType: 'rt_pcr',
      reason: 'request',
    });
    expect(r.statusCode).toBe(404);
    expect((await ok(xaB, 'GET', '/api/v1/test-orders', undefined, 200)).items).toEqual([]);
  });

  it('pools five specimens; a positive pool retests each member, finds the F0 and settles', async () => {
    const people = [an, mai];
    for (let i = 0; i < 3; i++)
      people.push(
        await person(xaA, {
          fullName: `Quàng Thị Pool ${i}`,
          birthYear: 1970 + i,
          sex: 'female',
          address: { communeCode: A.commune },
        }),
      );
    const specimens: Json[] = [];
    for (const p of people)
      specimens.push(
        await ok(xaA, 'POST', '/api/v1/specimens', {
          clientId: randomUUID(),
          personId: p.id,
          testType: 'rt_pcr',
          reason: 'screening',
          labSiteId: labSiteA,
          sampledAt: at(today, '07:00'),
        }),
      );
    const pool = await ok(labA, 'POST', '/api/v1/pools', {
      clientId: randomUUID(),
      specimenIds: specimens.map((s) => s.id),
    });
    expect(pool).toMatchObject({ size: 5, status: 'open' });
    // a member cannot be in two open pools
    const again = await t.as(labA, 'POST', '/api/v1/pools', {
      clientId: randomUUID(),
      specimenIds: specimens.slice(0, 2).map((s) => s.id),
    });
    expect(again.statusCode).toBe(409);
    // another lab cannot pool them: 404 like a missing specimen (issue 10)
    expect(
      (
        await t.as(labB, 'POST', '/api/v1/pools', {
          clientId: randomUUID(),
          specimenIds: specimens.slice(0, 2).map((s) => s.id),
        })
      ).statusCode,
    ).toBe(404);
    const resulted = await ok(
      labA,
      'POST',
      `/api/v1/pools/${pool.id}/result`,
      { result: 'positive', retestMode: 'same_specimen' },
      200,
    );
    expect(resulted.status).toBe('awaiting_retests');
    expect(resulted.progress.pending).toHaveLength(5);
    expect(resulted.members.every((m: Json) => m.retestOrderId)).toBe(true);
    // four negative, Mai positive
    for (const s of specimens) {
      const r = await ok(labA, 'POST', '/api/v1/results', {
        clientId: randomUUID(),
        specimenId: s.id,
        result: s.personId === mai.id ? 'positive' : 'negative',
      });
      if (s.personId === mai.id) {
        expect(r.f0).toMatchObject({
          outcome: 'open_case',
          rulesetId: 'f0-2021-12-29',
          ruleId: 'pcr-positive',
        });
        expect(r.f0.caseId).toBeTruthy();
        expect(r.f0.explanation.vi).toContain('RT-PCR dương tính');
      }
    }
    const done = await ok(labA, 'GET', `/api/v1/pools/${pool.id}`, undefined, 200);
    expect(done.status).toBe('resolved');
    expect(done.progress.positives).toEqual([specimens[1]!.id]);
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE person_id = $1', [mai.id])).toBe(
      1,
    );
    expect(
      await count('SELECT count(*)::int AS n FROM notices WHERE commune_code = $1', [A.commune]),
    ).toBeGreaterThan(0);
  });

  it('a positive pool with new samples: each retest order gets its own specimen and closes the member', async () => {
    const members = [];
    for (let i = 0; i < 2; i++)
      members.push(
        await person(xaA, {
          fullName: `Sùng A Mẫu ${i}`,
          birthYear: 1990 + i,
          sex: 'male',
          address: { communeCode: A.commune },
        }),
      );
    const ss = [];
    for (const m of members)
      ss.push(
        await ok(xaA, 'POST', '/api/v1/specimens', {
          clientId: randomUUID(),
          personId: m.id,
          testType: 'rt_pcr',
          labSiteId: labSiteA,
          sampledAt: at(today, '06:00'),
        }),
      );
    const pool = await ok(labA, 'POST', '/api/v1/pools', {
      clientId: randomUUID(),
      specimenIds: ss.map((s) => s.id),
    });
    const r = await ok(
      labA,
      'POST',
      `/api/v1/pools/${pool.id}/result`,
      { result: 'positive', retestMode: 'new_sample' },
      200,
    );
    expect(r.members.map((m: Json) => m.retestStatus)).toEqual(['ordered', 'ordered']);
    // the first retest comes back; the second never does: the pool waits for it
    const s2 = await ok(xaA, 'POST', '/api/v1/specimens', {
      clientId: randomUUID(),
      orderId: r.members[0].retestOrderId,
      sampledAt: at(today, '10:00'),
    });
    expect(s2.code).not.toBe(ss[0]!.code);
    await ok(labA, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      specimenId: s2.id,
      result: 'negative',
    });
    const later = await ok(labA, 'GET', `/api/v1/pools/${pool.id}`, undefined, 200);
    expect(later).toMatchObject({
      status: 'awaiting_retests',
      progress: { pending: [ss[1]!.id], overdue: [] },
    });
    expect(later.members.map((m: Json) => m.outcome)).toEqual(['negative', null]);
    // two days later the missing retest is overdue
    await t.db.query(`UPDATE pools SET resulted_at = now() - interval '49 hours' WHERE id = $1`, [
      pool.id,
    ]);
    const overdue = await ok(labA, 'GET', `/api/v1/pools/${pool.id}`, undefined, 200);
    expect(overdue.progress.overdue).toEqual([ss[1]!.id]);
    expect(overdue.members[1].overdue).toBe(true);
  });

  it('a negative pool resolves every member negative at once', async () => {
    const p = await person(xaA, {
      fullName: 'Điêu Văn Khánh',
      birthYear: 1999,
      sex: 'male',
      address: { communeCode: A.commune },
    });
    const q = await person(xaA, {
      fullName: 'Cà Thị Lan',
      birthYear: 2001,
      sex: 'female',
      address: { communeCode: A.commune },
    });
    const ss = [];
    for (const x of [p, q])
      ss.push(
        await ok(xaA, 'POST', '/api/v1/specimens', {
          clientId: randomUUID(),
          personId: x.id,
          testType: 'rt_pcr',
          labSiteId: labSiteA,
          sampledAt: at(today, '07:30'),
        }),
      );
    const pool = await ok(labA, 'POST', '/api/v1/pools', {
      clientId: randomUUID(),
      specimenCodes: ss.map((s) => s.code),
    });
    const r = await ok(
      labA,
      'POST',
      `/api/v1/pools/${pool.id}/result`,
      { result: 'negative' },
      200,
    );
    expect(r.status).toBe('negative');
    expect(r.members.map((m: Json) => m.outcome)).toEqual(['negative', 'negative']);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM test_results WHERE person_id = ANY($1) AND result = 'negative' AND source = 'pool'",
        [[p.id, q.id]],
      ),
    ).toBe(2);
    // the pool's result again: nothing changes
    await ok(labA, 'POST', `/api/v1/pools/${pool.id}/result`, { result: 'negative' }, 200);
    expect(
      await count('SELECT count(*)::int AS n FROM test_results WHERE person_id = ANY($1)', [
        [p.id, q.id],
      ]),
    ).toBe(2);
  });

  it('a positive rapid test without F1 status asks for a confirmation PCR and tells the commune', async () => {
    const before = await count(
      "SELECT count(*)::int AS n FROM notices WHERE kind = 'test.positive'",
    );
    const r = await ok(xaA, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      personId: an.id,
      testType: 'rapid_antigen',
      sampledAt: at(today, '09:00'),
      result: 'positive',
    });
    expect(r.f0).toMatchObject({
      outcome: 'order_confirmation',
      ruleId: 'rapid-positive-confirm',
      caseId: null,
    });
    const o = await ok(
      xaA,
      'GET',
      `/api/v1/test-orders/${r.f0.confirmationOrderId}`,
      undefined,
      200,
    );
    expect(o).toMatchObject({ reason: 'confirmation', testType: 'rt_pcr', confirmsResultId: r.id });
    expect(await count("SELECT count(*)::int AS n FROM notices WHERE kind = 'test.positive'")).toBe(
      before + 1,
    );
  });

  describe('an enterprise uploads a dirty XLSX', () => {
    const header = [
      'STT',
      'Họ và tên',
      'Năm sinh',
      'Giới tính',
      'CCCD',
      'Số điện thoại',
      'Mã xã',
      'Loại XN',
      'Kết quả',
      'Ngày lấy mẫu',
    ];
    const rows = [
      [
        1,
        'Nguyễn Văn An',
        1985,
        'Nam',
        '011085012345',
        '',
        '',
        'RT-PCR',
        'Âm tính',
        `${vi(yesterday)} 06:00`,
      ],
      [2, 'Lo Thi Mai', 1990, 'Nu', '', '', '03136', 'PCR', 'am tinh', `${vi(yesterday)} 06:10`],
      [
        3,
        'Quàng Văn Dũng',
        1992,
        'Nam',
        '',
        '0987 654 321',
        '03136',
        'Test nhanh',
        'Âm tính',
        `${vi(yesterday)} 06:20`,
      ],
      [4, 'Tòng Văn Hải', 1988, 'Nam', '', '', '03136', 'Test nhanh', 'Âm tính', '32/13/2022'],
      [
        5,
        'Lường Thị Hoa',
        1995,
        'Nữ',
        '',
        '',
        '99999',
        'Test nhanh',
        'Âm tính',
        `${vi(yesterday)} 06:40`,
      ],
      [
        6,
        'Quàng Văn Dũng',
        1992,
        'Nam',
        '',
        '0987 654 321',
        '03136',
        'Test nhanh',
        'Âm tính',
        `${vi(yesterday)} 06:20`,
      ],
      [
        7,
        'Lò Thị Mai',
        1990,
        'Nữ',
        '',
        '',
        '03136',
        'Test nhanh',
        'Dương tính',
        `${vi(today)} 05:00`,
      ],
      [
        8,
        'Vì Văn Sáng',
        1980,
        'Nam',
        '',
        '',
        '03136',
        'Test nhanh',
        '???',
        `${vi(yesterday)} 07:00`,
      ],
    ];
    async function workbook(sheet = 'Ca sáng') {
      return xlsxFile([header, ...rows], sheet);
    }
    let file: Buffer;
    let jobId: string;
    let persons0: number;
    let results0: number;

    it('reports every row exactly and writes only the accepted rows', async () => {
      persons0 = await count('SELECT count(*)::int AS n FROM persons');
      results0 = await count('SELECT count(*)::int AS n FROM test_results');
      file = await workbook();
      const up = await multipart(reporter, '/api/v1/result-imports', 'ket-qua-ca-sang.xlsx', file);
      expect(up.statusCode, up.body).toBe(202);
      jobId = up.json().id;
      const job = await waitImport(reporter, jobId);
      expect(job.status, job.error).toBe('done');
      expect(job.counts).toEqual({
        accepted: 4,
        matched: 3,
        createdPersons: 1,
        duplicates: 1,
        rejected: 3,
        positives: 1,
      });
      expect(job.progress).toMatchObject({ processedRows: 8, totalRows: 8, ratio: 1 });
      const byRow = Object.fromEntries(job.rows.map((r: Json) => [r.row, r]));
      expect(byRow[2]).toMatchObject({
        status: 'accepted',
        matchedBy: 'id_number',
        personId: an.id,
      });
      expect(byRow[3]).toMatchObject({
        status: 'accepted',
        matchedBy: 'name_birth_year',
        personId: mai.id,
      });
      expect(byRow[4]).toMatchObject({
        status: 'accepted',
        matchedBy: 'created',
        fullName: 'Quàng Văn Dũng',
      });
      expect(byRow[5]).toMatchObject({
        status: 'rejected',
        message: 'Ngày lấy mẫu: "32/13/2022" không phải ngày (dd/mm/yyyy)',
        messageEn: 'Sample date: "32/13/2022" is not a date (dd/mm/yyyy)',
      });
      expect(byRow[6]).toMatchObject({
        status: 'rejected',
        message: 'Mã xã: không có xã mã 99999',
        messageEn: 'Commune code: there is no commune 99999',
      });
      expect(byRow[7]).toMatchObject({
        status: 'duplicate',
        personId: byRow[4].personId,
        message: 'Dòng lặp lại trong tệp: bỏ qua',
        messageEn: 'A repeated row in the file: skipped',
      });
      expect(byRow[8]).toMatchObject({
        status: 'accepted',
        matchedBy: 'name_birth_year',
        personId: mai.id,
      });
      expect(byRow[9]).toMatchObject({
        status: 'rejected',
        message: 'Kết quả: "???" không phải Âm tính/Dương tính',
        messageEn: 'Result: "???" is not Âm tính/Dương tính (negative/positive)',
      });
      expect(job.rows).toHaveLength(8);
      // nothing of the rejected rows was written; the new person has their name keys
      expect(await count('SELECT count(*)::int AS n FROM persons')).toBe(persons0 + 1);
      expect(await count('SELECT count(*)::int AS n FROM test_results')).toBe(results0 + 4);
      expect(
        await count(
          "SELECT count(*)::int AS n FROM persons WHERE full_name IN ('Tòng Văn Hải', 'Lường Thị Hoa', 'Vì Văn Sáng')",
        ),
      ).toBe(0);
      expect(
        await count('SELECT count(*)::int AS n FROM person_name_keys WHERE person_id = $1', [
          byRow[4].personId,
        ]),
      ).toBe(3);
      // the enterprise sees its workers' results
      const mine = await ok(reporter, 'GET', `/api/v1/results?importId=${jobId}`, undefined, 200);
      expect(mine.items).toHaveLength(4);
      // Mai's positive rapid test, with her PCR-confirmed case open: the case is not opened twice
      expect(
        await count('SELECT count(*)::int AS n FROM cases WHERE person_id = $1', [mai.id]),
      ).toBe(1);
    });

    it('the same file again changes nothing; the same rows in another file are duplicates', async () => {
      const again = await multipart(
        reporter,
        '/api/v1/result-imports',
        'ket-qua-ca-sang (1).xlsx',
        file,
      );
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: jobId, replay: true });
      const other = await multipart(
        reporter,
        '/api/v1/result-imports',
        'ket-qua-lan-2.xlsx',
        await workbook('Ca sáng (gửi lại)'),
      );
      expect(other.statusCode).toBe(202);
      const job = await waitImport(reporter, other.json().id);
      expect(job.counts).toMatchObject({
        accepted: 0,
        duplicates: 5,
        rejected: 3,
        createdPersons: 0,
      });
      expect(await count('SELECT count(*)::int AS n FROM persons')).toBe(persons0 + 1);
      expect(await count('SELECT count(*)::int AS n FROM test_results')).toBe(results0 + 4);
    });

    it("hides the import from another commune's user and from a lab (404, audited)", async () => {
      for (const cookie of [xaB, labA]) {
        const before = await denied(jobId);
        expect((await t.as(cookie, 'GET', `/api/v1/result-imports/${jobId}`)).statusCode).toBe(404);
        expect(await denied(jobId)).toBe(before + 1);
      }
      // the commune of the enterprise (commune account) does not see the site's job either: the key is the uploader
      expect(
        (await ok(reporter, 'GET', '/api/v1/result-imports', undefined, 200)).items,
      ).toHaveLength(2);
    });

    it('a new person in the first chunk is the same person in the next chunk (chunks are planned while the previous one is written)', async () => {
      const persons0 = await count('SELECT count(*)::int AS n FROM persons');
      const lines = ['Họ tên,Năm sinh,Giới tính,Mã xã,Loại XN,Kết quả,Ngày lấy mẫu,CCCD'];
      lines.push(`Mùa A Chứ,1994,Nam,03136,Test nhanh,Âm tính,${vi(yesterday)} 01:00,`);
      for (let i = 0; i < 999; i++)
        lines.push(
          `Nguyễn Văn An,1985,Nam,,Test nhanh,Âm tính,${vi(yesterday)} ${String(2 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},011085012345`,
        );
      lines.push(`Mua A Chu,1994,Nam,03136,Test nhanh,Âm tính,${vi(yesterday)} 23:00,`);
      const up = await multipart(
        reporter,
        '/api/v1/result-imports',
        'hai-ca.csv',
        Buffer.from(lines.join('\n')),
      );
      const job = await waitImport(reporter, up.json().id);
      expect(job.counts).toMatchObject({ accepted: 1001, createdPersons: 1, rejected: 0 });
      expect(job.progress.totalRows).toBe(1001);
      expect(await count('SELECT count(*)::int AS n FROM persons')).toBe(persons0 + 1);
      const last = await ok(
        reporter,
        'GET',
        `/api/v1/result-imports/${up.json().id}?afterRow=1001`,
        undefined,
        200,
      );
      expect(last.rows).toEqual([
        expect.objectContaining({ row: 1002, status: 'accepted', matchedBy: 'name_birth_year' }),
      ]);
    });

    it('keeps a saved column mapping per site', async () => {
      await ok(
        reporter,
        'PUT',
        '/api/v1/result-imports/mapping',
        { result: 'KQ test', sampledAt: 'Giờ lấy mẫu' },
        200,
      );
      const m = await ok(reporter, 'GET', '/api/v1/result-imports/mapping', undefined, 200);
      expect(m.mapping).toEqual({ result: 'kq_test', sampledAt: 'gio_lay_mau' });
      const csv = `Họ tên,Năm sinh,Giới tính,CCCD,KQ test,Giờ lấy mẫu,Loại XN\nNguyễn Văn An,1985,Nam,011085012345,Âm tính,${vi(today)} 04:00,Test nhanh\n`;
      const up = await multipart(
        reporter,
        '/api/v1/result-imports',
        'ca-dem.csv',
        Buffer.from(csv),
      );
      const job = await waitImport(reporter, up.json().id);
      expect(job.counts).toMatchObject({ accepted: 1, rejected: 0 });
      expect(job.mapping).toMatchObject({
        result: 'kq_test',
        sampledAt: 'gio_lay_mau',
        fullName: 'ho_ten',
      });
    });
  });

  describe('FHIR R4', () => {
    let exported: Json;
    it('exports results as a Bundle that validates against the R4 schema', async () => {
      const r = await t.as(province, 'GET', `/api/v1/fhir/Bundle?date=${yesterday}&_count=2`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toContain('application/fhir+json');
      exported = r.json();
      expect(validateFhir(exported)).toEqual([]);
      const types = new Set(exported.entry.map((e: Json) => e.resource.resourceType));
      expect([...types].sort()).toEqual(['DiagnosticReport', 'Observation', 'Patient', 'Specimen']);
      expect(exported.link.find((l: Json) => l.relation === 'next')).toBeTruthy();
      const next = await t.as(
        province,
        'GET',
        exported.link.find((l: Json) => l.relation === 'next').url,
      );
      expect(validateFhir(next.json())).toEqual([]);
      const lab = await t.as(labA, 'GET', `/api/v1/fhir/Bundle`);
      expect(validateFhir(lab.json())).toEqual([]);
      expect(lab.json().entry.length).toBeGreaterThan(0);
      // a role without the exchange right sees no such endpoint
      expect((await t.as(xaA, 'GET', '/api/v1/fhir/Bundle')).statusCode).toBe(404);
    }, 60_000);

    it('imports a Bundle from another system once, and our own Bundle back without duplicates', async () => {
      const results0 = await count('SELECT count(*)::int AS n FROM test_results');
      const back = await t.as(province, 'POST', '/api/v1/fhir/Bundle', {
        ...exported,
        type: 'batch',
      });
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json().entry.every((e: Json) => e.response.status === '200 OK')).toBe(true);
      const foreign = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:7d3c1f0e-6a52-4f1e-9a57-1a2b3c4d5e6f',
            resource: {
              resourceType: 'Patient',
              identifier: [{ system: 'urn:epiguard:vn-national-id', value: '011090054321' }],
              name: [{ text: 'Hoàng Thị Thu' }],
              gender: 'female',
              birthDate: '1990-05-02',
              address: [
                {
                  country: 'VN',
                  extension: [{ url: 'urn:epiguard:fhir:commune-code', valueCode: B.commune }],
                },
              ],
            },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            fullUrl: 'urn:uuid:0b7c9a52-2f0e-4c55-8e1f-9d8c7b6a5f4e',
            resource: {
              resourceType: 'Observation',
              identifier: [{ system: 'https://lab.example.vn/ket-qua', value: 'KQ-2022-000123' }],
              status: 'final',
              code: { coding: [{ system: 'http://loinc.org', code: '94500-6' }] },
              subject: { reference: 'urn:uuid:7d3c1f0e-6a52-4f1e-9a57-1a2b3c4d5e6f' },
              effectiveDateTime: at(yesterday, '10:00'),
              issued: at(yesterday, '18:00'),
              valueCodeableConcept: {
                coding: [{ system: 'http://snomed.info/sct', code: '260415000' }],
              },
            },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      };
      const first = await t.as(province, 'POST', '/api/v1/fhir/Bundle', foreign);
      expect(first.statusCode, first.body).toBe(201);
      expect(validateFhir(first.json())).toEqual([]);
      const second = await t.as(province, 'POST', '/api/v1/fhir/Bundle', foreign);
      expect(second.statusCode).toBe(200);
      expect(second.json().entry[0].response.location).toBe(
        first.json().entry[0].response.location,
      );
      expect(await count('SELECT count(*)::int AS n FROM test_results')).toBe(results0 + 1);
      // what another system sends is checked against the schema, field named
      const bad = await t.as(province, 'POST', '/api/v1/fhir/Bundle', {
        ...foreign,
        entry: [
          foreign.entry[0],
          { ...foreign.entry[1], resource: { ...foreign.entry[1]!.resource, status: 42 } },
        ],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().resourceType).toBe('OperationOutcome');
      expect(bad.json().issue[0].expression).toEqual(['Bundle.entry[1].resource.status']);
    }, 60_000);
  });

  // Issue 10, item 1: a random lookup code handed over at sampling is the only secret that reads a
  // result (it replaced the label code + birth year, which could be enumerated).
  it('lets a citizen see their own result with the lookup code handed over at sampling only', async () => {
    expect(specimen.lookupCode).toMatch(/^[0-9A-F]{20}$/);
    const lookup = (code: string, remoteAddress = '127.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/public/results/lookup',
        payload: { code },
        remoteAddress,
      });
    const res = await lookup(specimen.lookupCode.toLowerCase().replace(/(.{4})(?!$)/g, '$1-'));
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({
      status: 'resulted',
      result: 'negative',
      resultLabel: { vi: 'Âm tính' },
    });
    expect(JSON.stringify(r)).not.toContain('Nguyễn');
    expect(JSON.stringify(r)).not.toContain('1985');
    // The old way, the label code and a birth year, reads nothing any more.
    const old = await t.as(null, 'GET', `/api/v1/public/results/${specimen.code}?birthYear=1985`);
    expect(old.statusCode).toBe(404);
    expect((await lookup(specimen.code)).statusCode).toBe(400);
    // "No such code" answers the same whatever the code.
    const a = await lookup('0'.repeat(20), '10.9.9.9');
    const b = await lookup('F'.repeat(20), '10.9.9.9');
    expect(a.statusCode).toBe(404);
    expect(a.body).toBe(b.body);
    // A client trying codes waits longer and longer after five wrong ones…
    for (let i = 0; i < 3; i++)
      expect((await lookup(`${i}`.repeat(20), '10.9.9.9')).statusCode).toBe(404);
    const held = await lookup('A'.repeat(20), '10.9.9.9');
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    // …even with the right code, while another client is not held back.
    expect((await lookup(specimen.lookupCode, '10.9.9.9')).statusCode).toBe(429);
    expect((await lookup(specimen.lookupCode, '10.9.9.10')).statusCode).toBe(200);
    // One code is read at most ten times, from anywhere.
    for (let i = 0; i < 8; i++)
      expect((await lookup(specimen.lookupCode, `10.8.0.${i}`)).statusCode).toBe(200);
    expect((await lookup(specimen.lookupCode, '10.8.1.1')).statusCode).toBe(429);
    // Every lookup is audited, and no event holds the code.
    const events = await t.db.query<{
      outcome: string;
      reason: string | null;
      resource_id: string | null;
      detail: unknown;
    }>(
      `SELECT outcome, reason, resource_id, detail FROM audit_events WHERE action = 'public.results.lookup'`,
    );
    expect(events.filter((e) => e.outcome === 'allowed')).toHaveLength(10);
    expect(events.filter((e) => e.reason === 'not_found')).toHaveLength(5);
    expect(events.filter((e) => e.reason === 'throttled')).toHaveLength(3);
    expect(
      events.filter((e) => e.outcome === 'allowed').every((e) => e.resource_id === specimen.id),
    ).toBe(true);
    expect(JSON.stringify(events)).not.toContain(specimen.lookupCode);
  });

  it('gives the figures by day, type, site and commune, with positivity, turnaround, pending by lab, and as XLSX', async () => {
    const s = await ok(
      province,
      'GET',
      `/api/v1/test-stats?from=${yesterday}&to=${realToday}`,
      undefined,
      200,
    );
    expect(s.totals.tests).toBeGreaterThan(5);
    expect(s.totals.positives).toBeGreaterThanOrEqual(3);
    const pcrYesterday = s.rows.find(
      (r: Json) => r.day === yesterday && r.testType === 'rt_pcr' && r.siteId === labSiteA,
    );
    expect(pcrYesterday).toMatchObject({
      tests: 1,
      positives: 0,
      turnaroundHours: 12,
      communeName: expect.stringContaining('Mường Thanh'),
    });
    const x = await t.as(
      province,
      'GET',
      `/api/v1/test-stats.xlsx?from=${yesterday}&to=${realToday}`,
    );
    expect(x.statusCode).toBe(200);
    expect(readSheet(x.rawPayload)[0]![0]).toBe('Ngày lấy mẫu');
    await ok(
      labA,
      'PUT',
      `/api/v1/labs/${labSiteA}/capacity`,
      { singlePerDay: 1500, pooledPerDay: 10000 },
      200,
    );
    const load = await ok(labA, 'GET', '/api/v1/labs/load', undefined, 200);
    expect(load.items[0]).toMatchObject({
      siteId: labSiteA,
      capacity: { singlePerDay: 1500, pooledPerDay: 10000 },
    });
    expect(load.items[0].today.pooled).toBe(9); // pools of 5 + 2 + 2 today
    expect(
      (
        await t.as(labB, 'PUT', `/api/v1/labs/${labSiteA}/capacity`, {
          singlePerDay: 1,
          pooledPerDay: 1,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('never answers 5xx to random bodies on the testing write endpoints, as users who hold the rights', async () => {
    const doc = (await t.as(null, 'GET', '/api/v1/openapi.json')).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(
          ([m, op]) =>
            ['post', 'put'].includes(m) &&
            op.tags?.includes('testing') &&
            !path.includes('result-imports'),
        )
        .map(([m]) => ({
          method: m.toUpperCase(),
          url: path
            .replace(/\{siteId\}/g, labSiteA)
            .replace(/\{id\}/g, '00000000-0000-4000-8000-000000000000'),
        })),
    );
    expect(writes.length).toBeGreaterThanOrEqual(8);
    const plausible = fc.oneof(
      fc.constantFrom(
        'rt_pcr',
        'rapid_antigen',
        'positive',
        'negative',
        '03136',
        'screening',
        an.id,
        specimen.id,
        specimen.code,
        randomUUID(),
        at(today, '07:00'),
        '2099-01-01T00:00:00Z',
        '',
      ),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const keys = [
      'clientId',
      'personId',
      'specimenId',
      'specimenCode',
      'specimenIds',
      'testType',
      'reason',
      'result',
      'sampledAt',
      'resultedAt',
      'labSiteId',
      'code',
      'name',
      'kind',
      'communeCode',
      'startsOn',
      'singlePerDay',
      'pooledPerDay',
      'resourceType',
      'type',
      'entry',
      'retestMode',
      'orderId',
      'ctValue',
    ];
    const body = fc.oneof(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom(...keys),
        fc.oneof(plausible, fc.array(plausible, { maxLength: 12 })),
      ),
    );
    const users = [province, labA, reporter, xaA];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 3 }),
        body,
        async (i, u, payload) => {
          const ep = writes[i % writes.length]!;
          const res = await t.app.inject({
            method: ep.method as 'POST',
            url: ep.url,
            headers: { 'content-type': 'application/json', cookie: users[u]! },
            payload: JSON.stringify(payload) ?? 'null',
          });
          if (res.statusCode >= 500)
            throw new Error(
              `${ep.method} ${ep.url} → ${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`,
            );
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});

describe(`public result lookup is rate-limited on ${ENGINE}`, () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ rateLimits: true });
  });
  afterAll(() => limited?.close());
  it('answers 429 after 5 wrong codes from one address (issue 10: back-off per client)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++)
      codes.push(
        (
          await limited.as(null, 'POST', '/api/v1/public/results/lookup', {
            code: `${String(i).padStart(2, '0')}`.repeat(10),
          })
        ).statusCode,
      );
    expect(codes.slice(0, 5).every((c) => c === 404)).toBe(true);
    expect(codes.slice(5).every((c) => c === 429)).toBe(true);
  });

  it('lets only 5 of 20 wrong codes sent at once be looked up (the attempt is taken before the lookup)', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        // the app without the per-address request limit: the throttle alone decides
        t.app
          .inject({
            method: 'POST',
            url: '/api/v1/public/results/lookup',
            remoteAddress: '10.20.30.40',
            payload: { code: `${String(i + 20).padStart(2, '0')}`.repeat(10) },
          })
          .then((r) => r.statusCode),
      ),
    );
    expect(
      statuses.filter((c) => c === 404),
      String(statuses),
    ).toHaveLength(5);
    expect(statuses.filter((c) => c === 429)).toHaveLength(15);
  });
});
