/**
 * Cases and contact tracing in a real browser against the real server. The outbreak is built
 * through the API (travellers on one coach through a checkpoint, one more in a car behind it, the
 * F0's household, a market and a factory shift with QR check-ins); then a commune health officer
 * of Phường Mường Thanh, on a phone, opens the F0, reads the F1/F2 candidates with their
 * evidence, confirms two F1 (quarantine orders), rejects one with a reason, follows the chain
 * graph, works the tracing board, reads the notices, shows a venue's QR, groups the case into a
 * cluster and declares a lockdown; the cluster's graph is also captured on a desktop.
 * Screenshots go to test-results/e2e/cases-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  named,
  navLinks,
  openMenu,
  pick,
  PHONE,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

// Điện Biên (11) › Thành phố Điện Biên Phủ (094) › Phường Mường Thanh (03136).
const A = '03136';
const PASSWORD = 'mat-khau-truy-vet-03136';

/** Text a missing translation leaves behind: a key of the cases bundle, e.g. "contacts.f1". */
const I18N_KEY =
  /\b(nav|status|statusFilter|foundBy|basis|source|sourceShort|strength|contactStatus|orderKind|stage|venueKind|role|cases|create|case|contacts|graph|clusters|lockdowns|venues|board|notices|common)\.[a-z][A-Za-z_]+\b/;

let e: E2E;
const { shot, shotDialog } = screenshots('cases-');
const stamp = Date.now().toString(36).slice(-5);
const username = `tyt.mt.tv.${stamp}`;
const T = Date.now();
const ago = (h: number, m = 0) => new Date(T - (h * 60 + m) * 60_000).toISOString();
const vnDate = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
const today = vnDate(T);
const todayText = today.split('-').reverse().join('/');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads what it expects
type Json = Record<string, any>;

const people: Record<string, { personId: string; code?: string }> = {};
let venue: Json;

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const ok = (r: { status: number; json: unknown }, status = 201) =>
    expect(r.status, JSON.stringify(r.json)).toBe(status);

  const site = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt kiểm dịch Km 45',
    communeCode: A,
  });
  ok(site);
  const mkUser = async (u: string, fullName: string, role: string, jurisdiction: Json) => {
    ok(
      await e.call(admin, 'POST', '/api/v1/users', {
        username: u,
        fullName,
        role,
        jurisdiction,
        password: PASSWORD,
      }),
    );
    return e.apiLogin(u, PASSWORD);
  };
  const officer = await mkUser(username, 'Lò Thị Hoa', 'commune_health', {
    level: 'commune',
    unitCode: A,
  });
  const chot = await mkUser(`chot.km45.${stamp}`, 'Tòng Văn Chốt', 'checkpoint_officer', {
    level: 'site',
    siteId: site.json.id,
  });

  // Travellers declare themselves on the public page.
  let seq = 10;
  for (const [key, fullName] of [
    ['F0', 'Lò Văn Bình'],
    ['T1', 'Quàng Văn Xe'],
    ['T2', 'Lường Thị Ghế'],
    ['T3', 'Cà Văn Hàng'],
  ] as const) {
    const r = await e.call(null, 'POST', '/api/v1/declarations', {
      person: {
        fullName,
        birthYear: 1988,
        sex: key === 'T2' ? 'female' : 'male',
        idType: 'cccd',
        idNumber: `0110880${stamp.replace(/\D/g, '').padEnd(3, '0').slice(0, 3)}${seq++}`,
        communeCode: A,
      },
      travel: { mode: 'coach', fromProvinceCode: '01', toCommuneCode: A, date: today },
      visitedProvinces: ['01'],
      symptoms: [],
      exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
      vaccination: { doses: 0 },
      consent: true,
    });
    ok(r);
    people[key] = { personId: r.json.personId ?? r.json.person?.id, code: r.json.code };
  }
  // The declaration answer may not carry the person id: find them by the officer's search.
  for (const [key, name] of [
    ['F0', 'Lò Văn Bình'],
    ['T1', 'Quàng Văn Xe'],
    ['T2', 'Lường Thị Ghế'],
    ['T3', 'Cà Văn Hàng'],
  ] as const) {
    if (people[key]!.personId) continue;
    const r = await e.call(officer, 'POST', '/api/v1/persons/search', { q: name });
    ok(r, 200);
    people[key]!.personId = r.json.items[0].id;
  }

  // The coach 27B-012.34 through the checkpoint 20 hours ago; T3 five minutes later in a car.
  const entry = async (key: string, at: string, plate: string, type: string) =>
    ok(
      await e.call(chot, 'POST', '/api/v1/entries', {
        clientId: randomUUID(),
        direction: 'in',
        declarationCode: people[key]!.code,
        at,
        vehicle: { plate, type },
      }),
    );
  await entry('F0', ago(20), '27B-012.34', 'coach');
  await entry('T1', ago(20, -1), '27B-012.34', 'coach');
  await entry('T2', ago(20, -2), '27B-012.34', 'coach');
  await entry('T3', ago(20, -5), '24A-555.55', 'car');

  // The F0's household: wife and son, registered by the commune.
  const village = await e.call(officer, 'POST', '/api/v1/villages', {
    communeCode: A,
    name: 'Tổ dân phố 9',
    kind: 'to_dan_pho',
  });
  ok(village);
  const hh = await e.call(officer, 'POST', '/api/v1/households', {
    villageId: village.json.id,
    address: 'Số 7, tổ dân phố 9',
  });
  ok(hh);
  const member = async (personId: string, relation: string) => {
    const r = await e.call(officer, 'POST', `/api/v1/households/${hh.json.id}/members`, {
      personId,
      relation,
    });
    expect(r.status, JSON.stringify(r.json)).toBeLessThan(300);
  };
  await member(people.F0!.personId, 'head');
  const person = async (key: string, fullName: string, birthYear: number, sex: string) => {
    const r = await e.call(officer, 'POST', '/api/v1/persons', {
      fullName,
      birthYear,
      sex,
      address: { communeCode: A, villageId: village.json.id },
    });
    ok(r);
    people[key] = { personId: r.json.id };
  };
  await person('H1', 'Lò Thị Mai', 1990, 'female');
  await person('H2', 'Lò Văn Minh', 2014, 'male');
  await member(people.H1!.personId, 'spouse');
  await member(people.H2!.personId, 'child');
  await person('M1', 'Hoàng Thị Lan', 1979, 'female');
  await person('W1', 'Mùa A Cá', 1995, 'male');

  // The market: the F0 and Lan together 15 minutes; the factory: Lan with Cá on shift 1 later.
  const mkVenue = async (name: string, kind: string) => {
    const r = await e.call(officer, 'POST', '/api/v1/venues', { name, kind, communeCode: A });
    ok(r);
    return r.json as Json;
  };
  venue = await mkVenue('Chợ trung tâm Mường Thanh', 'market');
  const factory = await mkVenue('Xưởng may Him Lam', 'factory');
  const checkin = async (v: Json, key: string, direction: string, at: string, area?: string) =>
    ok(
      await e.call(officer, 'POST', `/api/v1/venues/${v.id}/checkins`, {
        clientId: randomUUID(),
        personId: people[key]!.personId,
        direction,
        at,
        ...(area ? { area } : {}),
      }),
    );
  await checkin(venue, 'F0', 'in', ago(8));
  await checkin(venue, 'M1', 'in', ago(7, 15));
  await checkin(venue, 'F0', 'out', ago(7));
  await checkin(venue, 'M1', 'out', ago(6, 30));
  await checkin(factory, 'M1', 'in', ago(5), 'Ca 1');
  await checkin(factory, 'W1', 'in', ago(5), 'Ca 1');
  await checkin(factory, 'M1', 'out', ago(3), 'Ca 1');
  await checkin(factory, 'W1', 'out', ago(3), 'Ca 1');
});

afterAll(() => e?.close());

const contactCard = (page: Page, list: 'f1-list' | 'f2-list', name: string) =>
  page.getByTestId(list).getByTestId('contact-card').filter({ hasText: name });

describe('staff app: cases and contact tracing', () => {
  let clusterUrl = '';

  test('a commune officer opens an F0, confirms F1, follows the chain and works the board (phone)', async () => {
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, username, PASSWORD);

    await openMenu(page);
    expect(await navLinks(page)).toEqual(
      expect.arrayContaining([
        'Ca bệnh F0',
        'Truy vết',
        'Ổ dịch',
        'Phong tỏa',
        'Điểm quét QR',
        'Thông báo',
      ]),
    );
    await shot(page, '01-menu-phone');
    await page.getByRole('navigation').getByRole('link', { name: 'Ca bệnh F0' }).click();
    await page.getByRole('heading', { name: 'Ca bệnh F0' }).waitFor();
    await page.getByText('Chưa có ca bệnh nào trong địa bàn.').waitFor();
    await shot(page, '02-cases-empty-phone');

    // Open the F0: find the person without typing accents, today's positive PCR, no symptoms.
    await page.getByRole('button', { name: 'Mở ca bệnh' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Mở ca bệnh' }).click();
    await dialog.getByText('Bắt buộc').first().waitFor();
    await dialog.getByTestId('person-search').fill('lo van binh');
    await dialog.getByTestId('person-results').getByText('Lò Văn Bình').click();
    await dialog.getByTestId('picked-person').getByText('Lò Văn Bình').waitFor();
    await dialog
      .getByLabel('Ngày lấy mẫu dương tính')
      .pressSequentially(today.split('-').reverse().join(''));
    expect(await dialog.getByLabel('Ngày lấy mẫu dương tính').inputValue()).toBe(todayText);
    expect(
      await dialog.getByRole('combobox', { name: named('Căn cứ xác định F0') }).inputValue(),
    ).toBe('Xét nghiệm RT-PCR dương tính');
    await expectTranslated(page, I18N_KEY);
    await shotDialog(page, '03-open-case-phone');
    await dialog.getByRole('button', { name: 'Mở ca bệnh' }).click();
    await page.getByRole('heading', { name: 'Lò Văn Bình' }).waitFor();
    const caseId = page.url().split('/').pop()!;
    expect(await page.getByTestId('case-code').textContent()).toMatch(/^F0-\d{6}$/);

    // The infectious period starts two days before the sample (asymptomatic).
    const start = vnDate(T - 2 * 86_400_000)
      .split('-')
      .reverse()
      .join('/');
    const period = page.getByTestId('infectious-period');
    await expect.poll(() => period.textContent()).toContain(`từ ${start}`);
    await expect.poll(() => period.textContent()).toContain('đang tiếp diễn');

    // F1 candidates with their evidence; F2 through Lan at the factory.
    const f1 = page.getByTestId('f1-list');
    await contactCard(page, 'f1-list', 'Hoàng Thị Lan').waitFor();
    const f1Names = await f1.getByTestId('contact-card').allInnerTexts();
    for (const n of ['Quàng Văn Xe', 'Lường Thị Ghế', 'Cà Văn Hàng', 'Lò Thị Mai', 'Lò Văn Minh'])
      expect(f1Names.join('\n')).toContain(n);
    const xe = contactCard(page, 'f1-list', 'Quàng Văn Xe');
    await expect.poll(() => xe.textContent()).toContain('Cùng chuyến xe — 27B-012.34');
    await expect.poll(() => xe.textContent()).toContain('Nguy cơ cao');
    const lan = contactCard(page, 'f1-list', 'Hoàng Thị Lan');
    await expect
      .poll(() => lan.textContent())
      .toContain('Cùng địa điểm (quét QR) — Chợ trung tâm Mường Thanh');
    await expect.poll(() => lan.textContent()).toContain('15 phút');
    const mai = contactCard(page, 'f1-list', 'Lò Thị Mai');
    await expect.poll(() => mai.textContent()).toContain('Cùng hộ gia đình');
    const ca = contactCard(page, 'f2-list', 'Mùa A Cá');
    await expect.poll(() => ca.textContent()).toContain('qua F1 Hoàng Thị Lan');
    await expect.poll(() => ca.textContent()).toContain('Xưởng may Him Lam — Ca 1');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '04-case-candidates-phone');

    // Confirm two F1: each gets its quarantine order under the rule set in force.
    for (const card of [lan, xe]) {
      await card.getByRole('button', { name: 'Xác nhận' }).click();
      await card.getByTestId('quarantine-order').waitFor();
      await expect.poll(() => card.getAttribute('data-status')).toBe('confirmed');
    }
    const order = lan.getByTestId('quarantine-order');
    await expect.poll(() => order.textContent()).toContain('Lệnh cách ly');
    await expect.poll(() => order.textContent()).toContain('Theo dõi sức khỏe đến hết');
    await expect.poll(() => order.textContent()).toMatch(/CV 1909|quy định|Quy định|theo/);

    // Reject the car driver behind the coach, with the reason.
    const hang = contactCard(page, 'f1-list', 'Cà Văn Hàng');
    await hang.getByRole('button', { name: 'Loại' }).click();
    const rd = page.getByRole('dialog');
    await rd.getByRole('button', { name: 'Loại' }).click();
    await rd.getByText('Nêu lý do (ít nhất 3 ký tự)').waitFor();
    await rd.getByLabel('Lý do').fill('Đi ô tô riêng, không xuống xe');
    await shotDialog(page, '05-reject-phone');
    await rd.getByRole('button', { name: 'Loại' }).click();
    await rd.waitFor({ state: 'detached' });
    await expect.poll(() => hang.getAttribute('data-status')).toBe('rejected');
    await expect.poll(() => hang.textContent()).toContain('Lý do: Đi ô tô riêng, không xuống xe');
    await lan.scrollIntoViewIfNeeded();
    await shot(page, '06-case-confirmed-phone');

    // The chain graph on the case page: the F0 and its F1/F2, the rejected one left out.
    const graph = page.getByTestId('case-graph');
    await graph.getByTestId('chain-graph').waitFor();
    await expect.poll(() => graph.locator('[data-role="F0"]').count()).toBe(1);
    expect(await graph.locator('[data-role="F1"]').count()).toBe(5);
    expect(await graph.locator('[data-role="F2"]').count()).toBeGreaterThanOrEqual(1);
    const links = await graph.getByTestId('graph-links').innerText();
    expect(links).toMatch(/Lò Văn Bình → Quàng Văn Xe: [^\n]*Cùng chuyến xe/);
    expect(links).toMatch(/Hoàng Thị Lan → Mùa A Cá: [^\n]*Cùng nơi làm việc \/ lớp, ca/);
    expect(links).not.toContain('Cà Văn Hàng');
    await expectTranslated(page, I18N_KEY);

    // Click Lan's node: the chain around her.
    await graph.getByRole('link', { name: 'F1 Hoàng Thị Lan' }).click();
    await page.getByRole('heading', { name: 'Chuỗi lây nhiễm quanh Hoàng Thị Lan' }).waitFor();
    await page.getByTestId('chain-graph').waitFor();
    await shot(page, '07-chain-phone');

    // The tracing board: two F1 to reach in the commune; one is reached, one given to the team.
    await page.goto('/truy-vet');
    await page.getByRole('heading', { name: 'Truy vết' }).waitFor();
    const counts = page.getByTestId('board-counts');
    await expect.poll(() => counts.textContent()).toMatch(/2\s*Cần liên hệ/);
    const tasks = page.getByTestId('task-card');
    await expect.poll(() => tasks.count()).toBe(2);
    const lanTask = tasks.filter({ hasText: 'Hoàng Thị Lan' });
    await lanTask.getByRole('button', { name: 'Đã liên hệ' }).click();
    await expect.poll(() => lanTask.textContent()).toContain('Đã liên hệ');
    await expect.poll(() => counts.textContent()).toMatch(/1\s*Cần liên hệ/);
    const xeTask = tasks.filter({ hasText: 'Quàng Văn Xe' });
    await xeTask.getByRole('button', { name: 'Giao việc' }).click();
    const ad = page.getByRole('dialog');
    await ad.getByLabel('Tổ COVID cộng đồng').fill('Tổ COVID cộng đồng tổ dân phố 9');
    await ad.getByRole('button', { name: 'Giao cho tổ' }).click();
    await ad.waitFor({ state: 'detached' });
    await expect
      .poll(() => xeTask.textContent())
      .toContain('Giao cho: Tổ COVID cộng đồng tổ dân phố 9');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '08-board-phone');

    // Notices: the commune is told of the new F0 and the new F1.
    await openMenu(page);
    await page.getByTestId('notices-badge').waitFor();
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /^Thông báo/ })
      .click();
    await page.getByRole('heading', { name: 'Thông báo' }).waitFor();
    const notices = page.getByTestId('notice-list');
    await expect.poll(() => notices.textContent()).toContain('F1 mới cần liên hệ: Hoàng Thị Lan');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '09-notices-phone');

    // A venue's QR to print.
    await page.goto('/dia-diem');
    await page.getByRole('heading', { name: 'Điểm quét QR' }).waitFor();
    await page.getByRole('link', { name: /Chợ trung tâm Mường Thanh/ }).click();
    await page.getByRole('img', { name: 'Mã QR của Chợ trung tâm Mường Thanh' }).waitFor();
    expect(await page.getByText(`EGV1:${venue.id}:`).count()).toBe(1);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '10-venue-qr-phone');

    // A cluster with this case, and a lockdown of the neighbourhood.
    await page.goto('/o-dich');
    await page.getByText('Chưa có ổ dịch nào.').waitFor();
    await page.getByRole('button', { name: 'Thêm ổ dịch' }).click();
    const cd = page.getByRole('dialog');
    await cd.getByLabel('Tên ổ dịch').fill('Ổ dịch chợ trung tâm Mường Thanh');
    await cd.getByLabel('Địa điểm').fill('Chợ trung tâm Mường Thanh');
    await cd.getByLabel('Ngày bắt đầu').pressSequentially(today.split('-').reverse().join(''));
    await cd.getByLabel('Ca bệnh thuộc ổ dịch').click();
    await page.getByRole('option', { name: /Lò Văn Bình/ }).click();
    await cd.getByLabel('Tên ổ dịch').click(); // closes the list over the buttons
    await shotDialog(page, '11-cluster-form-phone');
    await cd.getByRole('button', { name: 'Lưu' }).click();
    await cd.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: /Ổ dịch chợ trung tâm Mường Thanh/ }).click();
    await page.getByRole('heading', { name: 'Ổ dịch chợ trung tâm Mường Thanh' }).waitFor();
    clusterUrl = new URL(page.url()).pathname;
    await page.getByTestId('day-chart').waitFor();
    await page.getByTestId('cluster-graph').getByTestId('chain-graph').waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '12-cluster-phone');

    await page.goto('/phong-toa');
    await page.getByRole('button', { name: 'Khai báo phong tỏa' }).click();
    const ld = page.getByRole('dialog');
    await ld.getByLabel('Tên khu vực phong tỏa').fill('Phong tỏa tổ dân phố 9');
    await ld.getByLabel('Thôn/bản/tổ dân phố').click();
    await page.getByRole('option', { name: 'Tổ dân phố 9' }).click();
    await ld.getByLabel('Tên khu vực phong tỏa').click();
    await ld.getByLabel('Ngày bắt đầu').pressSequentially(today.split('-').reverse().join(''));
    await ld.getByRole('button', { name: 'Lưu' }).click();
    await ld.waitFor({ state: 'detached' });
    const lockdowns = page.getByTestId('lockdown-list');
    await expect.poll(() => lockdowns.textContent()).toContain('Phong tỏa tổ dân phố 9');
    await expect.poll(() => lockdowns.textContent()).toContain('4 người cư trú');
    await expect
      .poll(() => lockdowns.getByTestId('lockdown-area').textContent())
      .toBe('Khu vực: Tổ dân phố 9');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '13-lockdowns-phone');

    // Back on the case: it is in the cluster; the F0 is isolated at home, which ends the
    // infectious period; the history shows each change.
    await page.goto(`/ca-benh/${caseId}`);
    const history = page.getByTestId('case-history');
    await history.getByText('Đưa vào ổ dịch').waitFor();
    await page.getByRole('button', { name: 'Đổi tình trạng' }).click();
    const sd = page.getByRole('dialog');
    await pick(page, 'Tình trạng mới', 'Cách ly, điều trị tại nhà', sd);
    await sd.getByLabel('Ghi chú').fill('Đủ điều kiện điều trị tại nhà');
    await shotDialog(page, '14-status-phone');
    await sd.getByRole('button', { name: 'Lưu' }).click();
    await sd.waitFor({ state: 'detached' });
    await history
      .getByText(
        'Đổi tình trạng: Chưa cách ly → Cách ly, điều trị tại nhà — Đủ điều kiện điều trị tại nhà',
      )
      .waitFor();
    await expect.poll(() => period.textContent()).toMatch(/từ \d\d\/\d\d\/\d{4} đến /);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '15-case-isolated-phone');

    // The list of cases: the F0, isolated at home, in the cluster.
    await page.goto('/ca-benh');
    const card = page.getByTestId('case-card').filter({ hasText: 'Lò Văn Bình' });
    await expect.poll(() => card.textContent()).toContain('Cách ly, điều trị tại nhà');
    await expect.poll(() => card.textContent()).toContain('Ổ dịch chợ trung tâm Mường Thanh');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '16-cases-list-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the cluster graph on a desktop', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, username, PASSWORD);
    await page.goto(clusterUrl);
    const graph = page.getByTestId('cluster-graph');
    await graph.getByTestId('chain-graph').waitFor();
    expect(await graph.getByTestId('graph-node').count()).toBeGreaterThanOrEqual(7);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '17-cluster-desktop');
    await graph.scrollIntoViewIfNeeded();
    await graph.screenshot({ path: 'test-results/e2e/cases-18-graph-desktop.png' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
