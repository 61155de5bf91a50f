import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { dirname } from 'node:path';
import { isRole, roleMayHold, ROLES } from '../domain/access.ts';
import { buildApp } from '../server/app.ts';
import { generatePassword, hashPassword, passwordProblem } from '../server/auth/passwords.ts';
import { openAndPrepare } from '../server/bootstrap.ts';
import { type Config, configFromEnv } from '../server/config.ts';
import { openDb, openPglite } from '../server/db/index.ts';
import { DataDirBusy, lockDataDir, lockOwner } from '../server/db/lock.ts';
import { LOCAL_TOKEN_HEADER } from '../server/system/routes.ts';
import { migrate } from '../server/db/migrate.ts';
import { insertUser, resolveJurisdiction } from '../server/users/routes.ts';

const USAGE = `epiguard — epidemic response platform

Usage: epiguard <command> [options]

  start                      run the web app and API (PORT, default 8080)
  migrate                    apply database migrations and exit
  create-user --username U --full-name "N" --role R (--unit CODE | --village ID | --site ID) [--password P]
                             create a user (a password is generated and printed when none is given)
  backup FILE                write the embedded database to FILE (through the server when it runs)
  restore FILE [--force]     replace the embedded database with FILE (the server must be stopped)
  demo [--remove]            load demo accounts, one per role, in two communes of Điện Biên, and a
                             small scenario (arrivals, cases, tests, care, vaccinations…) marked as
                             demo data; --remove deletes exactly that data (accounts stay)
  dcc verify|keygen ...      EU Digital COVID Certificate tools (see 'epiguard dcc')

Configuration (environment): PORT, DATABASE_URL (PostgreSQL server; embedded PGlite without it),
EPIGUARD_DATA_DIR (embedded database folder, default ./var/db), EPIGUARD_ADMIN_PASSWORD,
EPIGUARD_PROVINCE (home province code, default 11 = Điện Biên), LOG_LEVEL.
Roles: ${ROLES.join(', ')}`;

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = configFromEnv(env);
  } catch (e) {
    err(`epiguard: ${(e as Error).message}`);
    return 2;
  }
  try {
    switch (command) {
      case 'start':
        return await start(config);
      case 'migrate': {
        const db = await openDb(config);
        const applied = await migrate(db);
        await db.close();
        out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
        return 0;
      }
      case 'create-user':
        return await createUser(config, rest);
      case 'backup':
        return await backup(config, rest);
      case 'restore':
        return await restore(config, rest);
      case 'demo': {
        const prepared = await openAndPrepare(config);
        announceAdmin(prepared.generatedAdminPassword);
        // issue 16 item 8: the accounts, then the scenario (marked); --remove takes it back
        const { loadDemoAll, removeScenario } = await import('./demo-scenario.ts');
        try {
          const lines = rest.includes('--remove')
            ? await removeScenario(prepared.db)
            : await loadDemoAll(prepared.db, config);
          out(lines.join('\n'));
        } finally {
          await prepared.db.close();
        }
        return 0;
      }
      case 'dcc': {
        const { dccCommand } = await import('./dcc.ts');
        const r = await dccCommand(rest);
        if (r.stdout) process.stdout.write(r.stdout.endsWith('\n') ? r.stdout : r.stdout + '\n');
        if (r.stderr) process.stderr.write(r.stderr.endsWith('\n') ? r.stderr : r.stderr + '\n');
        return r.code;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return command ? 0 : 2;
      default:
        err(`epiguard: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof DataDirBusy) {
      err(`epiguard ${command}: ${e.message}.\n${BUSY_HINT[command ?? ''] ?? BUSY_HINT.default}`);
      return 3;
    }
    err(`epiguard ${command}: ${(e as Error).message}`);
    return 1;
  }
}

/** What to do instead when another process holds the embedded database. */
const BUSY_HINT: Record<string, string> = {
  start:
    'It is already running: open it in the browser, or stop it (Ctrl-C) before starting another.',
  'create-user':
    'Create the user in the running server instead (Người dùng / Users, logged in as admin), or stop the server first.',
  default: 'Stop the server first (Ctrl-C in its terminal), then run this command again.',
};

function announceAdmin(password: string | undefined) {
  if (!password) return;
  const line = '='.repeat(64);
  out(
    `${line}\nFirst start: user "admin" was created with this password (shown once):\n\n    ${password}\n\nLog in and keep it safe, or set EPIGUARD_ADMIN_PASSWORD next time.\n${line}`,
  );
}

async function start(config: Config): Promise<number> {
  const t0 = performance.now();
  const prepared = await openAndPrepare(config);
  announceAdmin(prepared.generatedAdminPassword);
  const app = await buildApp({ db: prepared.db, config });
  // Ctrl-C ends the process whatever holds it: requests in flight get a few seconds, then the
  // database is closed (which releases its folder's lock); a second signal, or a shutdown that
  // hangs, exits at once so no orphan keeps the port after npm has returned to the prompt.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      app.log.warn('shutdown took more than 8 s; exiting');
      process.exit(1);
    }, 8_000).unref();
    try {
      await app.close();
    } finally {
      await prepared.db.close();
    }
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void stop(signal));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  if (address && typeof address === 'object') prepared.db.lock?.update({ port: address.port });
  app.log.info(
    {
      engine: prepared.db.engine,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      migrations: prepared.migrationsApplied,
      unitsLoaded: prepared.unitsLoaded,
      startupMs: Math.round(performance.now() - t0),
    },
    `epiguard listening on http://localhost:${config.port}` +
      (prepared.db.engine === 'pglite'
        ? ' (embedded database: not the production setting, see README)'
        : ''),
  );
  return new Promise<number>(() => undefined); // runs until a signal stops it
}

async function createUser(config: Config, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      username: { type: 'string' },
      'full-name': { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
      village: { type: 'string' },
      site: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const missing = ['username', 'full-name', 'role'].filter(
    (k) => !values[k as keyof typeof values],
  );
  if (missing.length) {
    err(`create-user: missing --${missing.join(', --')}`);
    return 2;
  }
  if (!isRole(values.role!)) {
    err(`create-user: --role must be one of ${ROLES.join(', ')}`);
    return 2;
  }
  if (values.password && passwordProblem(values.password)) {
    err(`create-user: --password: ${passwordProblem(values.password)}`);
    return 2;
  }
  const prepared = await openAndPrepare(config);
  const db = prepared.db;
  try {
    const level = values.site
      ? 'site'
      : values.village
        ? 'village'
        : ({ 2: 'province', 3: 'district', 5: 'commune' } as const)[
            values.unit?.length as 2 | 3 | 5
          ];
    if (!level) {
      err('create-user: give --unit CODE (2, 3 or 5 digits), --village ID or --site ID');
      return 2;
    }
    const { scope, siteKind } = await resolveJurisdiction(
      db,
      { level, unitCode: values.unit, villageId: values.village, siteId: values.site },
      'jurisdiction',
    );
    if (!roleMayHold(values.role, scope.level, siteKind)) {
      err(`create-user: role ${values.role} is not placed at ${scope.level} level`);
      return 1;
    }
    const password = values.password ?? generatePassword();
    const row = await insertUser(db, {
      username: values.username!,
      fullName: values['full-name']!,
      passwordHash: await hashPassword(password),
      role: values.role,
      scope,
      createdBy: null,
    });
    if (!row) {
      err(`create-user: username "${values.username}" exists`);
      return 1;
    }
    out(
      `created ${row.username} (${row.role}, ${scope.level} ${scope.communeCode ?? scope.districtCode ?? scope.provinceCode})`,
    );
    if (!values.password) out(`password: ${password}`);
    return 0;
  } finally {
    await db.close();
  }
}

function embeddedOnly(config: Config, what: string): string | null {
  return config.databaseUrl
    ? `${what} is for the embedded database; on a PostgreSQL server use pg_dump / pg_restore`
    : null;
}

async function backup(config: Config, argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file) {
    err('backup: give the file to write, e.g. epiguard backup epiguard-2021-10-06.tar.gz');
    return 2;
  }
  const problem = embeddedOnly(config, 'backup');
  if (problem) {
    err(problem);
    return 2;
  }
  if (!existsSync(config.dataDir)) {
    err(`backup: no database at ${config.dataDir}`);
    return 1;
  }
  // The server holds the folder: ask it for the copy instead of opening the folder a second time.
  const running = lockOwner(config.dataDir);
  if (running?.port) {
    const res = await fetch(`http://127.0.0.1:${running.port}/api/v1/system/backup`, {
      headers: { [LOCAL_TOKEN_HEADER]: running.token },
    });
    if (!res.ok) throw new Error(`the running server (pid ${running.pid}) answered ${res.status}`);
    const data = Buffer.from(await res.arrayBuffer());
    await writeFile(file, data);
    out(`wrote ${file} (${data.length} bytes) from the running server (pid ${running.pid})`);
    return 0;
  }
  const db = await openPglite(config.dataDir);
  try {
    const dump = await db.pglite!.dumpDataDir('gzip');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    out(`wrote ${file} (${dump.size} bytes)`);
    return 0;
  } finally {
    await db.close();
  }
}

async function restore(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { force: { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) {
    err('restore: give the backup file');
    return 2;
  }
  const problem = embeddedOnly(config, 'restore');
  if (problem) {
    err(problem);
    return 2;
  }
  const data = await readFile(file);
  await mkdir(dirname(config.dataDir), { recursive: true });
  const lock = lockDataDir(config.dataDir, 'restore'); // throws DataDirBusy while a server runs
  try {
    return await restoreLocked(config, file, data, values.force ?? false, lock);
  } finally {
    lock.release();
  }
}

async function restoreLocked(
  config: Config,
  file: string,
  data: Buffer<ArrayBuffer>,
  force: boolean,
  lock: ReturnType<typeof lockDataDir>,
): Promise<number> {
  const nonEmpty = existsSync(config.dataDir) && (await readdir(config.dataDir)).length > 0;
  if (nonEmpty && !force) {
    err(
      `restore: ${config.dataDir} holds a database; add --force to replace it (the old one is kept beside it)`,
    );
    return 1;
  }
  if (nonEmpty) {
    const aside = `${config.dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(config.dataDir, aside);
    out(`kept the previous database at ${aside}`);
  }
  await mkdir(config.dataDir, { recursive: true });
  const db = await openPglite(config.dataDir, new Blob([data]), { lock });
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')) as [
    { n: number },
  ];
  await db.close();
  out(`restored ${file} into ${config.dataDir} (${n} users)`);
  return 0;
}
