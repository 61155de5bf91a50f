// Summarises a V8 CPU profile (`node --cpu-prof`) of the server: self time by part of the stack
// (our code, the pg driver, Fastify, zod, logging, Node's HTTP/net internals, GC, idle) and the
// functions with the most self time.
//   npx tsx bench/profile.ts /tmp/epiguard-bench/prof/CPU.….cpuprofile
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const PARTS: [string, RegExp][] = [
  ['epiguard src/server', /\/src\/server\//],
  ['epiguard src/domain', /\/src\/domain\//],
  ['pg driver (pg, pg-protocol)', /node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-\w+)\//],
  ['PGlite (WASM + JS)', /node_modules\/@electric-sql\//],
  ['zod + type provider', /node_modules\/(zod|fastify-type-provider-zod)\//],
  ['logging (pino)', /node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact)/],
  [
    'Fastify and plugins',
    /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|cookie|toad-cache|fast-querystring|abstract-logging|process-warning|rfdc|content-type)/,
  ],
  ['tsx loader', /node_modules\/tsx\//],
  ['other node_modules', /node_modules\//],
  ['Node internals (http, net, streams, crypto…)', /^node:|^internal\/|^$/],
];

function partOf(n: ProfileNode): string {
  const { functionName, url } = n.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'program (native, unattributed)';
  for (const [name, re] of PARTS) if (re.test(url)) return name;
  return 'other';
}

export async function summariseProfile(file: string, top = 25): Promise<string> {
  const p = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const parts = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const part = partOf(n);
    parts.set(part, (parts.get(part) ?? 0) + us);
    const where = n.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)} %`;
  const busy = total - (parts.get('idle') ?? 0);
  const lines = [
    `CPU profile: ${(total / 1e6).toFixed(1)} s sampled, of which ${(busy / 1e6).toFixed(1)} s busy (${pct(busy)})`,
    '| part | self time | share |',
    '|---|---|---|',
    ...[...parts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => `| ${k} | ${(us / 1e6).toFixed(2)} s | ${pct(us)} |`),
    '',
    `top ${top} functions by self time:`,
    ...[...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${pct(us).padStart(7)}  ${k}`),
  ];
  // Who calls the busiest native function (writev on a server that talks to its database):
  // the first frame outside Node's internals on the way up.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const topNative = [...fns]
    .filter(([k]) => !/^\((idle|program|garbage collector)\)/.test(k))
    .sort((a, b) => b[1] - a[1])[0]?.[0]
    .split(' ')[0];
  if (topNative) {
    const callers = new Map<string, number>();
    for (const [id, us] of self) {
      if (byId.get(id)!.callFrame.functionName !== topNative) continue;
      let cur = parent.get(id);
      const path: string[] = [];
      while (cur !== undefined) {
        const f = byId.get(cur)!.callFrame;
        const where = f.url.replace(/^.*\/(node_modules|src)\//, '$1/');
        path.push(`${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`);
        if (/node_modules|src\//.test(where) && !/^node:/.test(f.url)) break;
        cur = parent.get(cur);
      }
      const key = path.at(-1) ?? '(root)';
      callers.set(key, (callers.get(key) ?? 0) + us);
    }
    lines.push('', `${topNative}: self time by the first caller outside Node's internals:`);
    for (const [k, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 8))
      lines.push(`  ${pct(us).padStart(7)}  ${k}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx bench/profile.ts FILE.cpuprofile');
  console.log(await summariseProfile(file));
}
