import type { Config } from './config.ts';
import { type Db, openDb } from './db/index.ts';
import { migrate } from './db/migrate.ts';
import { DEFAULT_RULESETS } from '../domain/rulesets.ts';
import { DEFAULT_F0_RULESETS } from '../domain/testing.ts';
import { DEFAULT_POOLING_RULESETS } from '../domain/pooling.ts';
import { DEFAULT_TRACING_RULESETS, F1_QUARANTINE_RULESETS } from '../domain/tracing.ts';
import { DEFAULT_VACCINE_SCHEDULES } from '../domain/vaccination.ts';
import { DEFAULT_LEVEL_RULESETS } from '../domain/levels.ts'; // issue 12
import { DEFAULT_SCENARIO_RULESETS } from '../domain/scenarios.ts'; // issue 12
import { DEFAULT_GREEN_LANE_RULESETS } from '../domain/greenlane.ts'; // issue 17
import { seedRuleSets } from './rulesets.ts';
import { CARE_RULESETS } from './care/rulesets.ts'; // quarantine and treatment (issue 11)
import { loadGeography } from './geo/load.ts';
import {
  DEMO_PASSWORD,
  generatePassword,
  hashPassword,
  passwordProblem,
} from './auth/passwords.ts';
import { ISSUE_18_RULESETS } from './rulesets.ts'; // issue 18
import { seedSupplyItems } from './supplies/items.ts'; // issue 18
import { insertUser } from './users/routes.ts';

export interface Prepared {
  db: Db;
  migrationsApplied: string[];
  unitsLoaded: number;
  /** Set only on the very first start when no EPIGUARD_ADMIN_PASSWORD was given. */
  generatedAdminPassword?: string;
  adminCreated: boolean;
}

/** Migrates, loads the reference data once, and creates the first admin on an empty database. */
export async function prepareDatabase(db: Db, config: Config): Promise<Prepared> {
  const migrationsApplied = await migrate(db);
  const unitsLoaded = await loadGeography(db);
  await seedRuleSets(db, [
    ...DEFAULT_RULESETS,
    ...DEFAULT_TRACING_RULESETS,
    ...F1_QUARANTINE_RULESETS,
    ...DEFAULT_F0_RULESETS,
    ...DEFAULT_POOLING_RULESETS,
    ...DEFAULT_VACCINE_SCHEDULES,
    ...CARE_RULESETS, // quarantine and treatment (issue 11)
    ...DEFAULT_LEVEL_RULESETS, // issue 12
    ...DEFAULT_SCENARIO_RULESETS, // issue 12: capacity scenario ratios
    ...DEFAULT_GREEN_LANE_RULESETS, // issue 17
    ...ISSUE_18_RULESETS, // issue 18: supply catalogue, violation types
  ]);
  await seedSupplyItems(db); // issue 18
  const province = await db.query('SELECT 1 FROM admin_units WHERE code = $1 AND level = 1', [
    config.province,
  ]);
  if (!province[0])
    throw new Error(`EPIGUARD_PROVINCE=${config.province} is not a province code of the 2021 list`);
  await db.query(
    `INSERT INTO settings (key, value) VALUES ('home_province', $1::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [JSON.stringify(config.province)],
  );
  const users = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  let generatedAdminPassword: string | undefined;
  let adminCreated = false;
  if (users[0]!.n === 0) {
    if (config.adminPassword) {
      const problem = passwordProblem(config.adminPassword);
      if (problem) throw new Error(`EPIGUARD_ADMIN_PASSWORD: ${problem}`);
      // Issue 10, item 13: the README prints the demo password; outside demo mode it is refused.
      if (!config.demo && config.adminPassword === DEMO_PASSWORD)
        throw new Error(
          'EPIGUARD_ADMIN_PASSWORD: the demo password is public; choose another (or EPIGUARD_DEMO=on)',
        );
    } else {
      generatedAdminPassword = generatePassword();
    }
    await insertUser(db, {
      username: 'admin',
      fullName: 'Quản trị hệ thống',
      passwordHash: await hashPassword(config.adminPassword ?? generatedAdminPassword!),
      role: 'admin',
      scope: { level: 'province', provinceCode: config.province },
      createdBy: null,
    });
    adminCreated = true;
  }
  return { db, migrationsApplied, unitsLoaded, generatedAdminPassword, adminCreated };
}

export async function openAndPrepare(config: Config): Promise<Prepared> {
  const db = await openDb(config);
  try {
    return await prepareDatabase(db, config);
  } catch (err) {
    await db.close();
    throw err;
  }
}
