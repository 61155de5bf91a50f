// Benchmark P8: EU DCC signing and verification rates.
//
//   npx tsx bench/dcc.ts [N] [--workers W]
//
// Signs N certificates (vaccination payloads with distinct UVCIs; ES256, zlib, base45 — the QR
// text, no image) and verifies the N QR texts (all nine steps but the image), in one process, then
// with W worker threads (default: one per core) sharing the work. Also times QR PNG drawing and
// reading on a few certificates, for information. Targets: ≥ 500 signed/s, ≥ 2,000 verified/s.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  DccTrustList,
  encodeDcc,
  generateDemoSigner,
  loadSigner,
  readQrPng,
  verifyDcc,
  writeQrPng,
  type DccPayload,
  type DccSigner,
} from '../src/server/vaccination/dcc.ts';

const SIGN_TARGET = 500;
const VERIFY_TARGET = 2000;

function payload(i: number): DccPayload {
  return {
    ver: '1.3.0',
    nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Văn An', gnt: 'VAN<AN' },
    dob: '1990-01-31',
    v: [
      {
        tg: '840539006',
        vp: 'J07BX03',
        mp: 'EU/1/20/1528',
        ma: 'ORG-100030215',
        dn: 2,
        sd: 2,
        dt: '2021-09-15',
        co: 'VN',
        is: 'Sở Y tế tỉnh Điện Biên',
        ci: `URN:UVCI:01:VN:11:${i.toString(36).toUpperCase().padStart(10, '0')}`,
      },
    ],
  };
}

interface Job {
  keyPem: string;
  certPem: string;
  from: number;
  count: number;
  issuedAt: number;
  at: number;
}
interface JobResult {
  signMs: number;
  verifyMs: number;
  invalid: number;
}

function run(job: Job, signer: DccSigner, trust: DccTrustList): JobResult {
  const issuedAt = new Date(job.issuedAt);
  const at = new Date(job.at);
  const qrs: string[] = new Array(job.count);
  let t = performance.now();
  for (let i = 0; i < job.count; i++) {
    qrs[i] = encodeDcc({ payload: payload(job.from + i), signer, issuedAt });
  }
  const signMs = performance.now() - t;
  let invalid = 0;
  t = performance.now();
  for (const qr of qrs) if (!verifyDcc(qr, { trust, at }).valid) invalid++;
  const verifyMs = performance.now() - t;
  return { signMs, verifyMs, invalid };
}

function prepare(job: Pick<Job, 'keyPem' | 'certPem'>) {
  const signer = loadSigner(job.keyPem, job.certPem);
  const trust = new DccTrustList([job.certPem]);
  return { signer, trust };
}

if (!isMainThread) {
  const job = workerData as Job;
  const { signer, trust } = prepare(job);
  run({ ...job, from: 0, count: 100 }, signer, trust); // warm-up
  parentPort?.postMessage(run(job, signer, trust));
} else {
  await main();
}

async function main() {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
  const wi = args.indexOf('--workers');
  const workers = wi >= 0 ? Number(args[wi + 1]) : availableParallelism();
  const now = Date.now();
  const demo = await generateDemoSigner({ notBefore: new Date(now - 86_400_000) });
  const base = { keyPem: demo.privateKeyPem, certPem: demo.certificatePem };
  const issuedAt = now - 3_600_000;
  const at = now;
  const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);
  const verdict = (r: number, target: number) => (r >= target ? 'meets' : 'BELOW') + ` ≥ ${target}`;

  console.log(
    `DCC benchmark: N = ${n}, Node ${process.version}, ${availableParallelism()} cores; ES256 signer, one trusted DSC`,
  );

  // One process.
  const { signer, trust } = prepare(base);
  run({ ...base, from: 0, count: 300, issuedAt, at }, signer, trust); // warm-up (JIT, schema)
  const single = run({ ...base, from: 0, count: n, issuedAt, at }, signer, trust);
  if (single.invalid) throw new Error(`${single.invalid} certificates did not verify`);
  const s1 = rate(n, single.signMs);
  const v1 = rate(n, single.verifyMs);
  console.log(
    `single thread : sign ${s1}/s (${verdict(s1, SIGN_TARGET)}), verify ${v1}/s (${verdict(v1, VERIFY_TARGET)})`,
  );

  // Worker threads, each signing and then verifying its share.
  if (workers > 1) {
    const share = Math.ceil(n / workers);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const job: Job = { ...base, from: w * share, count: share, issuedAt, at };
        return new Promise<JobResult>((resolve, reject) => {
          // Workers do not inherit tsx's loader: register it, then load this file.
          const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
          const worker = new Worker(boot, { eval: true, workerData: job });
          worker.once('message', (m: JobResult) => resolve(m));
          worker.once('error', reject);
        });
      }),
    );
    const wall = performance.now() - started;
    if (results.some((r) => r.invalid)) throw new Error('some certificates did not verify');
    // Each worker signs, then verifies; the phases overlap little, so sum per-phase throughput.
    const sW = results.reduce((sum, r) => sum + rate(share, r.signMs), 0);
    const vW = results.reduce((sum, r) => sum + rate(share, r.verifyMs), 0);
    console.log(
      `${workers} workers     : sign ${sW}/s, verify ${vW}/s (sum of per-worker rates; ${share * workers} signed + verified in ${Math.round(wall)} ms wall, incl. worker start-up)`,
    );
  }

  // QR images, for information (not part of P8's targets).
  const m = 20;
  const qrs = Array.from({ length: m }, (_, i) => encodeDcc({ payload: payload(i), signer }));
  let t = performance.now();
  const pngs: Buffer[] = [];
  for (const qr of qrs) pngs.push(await writeQrPng(qr));
  const drawMs = performance.now() - t;
  t = performance.now();
  for (const [i, png] of pngs.entries()) {
    if ((await readQrPng(png)) !== qrs[i]) throw new Error('QR read-back differs');
  }
  const readMs = performance.now() - t;
  console.log(
    `QR PNG (info) : draw ${rate(m, drawMs)}/s, read ${rate(m, readMs)}/s (${m} images, ${pngs[0]?.length ?? 0} bytes each)`,
  );
}
