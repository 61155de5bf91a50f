import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The staff app and public pages are one SPA, built into dist/web and served by the API process.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
