/**
 * Issue 15.6: what the server does for a phone on 3G — the page's own files named in its HTML
 * (from the build's manifest), and API answers gzip-compressed for a client that accepts it.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { webPreload } from './web-preload.ts';

const INDEX = `<!doctype html><html><head>
<script type="module" crossorigin src="/assets/index-1.js"></script>
<link rel="modulepreload" crossorigin href="/assets/vendor-1.js">
</head><body></body></html>`;

const MANIFEST = {
  'index.html': { file: 'assets/index-1.js', imports: ['_vendor-1.js'] },
  '_vendor-1.js': { file: 'assets/vendor-1.js' },
  '_ui-1.js': { file: 'assets/ui-1.js', imports: ['_vendor-1.js'] },
  '_form-1.js': { file: 'assets/form-1.js', imports: ['_ui-1.js', 'index.html'] },
  'entry/DeclarePage.tsx': {
    file: 'assets/DeclarePage-1.js',
    imports: ['_vendor-1.js', '_form-1.js', 'index.html'],
    css: ['assets/DeclarePage-1.css'],
  },
  'components/Shell.tsx': { file: 'assets/Shell-1.js', imports: ['_ui-1.js'] },
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'epiguard-web-'));
  await mkdir(join(dir, '.vite'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, '.vite', 'manifest.json'), JSON.stringify(MANIFEST));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('webPreload', () => {
  it("names a public page's chunk and everything it imports, once, not what index.html names", () => {
    const html = webPreload(dir).htmlFor('/khai-bao')!;
    const links = [
      ...html.matchAll(/<link rel="(modulepreload|stylesheet)" crossorigin href="([^"]+)">/g),
    ].map((m) => `${m[1]} ${m[2]}`);
    expect(links).toEqual([
      'modulepreload /assets/vendor-1.js', // already in index.html
      'modulepreload /assets/DeclarePage-1.js',
      'modulepreload /assets/form-1.js',
      'modulepreload /assets/ui-1.js',
      'stylesheet /assets/DeclarePage-1.css',
    ]);
    expect(html.indexOf('DeclarePage-1.js')).toBeLessThan(html.indexOf('</head>'));
    // a trailing slash or a deeper path of the same page
    expect(webPreload(dir).htmlFor('/khai-bao/')).toBe(html);
  });

  it('leaves other paths, a page missing from the manifest, and a build without one alone', async () => {
    const preload = webPreload(dir);
    expect(preload.htmlFor('/')).toBeNull();
    expect(preload.htmlFor('/khai-bao-khac')).toBeNull();
    // /chot needs CheckpointPage, which this manifest lacks: index.html as built
    expect(preload.htmlFor('/chot')).toBeNull();
    expect(webPreload(join(dir, 'nowhere')).htmlFor('/khai-bao')).toBeNull();
  });
});

describe('API answers compressed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('gzips an answer over 1 KB for a client that accepts it, and not for one that does not', async () => {
    const url = '/api/v1/admin-units?parent=11';
    const plain = await t.app.inject({ method: 'GET', url });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const zipped = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());
  });
});
