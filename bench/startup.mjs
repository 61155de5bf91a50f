// Start-up time and memory of `epiguard start` on the embedded database.
// Usage: node bench/startup.mjs [runs=3]
// For each run: a fresh data folder (first start: migrations + 11,371 units + admin), then a
// second start on the same folder. Time is from spawning the command to the first 200 of
// GET / (the web app); memory is the server's RSS after it answered, and again after 50
// requests of the admin-unit browser.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const port = 18080;

async function rssKiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

async function once(dataDir) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/epiguard.mjs', 'start'], {
    env: {
      ...process.env,
      EPIGUARD_DATA_DIR: dataDir,
      PORT: String(port),
      EPIGUARD_ADMIN_PASSWORD: 'bench-password-1',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  let ms;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok && (await r.text()).includes('<div id="root">')) {
        ms = performance.now() - t0;
        break;
      }
    } catch {
      /* not yet */
    }
    if (performance.now() - t0 > 60_000) throw new Error('no answer within 60 s');
    await new Promise((r) => setTimeout(r, 25));
  }
  const rssStart = await rssKiB(child.pid);
  for (let i = 0; i < 50; i++)
    await (await fetch(`http://127.0.0.1:${port}/api/v1/admin-units?parent=11`)).json();
  const rssAfter = await rssKiB(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { ms, rssStart, rssAfter };
}

const rows = [];
for (let i = 0; i < runs; i++) {
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-bench-'));
  rows.push({ kind: 'first start (empty folder)', ...(await once(join(dir, 'db'))) });
  rows.push({ kind: 'second start', ...(await once(join(dir, 'db'))) });
  await rm(dir, { recursive: true, force: true });
}
for (const kind of ['first start (empty folder)', 'second start']) {
  const r = rows.filter((x) => x.kind === kind);
  const ms = r.map((x) => x.ms).sort((a, b) => a - b);
  const mib = (k) => (Math.max(...r.map((x) => x[k])) / 1024).toFixed(0);
  console.log(
    `${kind}: to first page ${ms.map((m) => (m / 1000).toFixed(2)).join(' / ')} s (median ${(ms[Math.floor(ms.length / 2)] / 1000).toFixed(2)} s); RSS ${mib('rssStart')} MiB at start, ${mib('rssAfter')} MiB after 50 requests (max of ${r.length})`,
  );
}
