import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Enforcement through the API (issue 18 item 3): a violation linked to a person and to the
 * declaration that shows it, the fine held to the provision's range (400 naming fineAmount),
 * a replay not doubled in the list or the counts, payment, the keyset list, counts by type and
 * unit; a person or a record of another district answers 404, audited.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (district 094)
const B = '03331'; // Xã Thanh Hưng, huyện Điện Biên (district 100)
const today = dateOfInstant(Date.now());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let huyen: string;
let xaA: string;
let xaB: string;
let personA: string;
let personA2: string;
let personB: string;
let declarationA: string;

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
const violation = (over: Json = {}) => ({
  clientId: randomUUID(),
  personId: personA,
  typeCode: 'no_mask',
  occurredOn: today,
  decision: 'fine',
  fineAmount: 2_000_000,
  ...over,
});
const counts = async (commune: string) =>
  (
    await t.db.query<{ n: number; fine_total: number; paid_n: number }>(
      `SELECT coalesce(sum(n), 0)::int AS n, coalesce(sum(fine_total), 0)::bigint AS fine_total,
              coalesce(sum(paid_n), 0)::int AS paid_n FROM violation_counts WHERE commune_code = $1`,
      [commune],
    )
  )[0]!;

beforeAll(async () => {
  t = await startTestApp();
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  huyen = await mk('enf.huyen', 'district_health', { level: 'district', unitCode: '094' });
  xaA = await mk('enf.xa.a', 'commune_health', { level: 'commune', unitCode: A });
  xaB = await mk('enf.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  const person = async (cookie: string, fullName: string, commune: string) =>
    (
      await ok(cookie, 'POST', '/api/v1/persons', {
        fullName,
        birthYear: 1990,
        sex: 'male',
        address: { communeCode: commune },
      })
    ).id as string;
  personA = await person(xaA, 'Lò Văn Phạt', A);
  personA2 = await person(xaA, 'Quàng Thị Khác', A);
  personB = await person(xaB, 'Cà Văn Xa', B);
  const decl = await ok(null, 'POST', '/api/v1/declarations', {
    person: {
      fullName: 'Lò Văn Phạt',
      birthYear: 1990,
      sex: 'male',
      idType: 'cccd',
      idNumber: '011090012345',
      phone: '0912000111',
      communeCode: A,
    },
    travel: {
      mode: 'coach',
      fromProvinceCode: '01',
      toCommuneCode: A,
      toAddress: 'Tổ 5',
      date: today,
    },
    visitedProvinces: ['01'],
    symptoms: [],
    exposure: { caseContact: false, fromOutbreakArea: true, symptomaticContact: false },
    vaccination: { doses: 0 },
    consent: true,
  });
  declarationA = decl.id;
});
afterAll(() => t?.close());

describe(`enforcement on ${ENGINE}`, () => {
  it('lists the violation types in force with article and fine range', async () => {
    const set = await ok(xaA, 'GET', '/api/v1/violation-types', undefined, 200);
    expect(set.id).toBe('violation-types-2020-11');
    const noMask = set.types.find((x: Json) => x.code === 'no_mask');
    expect(noMask).toMatchObject({
      article: 'Điều 12 khoản 1 Nghị định 117/2020/NĐ-CP',
      fine: { min: 1_000_000, max: 3_000_000 },
    });
    const before = await t.as(xaA, 'GET', '/api/v1/violation-types?on=2020-01-01');
    expect(before.statusCode).toBe(400);
  });

  it('records a fine within the range with its article; a replay is not doubled', async () => {
    const body = violation();
    const v = await ok(xaA, 'POST', '/api/v1/violations', body);
    expect(v).toMatchObject({
      personId: personA,
      ruleSetId: 'violation-types-2020-11',
      article: 'Điều 12 khoản 1 Nghị định 117/2020/NĐ-CP',
      fineAmount: 2_000_000,
      paid: false,
      communeCode: A,
    });
    expect(v.explanation.vi).toContain('2.000.000 đ');
    const again = await ok(xaA, 'POST', '/api/v1/violations', body, 200);
    expect(again.id).toBe(v.id);
    expect(await counts(A)).toMatchObject({ n: 1, fine_total: 2_000_000 });
  });

  it('refuses a fine outside the range and other bad input with a 400 naming the field', async () => {
    const cases: [Json, string][] = [
      [violation({ fineAmount: 999_999 }), 'fineAmount'],
      [violation({ fineAmount: 3_000_001 }), 'fineAmount'],
      [violation({ fineAmount: undefined }), 'fineAmount'],
      [violation({ decision: 'warning' }), 'fineAmount'],
      [violation({ typeCode: 'forged_test_papers' }), 'decision'],
      [violation({ typeCode: 'jaywalking' }), 'typeCode'],
      [violation({ occurredOn: addDays(today, 1) }), 'occurredOn'],
      [violation({ occurredOn: '2020-02-30' }), 'occurredOn'],
      [violation({ personId: 'nobody' }), 'personId'],
      [violation({ decision: 'warning', fineAmount: undefined, paid: true }), 'paid'],
      [violation({ evidence: { kind: 'photo', id: randomUUID() } }), 'evidence.kind'],
    ];
    for (const [body, field] of cases) {
      const r = await t.as(xaA, 'POST', '/api/v1/violations', body);
      expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
      expect(r.json().fields.map((f: Json) => f.path)).toContain(field);
    }
    expect((await counts(A)).n).toBe(1);
  });

  it('links the declaration that shows a false declaration; checks whose record it is', async () => {
    const decl = await t.db.query<{ person_id: string }>(
      'SELECT person_id FROM declarations WHERE id = $1',
      [declarationA],
    );
    const declarant = decl[0]!.person_id;
    const v = await ok(
      xaA,
      'POST',
      '/api/v1/violations',
      violation({
        personId: declarant,
        typeCode: 'false_declaration',
        fineAmount: 7_500_000,
        evidence: { kind: 'declaration', id: declarationA },
      }),
    );
    expect(v.evidence).toEqual({ kind: 'declaration', id: declarationA });
    const other = await t.as(
      xaA,
      'POST',
      '/api/v1/violations',
      violation({
        personId: personA2,
        typeCode: 'false_declaration',
        fineAmount: 7_500_000,
        evidence: { kind: 'declaration', id: declarationA },
      }),
    );
    expect(other.statusCode).toBe(400);
    expect(other.json().fields[0].path).toBe('evidence.id');
    const missing = await t.as(
      xaA,
      'POST',
      '/api/v1/violations',
      violation({ evidence: { kind: 'quarantine_order', id: randomUUID() } }),
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json().fields[0].path).toBe('evidence.id');
  });

  it("another district's person, record or commune answers 404 and the attempt is audited", async () => {
    const r = await t.as(xaA, 'POST', '/api/v1/violations', violation({ personId: personB }));
    expect(r.statusCode).toBe(404);
    expect(r.json().fields[0].path).toBe('personId');
    const denied = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied'`,
      [personB],
    );
    expect(denied[0]!.n).toBeGreaterThanOrEqual(1);
    const decl = await t.as(
      xaB,
      'POST',
      '/api/v1/violations',
      violation({
        personId: personB,
        typeCode: 'false_declaration',
        fineAmount: 5_000_000,
        evidence: { kind: 'declaration', id: declarationA },
      }),
    );
    expect(decl.statusCode).toBe(404);
    expect(decl.json().fields[0].path).toBe('evidence.id');
    const commune = await t.as(xaA, 'POST', '/api/v1/violations', violation({ communeCode: B }));
    expect(commune.statusCode).toBe(404);
    expect(commune.json().fields[0].path).toBe('communeCode');
    const v = (await ok(xaA, 'GET', '/api/v1/violations', undefined, 200)).items[0];
    const pay = await t.as(xaB, 'POST', `/api/v1/violations/${v.id}/payment`, {});
    expect(pay.statusCode).toBe(404);
  });

  it('records payment once; lists keyset paged; counts by type and unit', async () => {
    await ok(
      xaA,
      'POST',
      '/api/v1/violations',
      violation({
        typeCode: 'quarantine_escape',
        decision: 'criminal_referral',
        fineAmount: undefined,
        occurredOn: addDays(today, -3),
      }),
    );
    await ok(
      xaB,
      'POST',
      '/api/v1/violations',
      violation({ personId: personB, fineAmount: 1_000_000 }),
    );
    const list = await ok(xaA, 'GET', '/api/v1/violations?limit=2', undefined, 200);
    expect(list.items).toHaveLength(2);
    const rest = await ok(
      xaA,
      'GET',
      `/api/v1/violations?limit=2&cursor=${list.nextCursor}`,
      undefined,
      200,
    );
    const all = [...list.items, ...rest.items];
    expect(all).toHaveLength(3); // commune A's three, none of B's
    expect(all.map((v: Json) => v.personId)).not.toContain(personB);
    expect(all[2].typeCode).toBe('quarantine_escape'); // the oldest last
    expect(all[0].personName).toBeTruthy();
    const fine = all.find((v: Json) => v.typeCode === 'no_mask');
    const paid = await ok(
      xaA,
      'POST',
      `/api/v1/violations/${fine.id}/payment`,
      { paidOn: today },
      200,
    );
    expect(paid).toMatchObject({ paid: true, paidOn: today });
    await ok(xaA, 'POST', `/api/v1/violations/${fine.id}/payment`, {}, 200);
    const referral = all.find((v: Json) => v.typeCode === 'quarantine_escape');
    expect(
      (await t.as(xaA, 'POST', `/api/v1/violations/${referral.id}/payment`, {})).statusCode,
    ).toBe(409);
    const c = await ok(huyen, 'GET', '/api/v1/violations/counts?unit=094', undefined, 200);
    expect(c.total).toMatchObject({
      count: 3,
      fined: 2,
      fineTotal: 9_500_000,
      paid: 1,
      paidTotal: 2_000_000,
    });
    expect(c.byType.map((x: Json) => [x.typeCode, x.count])).toEqual([
      ['false_declaration', 1],
      ['no_mask', 1],
      ['quarantine_escape', 1],
    ]);
    expect(c.byUnit).toEqual([expect.objectContaining({ code: A, count: 3 })]);
    const bad = await t.as(xaA, 'GET', '/api/v1/violations?cursor=eyJ4Ijox');
    expect(bad.statusCode).toBe(400);
    const outside = await t.as(xaA, 'GET', '/api/v1/violations/counts?unit=100');
    expect(outside.statusCode).toBe(404);
  });
});
