/**
 * A server process for the crash test (test/api/import-crash.test.ts): opens the database,
 * uploads the results file through the real endpoint as a province user, and prints the job's
 * progress as JSON lines until it is killed. Run: node --import tsx import-child.ts <engine>
 * <database-url | data-dir> <file.csv>.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { buildApp } from '../../src/server/app.ts';
import { openPglite, openPostgres } from '../../src/server/db/index.ts';
import { ADMIN_PASSWORD, testConfig } from './config.ts';

const [engine, where, csvPath] = process.argv.slice(2) as [string, string, string];
const db = engine === 'postgres' ? await openPostgres(where, 5) : await openPglite(where);
const app = await buildApp({ db, config: testConfig(), logger: false });
await app.ready();
const cookieOf = (res: { cookies: { name: string; value: string }[] }) =>
  `eg_session=${res.cookies.find((c) => c.name === 'eg_session')!.value}`;
const login = async (username: string, password: string) =>
  cookieOf(
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
    }),
  );
const admin = await login('admin', ADMIN_PASSWORD);
await app.inject({
  method: 'POST',
  url: '/api/v1/users',
  headers: { cookie: admin },
  payload: {
    username: 'crash.tinh',
    fullName: 'crash.tinh',
    password: 'password-123',
    role: 'province',
    jurisdiction: { level: 'province', unitCode: '11' },
  },
});
const cookie = await login('crash.tinh', 'password-123');
const boundary = '----eg' + randomUUID();
const up = await app.inject({
  method: 'POST',
  url: '/api/v1/result-imports',
  payload: Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ket-qua.csv"\r\n\r\n`,
    ),
    await readFile(csvPath),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]),
  headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
});
const jobId = up.json().id as string;
for (;;) {
  const r = await db.query<{ status: string; processed_rows: number }>(
    'SELECT status, processed_rows FROM result_imports WHERE id = $1',
    [jobId],
  );
  console.log(JSON.stringify({ upload: up.statusCode, jobId, ...r[0] }));
  await new Promise((res) => setTimeout(res, 50));
}
