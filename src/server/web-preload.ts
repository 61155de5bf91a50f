/**
 * Issue 15.6: the page a phone on 3G opens first gets, in its HTML, the names of every file its
 * route needs, so the browser fetches them beside the app's own files instead of one round trip
 * (~0.56 s on fast 3G) after them. Every page is its own chunk (src/web/lazy.tsx); without this,
 * the browser learns which chunk the route needs only once the app has run.
 *
 * The build's manifest (dist/web/.vite/manifest.json) names each page module's file and the
 * shared chunks it imports. The table below names the page module of each path a person opens
 * directly — the public pages (a traveller's declaration, a result lookup, a certificate check,
 * the public map) and the staff shell — and mirrors src/web/{entry,testing,vaccination,picture}/
 * routes.tsx; a path not in it gets index.html as built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Path (exact, or a prefix ending in '/') → the page modules, as the manifest names them. */
const ROUTE_MODULES: [string, string[]][] = [
  ['/khai-bao', ['entry/DeclarePage.tsx']],
  ['/tra-cuu-ket-qua', ['testing/LookupPage.tsx']],
  ['/kiem-tra-chung-nhan', ['vaccination/VerifyPage.tsx']],
  ['/ban-do', ['picture/PublicMapPage.tsx']],
  ['/chot', ['components/Shell.tsx', 'entry/CheckpointPage.tsx']],
  ['/theo-doi', ['components/Shell.tsx', 'entry/FollowUpsPage.tsx']],
];

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

export interface WebPreload {
  /** index.html with the files of `pathname`'s page named in it; null: send index.html as is. */
  htmlFor(pathname: string): string | null;
}

function filesOf(manifest: Record<string, ManifestChunk>, keys: string[]) {
  const js = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || key === 'index.html' || js.has(chunk.file)) return;
    js.add(chunk.file);
    for (const c of chunk.css ?? []) css.add(c);
    for (const k of chunk.imports ?? []) visit(k);
  };
  keys.forEach(visit);
  return { js, css };
}

export function webPreload(webDir: string): WebPreload {
  const manifestPath = join(webDir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return { htmlFor: () => null };
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const index = readFileSync(join(webDir, 'index.html'), 'utf8');
  const pages = new Map<string, string>();
  for (const [path, modules] of ROUTE_MODULES) {
    if (!modules.every((m) => manifest[m])) continue; // a page renamed: serve index.html as is
    const { js, css } = filesOf(manifest, modules);
    const links = [
      ...[...js]
        .filter((f) => !index.includes(`/${f}"`))
        .map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
      ...[...css]
        .filter((f) => !index.includes(`/${f}"`))
        .map((f) => `<link rel="stylesheet" crossorigin href="/${f}">`),
    ];
    pages.set(path, index.replace('</head>', `${links.join('\n    ')}\n  </head>`));
  }
  return {
    htmlFor(pathname) {
      const clean = pathname.replace(/\/+$/, '') || '/';
      for (const [path] of ROUTE_MODULES) {
        if (clean === path || clean.startsWith(path + '/')) return pages.get(path) ?? null;
      }
      return null;
    },
  };
}
