/**
 * `epiguard demo` loads a small province scenario on top of the demo accounts (issue 16 item 8)
 * and `epiguard demo --remove` takes it away again. The scenario is written through the product's
 * endpoints as the demo accounts (demo-api.ts); every row it inserts is marked (demo-marks.ts).
 * Deterministic: a fixed seed chooses names and numbers; dates are counted back from the day it
 * runs, so follow-ups, quarantines and monitoring are current. Loaded once: a second run, while
 * the marks exist, changes nothing.
 */
import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/index.ts';
import { dirname, join } from 'node:path';
import { DEMO_COMMUNES, loadDemo } from './demo.ts';
import { openDemoApi } from './demo-api.ts';
import { demoRowCount, markSince, removeDemo, snapshot } from './demo-marks.ts';
import { type Area, loadPeople, seeded } from './demo-people.ts';
import { loadServices } from './demo-services.ts';
import { loadProgrammes } from './demo-programmes.ts';
import { loadFieldWork } from './demo-field.ts'; // teams, workplaces, border (issues 17, 18)

export const DEMO_SEED = 20210801; // the seeds' report date, 01/8/2021

export async function loadScenario(db: Db, config: Config): Promise<string[]> {
  const already = await demoRowCount(db);
  if (already) return [`Demo data already loaded (${already} rows); nothing added.`];
  const areas = (await Promise.all(
    DEMO_COMMUNES.map(async (c) => ({
      code: c.code,
      district: c.districtCode,
      tag: c.tag,
      village: (
        await db.query<{ id: string }>(
          "SELECT id FROM villages WHERE commune_code = $1 AND search_name = 'to dan pho 1'",
          [c.code],
        )
      )[0]!.id,
    })),
  )) as [Area, Area];
  const started = Date.now();
  const before = await snapshot(db);
  const api = await openDemoApi(db, config);
  let counts: Record<string, number> = {};
  try {
    const rnd = seeded(DEMO_SEED);
    const outbreak = await loadPeople(api, areas, rnd);
    await loadServices(api, db, areas, outbreak, rnd);
    await loadProgrammes(api, db, areas, outbreak, rnd);
    await loadFieldWork(api, db, areas, outbreak, rnd);
  } finally {
    await api.close();
    // Marked even when a step failed, so `--remove` can take back a partial load.
    counts = await db.tx((q) => markSince(q, before));
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const main = ['persons', 'declarations', 'entries', 'cases', 'test_results', 'vaccination_doses'];
  return [
    `Demo scenario loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${total} rows marked as demo data`,
    `  (${main.map((t) => `${t} ${counts[t] ?? 0}`).join(', ')}).`,
    'Remove it with: epiguard demo --remove',
  ];
}

/** `epiguard demo`: the accounts (and the demo signing key beside the data folder), then the scenario. */
export async function loadDemoAll(db: Db, config: Config): Promise<string[]> {
  const accounts = await loadDemo(db, { dccDir: join(dirname(config.dataDir), 'dcc'), config });
  return [...accounts, ...(await loadScenario(db, config))];
}

export async function removeScenario(db: Db): Promise<string[]> {
  const deleted = await removeDemo(db);
  const total = Object.values(deleted).reduce((a, b) => a + b, 0);
  return [`Demo data removed: ${total} rows; the demo accounts and the geography stay.`];
}
