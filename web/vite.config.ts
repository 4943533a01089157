import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The portal: built to web/dist and served by the platform at `/` (src/http/portal.ts). */
export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    // `npm run dev:web`: the platform on :3000 answers the API and the gateway.
    // changeOrigin stays off: the platform refuses writes whose Origin is not its own Host (CSRF).
    proxy: {
      '/v1': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/gw': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
