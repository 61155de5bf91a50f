import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const OUT_DIR = 'dist/web';
/** The libraries every page uses; page-only ones (charts, maps, graph layout, QR) stay apart. */
const CORE_LIBRARIES =
  /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|@mantine[\\/](core|hooks|notifications|modals)|@tanstack|i18next|react-i18next)[\\/]/;
/** What is worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|json|webmanifest|svg|wasm|txt)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Issue 15.6, once the build is written:
 * 1. the service worker gets the list of every hashed file (PRECACHE in public/sw.js), so a
 *    page chunk never opened online is still there offline;
 * 2. every text file gets a brotli (.br) and a gzip (.gz) twin, which @fastify/static sends
 *    to a browser that accepts them (`preCompressed`), so nothing is compressed per request.
 */
function shipForThreeG(): Plugin {
  return {
    name: 'epiguard-ship-for-3g',
    apply: 'build',
    closeBundle() {
      const out = join(import.meta.dirname, OUT_DIR);
      const assets = readdirSync(join(out, 'assets'))
        .filter((name) => !/\.(br|gz)$/.test(name))
        .map((name) => `/assets/${name}`)
        .sort();
      const swPath = join(out, 'sw.js');
      const sw = readFileSync(swPath, 'utf8');
      if (!sw.includes('const PRECACHE = [];')) throw new Error('sw.js: PRECACHE line not found');
      writeFileSync(
        swPath,
        sw.replace('const PRECACHE = [];', `const PRECACHE = ${JSON.stringify(assets)};`),
      );
      for (const path of filesUnder(out)) {
        if (!COMPRESSIBLE.test(path)) continue;
        const body = readFileSync(path);
        if (body.length < 1024) continue;
        writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          }),
        );
      }
      this.info(
        `precompressed ${relative(process.cwd(), out)} (br + gz); ${assets.length} files precached by sw.js`,
      );
    },
  };
}

// The staff app and public pages are one SPA, built into dist/web and served by the API process.
export default defineConfig({
  root: 'src/web',
  plugins: [react(), shipForThreeG()],
  build: {
    outDir: `../../${OUT_DIR}`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // Read by the server (src/server/web-preload.ts) to name each public page's files in its HTML.
    manifest: true,
    rolldownOptions: {
      output: {
        // Issue 15.6: on 3G every request costs a round trip (~0.56 s), so what the first page
        // needs of React, the router, Mantine, queries and i18n is one file, and the rest of
        // those libraries, which most pages use, is a second one — instead of dozens of 1 KB
        // chunks. Page-only libraries (charts, maps, graph layout, QR) stay with their pages.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: CORE_LIBRARIES, tags: ['$initial'], priority: 3 },
            { name: 'ui', test: CORE_LIBRARIES, priority: 2 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
