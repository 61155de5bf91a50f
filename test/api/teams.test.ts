import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOfDayInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 18 item 2: a village's community team, its households and its one task list. On
 * 03/03/2022 (CV 873) an F1 of a team household is quarantined at home, an F0 of the household
 * is treated at home, and the adults of the household are not vaccinated: the leader's list has
 * a home-quarantine check, F0 monitoring and the visits; completing them writes through the
 * follow-up module, the care module and the team's visit (a replay is not counted twice); the
 * weekly report counts them. Another team's leader, another village or commune → 404, audited.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ
const B = '03331'; // Xã Thanh Hưng, huyện Điện Biên
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let xa: string;
let xaB: string;
let leader: string;
let otherLeader: string;
let leaderB: string;
let v1: string;
let v2: string;
let vB: string;
let team: Json;
let household: string;
let householdV2: string;
let householdB: string;
let f1: string;
let f0Case: string;
let adult: string;

const at = (date: string, hour = 9) =>
  vi.useFakeTimers({ toFake: ['Date'], now: startOfDayInstant(date) + hour * 3600_000 });
async function ok(cookie: string, method: string, url: string, body?: unknown, status = 200) {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json() as Json;
}
const userId = async (username: string) =>
  (await t.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]))[0]!.id;
const denials = async (resourceId: string) =>
  (
    await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied'`,
      [resourceId],
    )
  )[0]!.n;
const tasks = async (cookie: string, date: string, extra = '') =>
  ok(cookie, 'GET', `/api/v1/teams/${team.id}/tasks?date=${date}${extra}`);

beforeAll(async () => {
  t = await startTestApp();
  xa = await t.staff('team.xa', 'commune_health', { level: 'commune', unitCode: A });
  xaB = await t.staff('team.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  const village = async (communeCode: string, name: string) =>
    (
      await ok(
        communeCode === A ? xa : xaB,
        'POST',
        '/api/v1/villages',
        {
          communeCode,
          name,
          kind: 'to_dan_pho',
        },
        201,
      )
    ).id as string;
  v1 = await village(A, 'Tổ dân phố 1');
  v2 = await village(A, 'Tổ dân phố 2');
  vB = await village(B, 'Bản Co Mỵ');
  leader = await t.staff('team.to1', 'community_team', { level: 'village', villageId: v1 });
  otherLeader = await t.staff('team.to1b', 'community_team', { level: 'village', villageId: v1 });
  leaderB = await t.staff('team.tob', 'community_team', { level: 'village', villageId: vB });
  at('2022-03-03');
  const person = async (cookie: string, communeCode: string, villageId: string, fullName: string) =>
    (
      await ok(
        cookie,
        'POST',
        '/api/v1/persons',
        { fullName, birthYear: 1985, sex: 'male', address: { communeCode, villageId } },
        201,
      )
    ).id as string;
  const head = await person(xa, A, v1, 'Lò Văn Chủ Hộ');
  adult = head;
  const f0 = await person(xa, A, v1, 'Lò Văn Nguồn');
  f1 = await person(xa, A, v1, 'Lò Văn Tại Nhà');
  household = (
    await ok(xa, 'POST', '/api/v1/households', { villageId: v1, headPersonId: head }, 201)
  ).id;
  for (const p of [f0, f1])
    await ok(
      xa,
      'POST',
      `/api/v1/households/${household}/members`,
      { personId: p, relation: 'child' },
      201,
    );
  householdV2 = (await ok(xa, 'POST', '/api/v1/households', { villageId: v2 }, 201)).id;
  householdB = (await ok(xaB, 'POST', '/api/v1/households', { villageId: vB }, 201)).id;
  // the F0 (at home) and their contact (an F1 quarantined at home)
  const c = await ok(
    xa,
    'POST',
    '/api/v1/cases',
    {
      personId: f0,
      positiveSampleAt: '2022-03-02T08:00:00+07:00',
      foundBy: 'community',
      basis: 'pcr_positive',
    },
    201,
  );
  f0Case = c.id;
  await ok(
    xa,
    'POST',
    `/api/v1/cases/${c.id}/interview-contacts`,
    {
      personId: f1,
      at: '2022-03-01T18:00:00+07:00',
      minutes: 60,
      masked: false,
    },
    201,
  );
  const k = (await ok(xa, 'GET', `/api/v1/cases/${c.id}/contacts`)).f1[0];
  await ok(xa, 'POST', `/api/v1/contacts/${k.id}/confirm`, {}, 201);
  const care = await ok(
    xa,
    'POST',
    `/api/v1/cases/${c.id}/care`,
    {
      spo2: 98,
      respiratoryRate: 16,
    },
    201,
  );
  expect(care.tier).toBe('home');
  vi.useRealTimers();
});
afterEach(() => vi.useRealTimers());
afterAll(() => t?.close());

describe(`community teams on ${ENGINE}`, () => {
  it('commune staff create a team; bad input answers 400 naming the field', async () => {
    const short = await t.as(xa, 'POST', '/api/v1/teams', { villageId: v1, name: 'A' });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields[0].path).toBe('name');
    const wrongLeader = await t.as(xa, 'POST', '/api/v1/teams', {
      villageId: v1,
      name: 'Tổ COVID số 1',
      leaderUserId: await userId('team.tob'),
    });
    expect(wrongLeader.statusCode).toBe(400);
    expect(wrongLeader.json().fields[0].path).toBe('leaderUserId');
    // the form offers the village's community team accounts
    const accounts = await ok(xa, 'GET', `/api/v1/teams/leader-accounts?village=${v1}`);
    expect(accounts.items.map((u: Json) => u.username).sort()).toEqual(['team.to1', 'team.to1b']);
    expect((await t.as(xa, 'GET', `/api/v1/teams/leader-accounts?village=${vB}`)).statusCode).toBe(
      404,
    );
    const clientId = randomUUID();
    const body = {
      villageId: v1,
      name: 'Tổ COVID số 1',
      leaderUserId: await userId('team.to1'),
      clientId,
    };
    team = await ok(xa, 'POST', '/api/v1/teams', body, 201);
    expect(await ok(xa, 'POST', '/api/v1/teams', body)).toMatchObject({ id: team.id });
    expect(team).toMatchObject({ villageName: 'Tổ dân phố 1', leaderName: 'Cán bộ team.to1' });
    // a team of commune B cannot be made from commune A
    expect(
      (
        await t.as(xa, 'POST', '/api/v1/teams', {
          ...body,
          clientId: undefined,
          villageId: vB,
        })
      ).statusCode,
    ).toBe(404);
    await ok(
      xa,
      'POST',
      `/api/v1/teams/${team.id}/members`,
      { personId: adult, role: 'leader' },
      201,
    );
  });

  it('assigns households: another village 400 naming the item, another commune 404 audited', async () => {
    const elsewhere = await t.as(xa, 'POST', `/api/v1/teams/${team.id}/households`, {
      householdIds: [household, householdV2],
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().fields[0].path).toBe('householdIds.1');
    const outside = await t.as(xa, 'POST', `/api/v1/teams/${team.id}/households`, {
      householdIds: [householdB],
    });
    expect(outside.statusCode).toBe(404);
    expect(await denials(householdB)).toBe(1);
    expect(
      await ok(xa, 'POST', `/api/v1/teams/${team.id}/households`, { householdIds: [household] }),
    ).toEqual({ assigned: 1 });
    const hh = await ok(leader, 'GET', `/api/v1/teams/${team.id}/households`);
    expect(hh.items).toEqual([
      expect.objectContaining({ id: household, headName: 'Lò Văn Chủ Hộ', members: 3 }),
    ]);
  });

  it("the leader's one list: a home-quarantine check, F0 monitoring and the unvaccinated, due today", async () => {
    const list = await tasks(leader, '2022-03-03');
    const kinds = list.items.map((i: Json) => `${i.kind}:${i.person.fullName}:${i.state}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'home_quarantine:Lò Văn Tại Nhà:today',
        'unvaccinated:Lò Văn Chủ Hộ:today',
      ]),
    );
    // the F0's next reading is due on the day the care module set (PostgreSQL sets it from its
    // own clock, PGlite from the test's): the task is there on that day
    const due = (
      await t.db.query<{ d: string }>(
        `SELECT ((next_reading_due AT TIME ZONE 'UTC') + interval '7 hours')::date::text AS d
           FROM care_treatments WHERE case_id = $1`,
        [f0Case],
      )
    )[0]!.d;
    const f0 = (await tasks(leader, due)).items.find((i: Json) => i.kind === 'f0_home');
    expect(f0).toMatchObject({
      state: 'today',
      sourceId: f0Case,
      complete: { url: `/api/v1/cases/${f0Case}/monitoring` },
    });
    // the next day, what was not done is overdue
    const later = await tasks(leader, '2022-03-04');
    const hq = later.items.find((i: Json) => i.kind === 'home_quarantine');
    expect(hq).toMatchObject({ state: 'overdue', dueOn: '2022-03-03', daysOverdue: 1 });
    expect(later.items[0].state).toBe('overdue');
  });

  it('pages by keyset without repeats', async () => {
    const all = (await tasks(leader, '2022-03-04')).items.map((i: Json) => i.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: Json = await tasks(
        leader,
        '2022-03-04',
        `&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...p.items.map((i: Json) => i.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(4);
  });

  it('another team of the village, another village, another commune: 404 and audited', async () => {
    const before = await denials(team.id);
    for (const cookie of [otherLeader, leaderB, xaB])
      expect((await t.as(cookie, 'GET', `/api/v1/teams/${team.id}/tasks`)).statusCode).toBe(404);
    expect((await t.as(otherLeader, 'GET', `/api/v1/teams/${team.id}/households`)).statusCode).toBe(
      404,
    );
    expect(await denials(team.id)).toBe(before + 4);
    expect((await ok(otherLeader, 'GET', '/api/v1/teams')).items).toEqual([]);
    expect((await ok(leader, 'GET', '/api/v1/teams')).items.map((x: Json) => x.id)).toEqual([
      team.id,
    ]);
    // a team leader does not keep teams
    expect(
      (
        await t.as(leader, 'POST', `/api/v1/teams/${team.id}/households`, {
          householdIds: [household],
        })
      ).statusCode,
    ).toBe(404);
  });

  it('bad input on the list and a visit: 400 naming the field', async () => {
    const d = await t.as(leader, 'GET', `/api/v1/teams/${team.id}/tasks?date=2022-02-30`);
    expect(d.statusCode).toBe(400);
    expect(d.json().fields[0].path).toBe('querystring.date');
    const v = await t.as(leader, 'POST', `/api/v1/teams/${team.id}/visits`, {
      clientId: randomUUID(),
      householdId: household,
      personId: adult,
      outcome: 'maybe',
    });
    expect(v.statusCode).toBe(400);
    expect(v.json().fields[0].path).toBe('outcome');
    const c = await t.as(leader, 'GET', `/api/v1/teams/${team.id}/tasks?cursor=xyz`);
    expect(c.statusCode).toBe(400);
    expect(c.json().fields[0].path).toBe('cursor');
  });

  it('completions write through the modules, once; the weekly report counts them', async () => {
    at('2022-03-03', 10);
    const visit = {
      clientId: randomUUID(),
      householdId: household,
      personId: adult,
      outcome: 'will_vaccinate',
    };
    expect((await ok(leader, 'POST', `/api/v1/teams/${team.id}/visits`, visit, 201)).replayed).toBe(
      false,
    );
    expect((await ok(leader, 'POST', `/api/v1/teams/${team.id}/visits`, visit)).replayed).toBe(
      true,
    );
    // a person outside the team's households: 404, audited
    const stranger = await t.as(leader, 'POST', `/api/v1/teams/${team.id}/visits`, {
      ...visit,
      clientId: randomUUID(),
      householdId: householdV2,
    });
    expect(stranger.statusCode).toBe(404);
    const list = await tasks(leader, '2022-03-03');
    const hq = list.items.find((i: Json) => i.kind === 'home_quarantine');
    expect(hq.complete).toMatchObject({
      url: `/api/v1/follow-ups/${hq.sourceId}/events`,
      step: 'check',
    });
    const check = { kind: 'daily_check', clientId: randomUUID(), temperature: 36.8, symptoms: [] };
    await ok(leader, 'POST', hq.complete.url, check, 201);
    await ok(leader, 'POST', hq.complete.url, check, 200);
    const reading = { clientId: randomUUID(), spo2: 97 };
    await ok(leader, 'POST', `/api/v1/cases/${f0Case}/monitoring`, reading, 201);
    await ok(leader, 'POST', `/api/v1/cases/${f0Case}/monitoring`, reading);
    const after = (await tasks(leader, '2022-03-03')).items.map(
      (i: Json) => `${i.kind}:${i.person.id}`,
    );
    expect(after).not.toContain(`unvaccinated:${adult}`);
    expect(after).not.toContain(`home_quarantine:${f1}`);
    const report = await ok(leader, 'GET', `/api/v1/teams/${team.id}/report?week=2022-03-03`);
    expect(report.week).toEqual({ from: '2022-02-28', to: '2022-03-06' });
    const byKind = Object.fromEntries(report.kinds.map((k: Json) => [k.kind, k.done]));
    expect(byKind).toEqual({ arrival: 0, home_quarantine: 1, f0_home: 1, unvaccinated: 1 });
    expect(report.householdsVisited).toBe(1);
  });
});
