import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitStockFromHoldersSql } from '../../src/server/supplies/unit-stock.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Supplies through the API (issue 18 item 1): the catalogue, holders, receipts, transfers, issues
 * and counts on a ledger that never goes below zero — concurrent issues of the last units: one
 * wins, the other 409 — replays not doubled, stock per holder and per unit with days of stock and
 * alerts; another district's holder answers 404 and the attempt is audited.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (district 094)

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let admin: string;
let tinh: string;
let huyen: string;
let huyenB: string;
let xaA: string;
let facilityUser: string;
let provinceHolder: Json;
let districtHolder: Json;
let communeHolder: Json;
let facilityHolder: Json;

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
const move = (cookie: string, body: Json) =>
  t.as(cookie, 'POST', '/api/v1/supplies/movements', { clientId: randomUUID(), ...body });
const onHand = async (holderId: string, item: string) =>
  Number(
    (
      await t.db.query<{ on_hand: number }>(
        'SELECT on_hand FROM supply_stock WHERE holder_id = $1 AND item_code = $2',
        [holderId, item],
      )
    )[0]?.on_hand ?? 0,
  );
const denials = async (id: string) =>
  (
    await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied' AND reason = 'outside_scope'`,
      [id],
    )
  )[0]!.n;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  tinh = await mk('sup.tinh', 'province', { level: 'province', unitCode: '11' });
  huyen = await mk('sup.huyen', 'district_health', { level: 'district', unitCode: '094' });
  huyenB = await mk('sup.huyen.b', 'district_health', { level: 'district', unitCode: '100' });
  xaA = await mk('sup.xa.a', 'commune_health', { level: 'commune', unitCode: A });
  const site = await ok(admin, 'POST', '/api/v1/sites', {
    kind: 'facility',
    name: 'Bệnh viện dã chiến (supplies test)',
    communeCode: A,
  });
  facilityUser = await mk('sup.facility', 'facility_manager', { level: 'site', siteId: site.id });
  provinceHolder = await ok(tinh, 'POST', '/api/v1/supplies/holders', {
    kind: 'unit',
    unitCode: '11',
  });
  districtHolder = await ok(huyen, 'POST', '/api/v1/supplies/holders', {
    kind: 'unit',
    unitCode: '094',
  });
  communeHolder = await ok(xaA, 'POST', '/api/v1/supplies/holders', { kind: 'unit', unitCode: A });
  facilityHolder = await ok(huyen, 'POST', '/api/v1/supplies/holders', {
    kind: 'facility',
    siteId: site.id,
  });
});
afterAll(() => t?.close());

describe(`supplies on ${ENGINE}`, () => {
  it('lists the seeded catalogue; the province adds an item, a replay is not doubled', async () => {
    const items = (await ok(xaA, 'GET', '/api/v1/supplies/items', undefined, 200)).items as Json[];
    expect(items).toHaveLength(11);
    const pcr = items.find((i) => i.code === 'pcr_machine')!;
    expect(pcr).toMatchObject({ dailyCapacity: 400, catalogueId: 'supply-catalogue-2021-08' });
    expect(pcr.name.vi).toBe('Máy xét nghiệm Realtime PCR');
    const body = {
      clientId: randomUUID(),
      code: 'face_shield',
      name: { vi: 'Kính chắn giọt bắn', en: 'Face shield' },
      unit: { vi: 'chiếc', en: 'piece' },
      category: 'ppe',
      defaultMinimum: 100,
    };
    expect((await ok(tinh, 'POST', '/api/v1/supplies/items', body)).code).toBe('face_shield');
    await ok(tinh, 'POST', '/api/v1/supplies/items', body, 200);
    const again = await t.as(tinh, 'POST', '/api/v1/supplies/items', {
      ...body,
      clientId: randomUUID(),
    });
    expect(again.statusCode).toBe(409);
    const bad = await t.as(tinh, 'POST', '/api/v1/supplies/items', { ...body, category: 'food' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('category');
    // a commune keeps stock but not the catalogue
    expect((await t.as(xaA, 'POST', '/api/v1/supplies/items', body)).statusCode).toBe(404);
  });

  it('receives, and a replayed receipt is not counted twice', async () => {
    const receipt = {
      clientId: randomUUID(),
      kind: 'receipt',
      itemCode: 'n95',
      holderId: districtHolder.id,
      quantity: 100,
    };
    const first = await ok(huyen, 'POST', '/api/v1/supplies/movements', receipt);
    expect(first).toMatchObject({ delta: 100, onHandAfter: 100 });
    const replay = await ok(huyen, 'POST', '/api/v1/supplies/movements', receipt, 200);
    expect(replay.id).toBe(first.id);
    expect(await onHand(districtHolder.id, 'n95')).toBe(100);
    // the same clientId for another movement is a conflict, not a silent replay
    const reused = await t.as(huyen, 'POST', '/api/v1/supplies/movements', {
      ...receipt,
      kind: 'issue',
    });
    expect(reused.statusCode).toBe(409);
  });

  it('transfers to the commune; an issue beyond the stock is 409 and leaves it as it was', async () => {
    const tr = await move(huyen, {
      kind: 'transfer',
      itemCode: 'n95',
      holderId: districtHolder.id,
      toHolderId: communeHolder.id,
      quantity: 60,
    });
    expect(tr.statusCode, tr.body).toBe(201);
    expect(await onHand(districtHolder.id, 'n95')).toBe(40);
    expect(await onHand(communeHolder.id, 'n95')).toBe(60);
    const over = await move(xaA, {
      kind: 'issue',
      itemCode: 'n95',
      holderId: communeHolder.id,
      quantity: 61,
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().message).toContain('chỉ còn 60');
    expect(await onHand(communeHolder.id, 'n95')).toBe(60);
    const issue = await move(xaA, {
      kind: 'issue',
      itemCode: 'n95',
      holderId: communeHolder.id,
      quantity: 14,
    });
    expect(issue.json()).toMatchObject({ delta: -14, onHandAfter: 46 });
  });

  it('two concurrent issues of the last units: one wins, the other 409, never negative', async () => {
    const count = await move(xaA, {
      kind: 'count',
      itemCode: 'mask',
      holderId: communeHolder.id,
      quantity: 10,
    });
    expect(count.json()).toMatchObject({ delta: 10, onHandAfter: 10 });
    const issue = () =>
      move(xaA, { kind: 'issue', itemCode: 'mask', holderId: communeHolder.id, quantity: 10 });
    const both = await Promise.all([issue(), issue()]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await onHand(communeHolder.id, 'mask')).toBe(0);
    // five at once for 4 each out of 10: exactly two pass
    await move(xaA, {
      kind: 'receipt',
      itemCode: 'mask',
      holderId: communeHolder.id,
      quantity: 10,
    });
    const five = await Promise.all(
      Array.from({ length: 5 }, () =>
        move(xaA, { kind: 'issue', itemCode: 'mask', holderId: communeHolder.id, quantity: 4 }),
      ),
    );
    expect(five.filter((r) => r.statusCode === 201)).toHaveLength(2);
    expect(five.filter((r) => r.statusCode === 409)).toHaveLength(3);
    expect(await onHand(communeHolder.id, 'mask')).toBe(2);
    const ledger = await t.db.query<{ s: number }>(
      `SELECT sum(delta)::int AS s FROM supply_movements WHERE holder_id = $1 AND item_code = 'mask'`,
      [communeHolder.id],
    );
    expect(ledger[0]!.s).toBe(2);
  });

  it('bad input is a 400 naming the field, never a 500', async () => {
    const cases: [Json, string][] = [
      [{ kind: 'issue', itemCode: 'n95', holderId: communeHolder.id, quantity: -1 }, 'quantity'],
      [{ kind: 'receipt', itemCode: 'n95', holderId: communeHolder.id, quantity: 0 }, 'quantity'],
      [
        { kind: 'transfer', itemCode: 'n95', holderId: communeHolder.id, quantity: 1 },
        'toHolderId',
      ],
      [{ kind: 'receipt', itemCode: 'gold', holderId: communeHolder.id, quantity: 1 }, 'itemCode'],
      [{ kind: 'lend', itemCode: 'n95', holderId: communeHolder.id, quantity: 1 }, 'kind'],
      [{ kind: 'receipt', itemCode: 'n95', holderId: 'x', quantity: 1 }, 'holderId'],
      [
        {
          kind: 'receipt',
          itemCode: 'n95',
          holderId: communeHolder.id,
          quantity: 1,
          occurredOn: '2099-01-01',
        },
        'occurredOn',
      ],
    ];
    for (const [body, field] of cases) {
      const r = await move(xaA, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().fields.map((f: Json) => f.path)).toContain(field);
    }
    const noUnit = await t.as(xaA, 'GET', '/api/v1/supplies/stock');
    expect(noUnit.statusCode).toBe(400);
    const cursor = await t.as(
      xaA,
      'GET',
      `/api/v1/supplies/movements?holder=${communeHolder.id}&cursor=abc`,
    );
    expect(cursor.statusCode).toBe(400);
  });

  it("another district's holder answers 404 and the attempt is audited", async () => {
    const r = await move(huyenB, {
      kind: 'issue',
      itemCode: 'n95',
      holderId: districtHolder.id,
      quantity: 1,
    });
    expect(r.statusCode).toBe(404);
    expect(r.json().fields[0].path).toBe('holderId');
    expect(await denials(districtHolder.id)).toBeGreaterThanOrEqual(1);
    // a transfer into a holder outside the actor's area is refused the same way
    const into = await move(xaA, {
      kind: 'transfer',
      itemCode: 'n95',
      holderId: communeHolder.id,
      toHolderId: provinceHolder.id,
      quantity: 1,
    });
    expect(into.statusCode).toBe(404);
    expect(into.json().fields[0].path).toBe('toHolderId');
    const read = await t.as(huyenB, 'GET', `/api/v1/supplies/stock?holder=${communeHolder.id}`);
    expect(read.statusCode).toBe(404);
    expect(await denials(communeHolder.id)).toBeGreaterThanOrEqual(1);
    const unit = await t.as(huyenB, 'GET', '/api/v1/supplies/stock?unit=094');
    expect(unit.statusCode).toBe(404);
    const holder = await t.as(huyenB, 'POST', '/api/v1/supplies/holders', {
      kind: 'unit',
      unitCode: A,
    });
    expect(holder.statusCode).toBe(404);
    // a facility manager sees their own facility, not the commune's warehouse
    await ok(
      facilityUser,
      'GET',
      `/api/v1/supplies/stock?holder=${facilityHolder.id}`,
      undefined,
      200,
    );
    const other = await t.as(
      facilityUser,
      'GET',
      `/api/v1/supplies/stock?holder=${communeHolder.id}`,
    );
    expect(other.statusCode).toBe(404);
  });

  it('shows stock per holder with days of stock and alerts under the minimum', async () => {
    await ok(
      xaA,
      'POST',
      '/api/v1/supplies/minimums',
      {
        holderId: communeHolder.id,
        itemCode: 'n95',
        minimum: 50,
      },
      200,
    );
    const s = await ok(
      xaA,
      'GET',
      `/api/v1/supplies/stock?holder=${communeHolder.id}`,
      undefined,
      200,
    );
    const n95 = s.items.find((i: Json) => i.item.code === 'n95');
    // 46 on hand, 14 used this week (2 a day): 23 days
    expect(n95).toMatchObject({
      onHand: 46,
      usedLastWeek: 14,
      daysOfStock: 23,
      minimum: 50,
      minimumIsOwn: true,
    });
    expect(n95.alert.level).toBe('below_minimum');
    const mask = s.items.find((i: Json) => i.item.code === 'mask');
    expect(mask.onHand).toBe(2);
    expect(mask.alert.level).toBe('below_minimum'); // the default minimum of masks is 2,000
    const ventilator = s.items.find((i: Json) => i.item.code === 'ventilator');
    expect(ventilator).toMatchObject({ onHand: 0, alert: null, daysOfStock: null });
  });

  it('rolls stock up per unit from the maintained rows, with its sub-units', async () => {
    await move(huyen, {
      kind: 'receipt',
      itemCode: 'pcr_machine',
      holderId: facilityHolder.id,
      quantity: 2,
    });
    const d = await ok(huyen, 'GET', '/api/v1/supplies/stock?unit=094', undefined, 200);
    const n95 = d.items.find((i: Json) => i.item.code === 'n95');
    // both are below: the commune under its own 50, the district (40) under the default 200
    expect(n95).toMatchObject({ onHand: 86, holders: 2, holdersBelowMinimum: 2, usedLastWeek: 14 });
    const pcr = d.items.find((i: Json) => i.item.code === 'pcr_machine');
    expect(pcr).toMatchObject({ onHand: 2, capacityPerDay: 800 });
    expect(d.alerts.map((a: Json) => `${a.holderName}:${a.itemCode}`)).toContain(
      `${communeHolder.name}:n95`,
    );
    const commune = d.byUnit.find((u: Json) => u.code === A);
    expect(commune.items.n95).toBe(46);
    expect(d.byUnit.find((u: Json) => u.code === null).items.n95).toBe(40);
    // the province sees the same figures through its districts
    const p = await ok(tinh, 'GET', '/api/v1/supplies/stock?unit=11', undefined, 200);
    expect(p.byUnit.find((u: Json) => u.code === '094').items.n95).toBe(86);
  });

  it('keeps the unit stock exact under concurrent movements, opposite transfers included', async () => {
    const item = 'sanitiser'; // default minimum 50
    for (const [h, quantity] of [
      [provinceHolder, 300],
      [districtHolder, 200],
      [communeHolder, 60],
    ] as const)
      expect(
        (await move(tinh, { kind: 'receipt', itemCode: item, holderId: h.id, quantity }))
          .statusCode,
      ).toBe(201);
    // 30 at once: transfers both ways between the province and the district, issues at the
    // commune that run it dry (some 409), receipts at the facility (its first of the item)
    const writes = Array.from({ length: 30 }, (_, i) => {
      switch (i % 5) {
        case 0:
          return move(tinh, {
            kind: 'transfer',
            itemCode: item,
            holderId: provinceHolder.id,
            toHolderId: districtHolder.id,
            quantity: 7,
          });
        case 1:
          return move(tinh, {
            kind: 'transfer',
            itemCode: item,
            holderId: districtHolder.id,
            toHolderId: provinceHolder.id,
            quantity: 5,
          });
        case 2:
          return move(xaA, {
            kind: 'issue',
            itemCode: item,
            holderId: communeHolder.id,
            quantity: 15,
          });
        case 3:
          return move(tinh, {
            kind: 'transfer',
            itemCode: item,
            holderId: districtHolder.id,
            toHolderId: communeHolder.id,
            quantity: 3,
          });
        default:
          return move(huyen, {
            kind: 'receipt',
            itemCode: item,
            holderId: facilityHolder.id,
            quantity: 4,
          });
      }
    });
    const codes = (await Promise.all(writes)).map((r) => r.statusCode);
    expect(
      codes.every((c) => c === 201 || c === 409),
      codes.join(),
    ).toBe(true);
    expect(codes.filter((c) => c === 409).length).toBeGreaterThan(0); // the commune ran dry
    // a minimum set at the facility moves it under (the unit rows count it)
    await ok(
      tinh,
      'POST',
      '/api/v1/supplies/minimums',
      { holderId: facilityHolder.id, itemCode: item, minimum: 1_000 },
      200,
    );
    const maintained = await t.db.query<Json>(
      'SELECT unit_code, item_code, level, parent_code, on_hand::bigint::text AS on_hand, holders, below FROM supply_unit_stock ORDER BY unit_code, item_code',
    );
    const rebuilt = await t.db.query<Json>(
      `SELECT unit_code, item_code, level, parent_code, on_hand::text AS on_hand, holders, below
         FROM (${unitStockFromHoldersSql}) r ORDER BY unit_code, item_code`,
    );
    expect(maintained).toEqual(rebuilt);
    const usage = (sql: string) => t.db.query<Json>(`${sql} ORDER BY 1, 2, 3`);
    expect(
      await usage(
        'SELECT unit_code, day::text, item_code, issued::text FROM supply_unit_usage_daily',
      ),
    ).toEqual(
      await usage(`SELECT commune_code AS unit_code, day::text, item_code, sum(issued)::text AS issued FROM supply_usage_daily WHERE commune_code IS NOT NULL GROUP BY 1, 2, 3
        UNION ALL SELECT district_code, day::text, item_code, sum(issued)::text FROM supply_usage_daily WHERE district_code IS NOT NULL GROUP BY 1, 2, 3
        UNION ALL SELECT province_code, day::text, item_code, sum(issued)::text FROM supply_usage_daily GROUP BY 1, 2, 3`),
    );
    // and the endpoint answers the sum of the holders
    const p = await ok(tinh, 'GET', '/api/v1/supplies/stock?unit=11', undefined, 200);
    const line = p.items.find((i: Json) => i.item.code === item);
    const total = (
      await Promise.all(
        [provinceHolder, districtHolder, communeHolder, facilityHolder].map((h) =>
          onHand(h.id, item),
        ),
      )
    ).reduce((a, b) => a + b, 0);
    expect(line).toMatchObject({ onHand: total, holders: 4 });
    expect(line.holdersBelowMinimum).toBe(
      Number(rebuilt.find((r) => r.unit_code === '11' && r.item_code === item)!.below),
    );
    expect(p.alerts.map((a: Json) => `${a.holderId}:${a.itemCode}`)).toContain(
      `${facilityHolder.id}:${item}`,
    );
    // what the province's own warehouse keeps is the unit less its district
    expect(p.byUnit.find((u: Json) => u.code === null).items[item]).toBe(
      await onHand(provinceHolder.id, item),
    );
  });

  it('a facility manager reading its commune sees its own holders only', async () => {
    const c = await ok(facilityUser, 'GET', `/api/v1/supplies/stock?unit=${A}`, undefined, 200);
    const line = c.items.find((i: Json) => i.item.code === 'sanitiser');
    expect(line).toMatchObject({
      onHand: await onHand(facilityHolder.id, 'sanitiser'),
      holders: 1,
    });
    expect(c.alerts.every((a: Json) => a.holderId === facilityHolder.id)).toBe(true);
  });

  it("pages a holder's movements newest first", async () => {
    const first = await ok(
      xaA,
      'GET',
      `/api/v1/supplies/movements?holder=${communeHolder.id}&limit=3`,
      undefined,
      200,
    );
    expect(first.items).toHaveLength(3);
    const seen = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await ok(
        xaA,
        'GET',
        `/api/v1/supplies/movements?holder=${communeHolder.id}&limit=3&cursor=${cursor}`,
        undefined,
        200,
      );
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    const total = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM supply_movements WHERE holder_id = $1 OR to_holder_id = $1',
      [communeHolder.id],
    );
    expect(seen).toHaveLength(total[0]!.n);
    expect(new Set(seen.map((m) => m.id)).size).toBe(seen.length);
  });
});
