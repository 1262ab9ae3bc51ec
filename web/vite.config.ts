import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/**
 * The local platform (`npm start`) that serves /graphql, the sign-in configuration and local tokens;
 * the dev and preview servers proxy to it, so the roles and the token rules are the server's own.
 */
const api = process.env.SAMORDNING_API ?? `http://127.0.0.1:${process.env.API_PORT ?? '4000'}`;
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  ['/graphql', '/config.json', '/local/token', '/exports'].map((path) => [path, { target: api, changeOrigin: false }]),
);

export default defineConfig({
  root,
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The entry chunk's budget is 200 KB gzipped (docs/benchmarks.md); pages, charts and forms load lazily.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      treeshake: {
        // Designsystemet's React package declares no "sideEffects", so its barrel would keep every
        // component (Combobox with floating-ui and a virtual list among them) in the entry. Its modules
        // are side-effect free; the web components they use (designsystemet-web) are not, and stay.
        moduleSideEffects: (id: string) => !id.includes('/@digdir/designsystemet-react/'),
      },
    },
  },
});
