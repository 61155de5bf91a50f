/**
 * Part 4 of the demo scenario (issues 17 and 18, merged after the first three parts): a village's
 * community team with its leader and the households it looks after, a factory registered for the
 * province's workplace risk view, and a border post's patrol — each through its endpoint, as the
 * account whose work it is, so the teams, workplaces and border pages show something too.
 */
import type { Db } from '../server/db/index.ts';
import type { DemoApi } from './demo-api.ts';
import { type Area, demoHelpers, type Outbreak, uuidFrom } from './demo-people.ts';

export async function loadFieldWork(
  api: DemoApi,
  db: Db,
  areas: [Area, Area],
  o: Outbreak,
  rnd: () => number,
): Promise<void> {
  const { ago, xa } = demoHelpers(db, o);

  // ---- community teams: the commune sets up its village's team, led by the team's account,
  // and hands it the village's households (their arrivals, F0 at home and unvaccinated people
  // become the team's tasks).
  for (const area of areas) {
    const leader = (
      await db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [
        `demo.to.${area.tag}`,
      ])
    )[0]?.id;
    const team = await api.call(xa(area), 'POST', '/api/v1/teams', {
      clientId: uuidFrom(rnd),
      villageId: area.village,
      name: `Tổ COVID cộng đồng ${area.tag === 'muongthanh' ? 'tổ dân phố 1' : 'bản Noong Bua'}`,
      leaderUserId: leader ?? null,
    });
    const households = await db.query<{ id: string }>(
      'SELECT id FROM households WHERE village_id = $1 ORDER BY id LIMIT 500',
      [area.village],
    );
    if (households.length)
      await api.call(xa(area), 'POST', `/api/v1/teams/${team.id}/households`, {
        householdIds: households.map((h) => h.id),
      });
  }

  // ---- workplaces: the province registers the city's garment factory (seed 003: factories
  // keep a COVID-safety assessment and screen their workers).
  const [A, B] = areas;
  await api.call('demo.tinh', 'POST', '/api/v1/workplaces', {
    clientId: uuidFrom(rnd),
    name: 'Công ty May Điện Biên (demo)',
    kind: 'factory',
    workforce: 420,
    communeCode: A.code,
    address: 'Tổ dân phố 1, phường Mường Thanh',
    latitude: 21.386,
    longitude: 103.017,
  });
  await api.call('demo.tinh', 'POST', '/api/v1/workplaces', {
    clientId: uuidFrom(rnd),
    name: 'Trường Tiểu học Noong Bua (demo)',
    kind: 'school',
    workforce: 610,
    communeCode: B.code,
  });

  // ---- border: a night patrol of the Tây Trang post along the border path.
  await api.call(`demo.bordergate.${A.tag}`, 'POST', '/api/v1/border/reports', {
    clientId: uuidFrom(rnd),
    kind: 'patrol',
    communeCode: A.code,
    place: 'Đường mòn mốc 79 – mốc 80',
    occurredAt: ago(30),
    endedAt: ago(26),
    note: 'Tuần tra ban đêm, không phát hiện người nhập cảnh trái phép',
  });
}
