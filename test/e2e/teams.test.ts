/**
 * A community team leader on a phone (issue 18 item 2): their team's one task list — an F0 at
 * home to monitor and the unvaccinated adults of the team's household to visit — worked through
 * offline: each completion waits in the phone's outbox, and back online it is sent once to the
 * module that asked for it (the care module's reading, the team's visit). Commune staff see the
 * team's households and weekly report. Screenshots: test-results/e2e/teams-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dateOfInstant } from '../../src/domain/dates.ts';
import { type E2E, login, screenshots, startE2E, watch } from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
const FIELD = { width: 360, height: 740 };
const PASSWORD = 'mat-khau-to-covid';
const tag = Date.now().toString(36).slice(-5);
const staff = `tyt.team.${tag}`;
const leader = `to.covid.${tag}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let e: E2E;
let teamId: string;
let caseId: string;
let f0DueToday: boolean;
const { shot, shotDialog } = screenshots('teams-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const ok = (r: { status: number; json: unknown }, status = 201) => {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    return r.json as Json;
  };
  ok(
    await e.call(admin, 'POST', '/api/v1/users', {
      username: staff,
      fullName: 'Lò Thị Trạm Y Tế',
      password: PASSWORD,
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: A },
    }),
  );
  const xa = await e.apiLogin(staff, PASSWORD);
  const village = ok(
    await e.call(xa, 'POST', '/api/v1/villages', {
      communeCode: A,
      name: `Tổ dân phố ${tag}`,
      kind: 'to_dan_pho',
    }),
  ).id as string;
  const leaderUser = ok(
    await e.call(admin, 'POST', '/api/v1/users', {
      username: leader,
      fullName: 'Quàng Văn Tổ Trưởng',
      password: PASSWORD,
      role: 'community_team',
      jurisdiction: { level: 'village', villageId: village },
    }),
  );
  const person = async (fullName: string, birthYear: number) =>
    ok(
      await e.call(xa, 'POST', '/api/v1/persons', {
        fullName,
        birthYear,
        sex: 'female',
        phone: '0915333444',
        address: { communeCode: A, villageId: village },
      }),
    ).id as string;
  const head = await person('Lò Thị Chủ Hộ', 1960);
  const f0 = await person('Lò Văn Bệnh', 1990);
  const household = ok(
    await e.call(xa, 'POST', '/api/v1/households', {
      villageId: village,
      headPersonId: head,
      address: 'Số 12, tổ 3',
    }),
  ).id as string;
  ok(
    await e.call(xa, 'POST', `/api/v1/households/${household}/members`, {
      personId: f0,
      relation: 'child',
    }),
  );
  caseId = ok(
    await e.call(xa, 'POST', '/api/v1/cases', {
      personId: f0,
      positiveSampleAt: new Date(Date.now() - 3_600_000).toISOString(),
      foundBy: 'community',
      basis: 'pcr_positive',
    }),
  ).id;
  const care = ok(
    await e.call(xa, 'POST', `/api/v1/cases/${caseId}/care`, { spo2: 98, respiratoryRate: 16 }),
  );
  expect(care.tier).toBe('home');
  // a reading due after midnight (Vietnam) is tomorrow's task, not today's
  f0DueToday = dateOfInstant(Date.parse(care.nextReadingDue)) === dateOfInstant(Date.now());
  teamId = ok(
    await e.call(xa, 'POST', '/api/v1/teams', {
      villageId: village,
      name: 'Tổ COVID cộng đồng số 3',
      leaderUserId: leaderUser.user.id,
    }),
  ).id;
  ok(
    await e.call(xa, 'POST', `/api/v1/teams/${teamId}/households`, { householdIds: [household] }),
    200,
  );
  ok(
    await e.call(xa, 'POST', `/api/v1/teams/${teamId}/members`, { personId: head, role: 'leader' }),
  );
}, 240_000);
afterAll(() => e?.close());

describe('community team tasks in the browser', () => {
  test("a team leader works through today's tasks offline, then syncs once", async () => {
    const ctx = await e.newContext(FIELD);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, leader, PASSWORD);
    await page.goto('/to-covid');
    await page.getByTestId('team').getByRole('link', { name: 'Việc hôm nay' }).click();
    const tasks = page.getByTestId('team-task');
    await tasks.first().waitFor();
    const visits = tasks.filter({ hasText: 'Vận động tiêm chủng' });
    await expect.poll(() => visits.count()).toBe(2);
    if (f0DueToday) await tasks.filter({ hasText: 'Theo dõi F0 tại nhà' }).waitFor();
    await shot(page, '01-tasks-phone');
    // every button a thumb presses is at least 44 px high
    for (const b of await page.getByTestId('team-task').getByRole('button').all())
      expect((await b.boundingBox())!.height).toBeGreaterThanOrEqual(44);

    await ctx.setOffline(true);
    await page.getByTestId('online').getByText('Mất mạng', { exact: false }).waitFor();
    for (const name of ['Lò Thị Chủ Hộ', 'Lò Văn Bệnh']) {
      await visits
        .filter({ hasText: name })
        .getByRole('button', { name: 'Ghi kết quả đến thăm' })
        .click();
      await page.getByRole('dialog').getByText('Đồng ý đi tiêm').click();
      if (name === 'Lò Văn Bệnh') await shotDialog(page, '02-visit-offline-phone');
      await page.getByRole('dialog').getByRole('button', { name: 'Lưu' }).click();
      await visits.filter({ hasText: name }).getByTestId('queued').waitFor();
    }
    if (f0DueToday) {
      const f0 = tasks.filter({ hasText: 'Theo dõi F0 tại nhà' });
      await f0.getByRole('button', { name: 'Ghi chỉ số F0' }).click();
      await page.getByRole('dialog').getByLabel('SpO2', { exact: false }).fill('97');
      await page.getByRole('dialog').getByRole('button', { name: 'Lưu chỉ số' }).click();
      await f0.getByTestId('queued').waitFor();
    }
    const queued = f0DueToday ? 3 : 2;
    await expect.poll(() => page.getByTestId('outbox-item').count()).toBe(queued);
    await shot(page, '03-queued-offline-phone', { idle: false });

    await ctx.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-item').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => visits.count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('team-report').getByText('Số hộ đã đến: 1').waitFor();
    await shot(page, '04-synced-phone');
    expect(errors).toEqual([]);

    // sent once: the report counts two visits (and the reading), the care module holds one reading
    const xa = await e.apiLogin(staff, PASSWORD);
    const report = (await e.call(xa, 'GET', `/api/v1/teams/${teamId}/report`)).json as Json;
    const done = Object.fromEntries(report.kinds.map((k: Json) => [k.kind, k.done]));
    expect(done).toMatchObject({ unvaccinated: 2, f0_home: f0DueToday ? 1 : 0 });
    await ctx.close();
  }, 240_000);

  test("commune staff see the team's households, members and week", async () => {
    const ctx = await e.newContext(FIELD);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, staff, PASSWORD);
    await page.goto(`/to-covid/${teamId}/quan-ly`);
    await page.getByTestId('team-household').getByText('Lò Thị Chủ Hộ', { exact: false }).waitFor();
    await page.getByTestId('member').first().waitFor();
    await page.getByTestId('team-report').getByText('Số hộ đã đến: 1').waitFor();
    await shot(page, '05-manage-phone');
    await page.goto('/to-covid');
    await page.getByTestId('team').first().waitFor();
    await shot(page, '06-teams-phone');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);
});
