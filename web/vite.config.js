// Vite config for the mamori console. `npm run build` is run by CMake with --outDir in the build
// directory; `npm run dev` serves the sources with hot reload and proxies the API to a running
// `mamori serve` (MAMORI_URL, default http://127.0.0.1:8080).
import { defineConfig } from 'vite';

const target = process.env.MAMORI_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2020',
    modulePreload: { polyfill: false },
    sourcemap: false,
    assetsInlineLimit: 0, // no data: URLs (the server's CSP is default-src 'self')
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/edl': { target },
    },
  },
});
