import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The local platform (`npm start`) that serves /graphql; the dev and preview servers proxy to it. */
const api = process.env.SAMORDNING_API ?? `http://127.0.0.1:${process.env.API_PORT ?? '4000'}`;
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  ['/graphql', '/config.json', '/local/token', '/exports'].map((path) => [path, { target: api, changeOrigin: false }]),
);

/** The roles the local "act as" chooser offers, as the local server offers them. */
const LOCAL_ROLES = [
  { as: 'coordinator', label: 'Koordinator (JD)' },
  { as: 'funder', label: 'Finansiør' },
  { as: 'viewer', label: 'Leser' },
  { as: 'agency:nav', label: 'NAV' },
  { as: 'agency:kirkens-bymisjon', label: 'Kirkens Bymisjon' },
  { as: 'agency:jd', label: 'Justis- og beredskapsdepartementet' },
  { as: 'agency:demo-krisesenter-vest', label: '[Demo] Krisesenter Vest' },
  { as: 'agency:demo-stiftelse-midt', label: '[Demo] Stiftelse Midt' },
  { as: 'agency:demo-nordby-kommune', label: '[Demo] Nordby kommune' },
];

/**
 * Development only (SAMORDNING_DEV_AUTH=1): answers /config.json and POST /local/token itself, with
 * tokens signed by the local key pair under .data/, for a local server that does not answer them yet.
 */
function devAuth(): Plugin {
  return {
    name: 'samordning-dev-auth',
    apply: () => process.env.SAMORDNING_DEV_AUTH === '1',
    configureServer: (server) => install(server.middlewares),
    configurePreviewServer: (server) => install(server.middlewares),
  };
  function install(middlewares: {
    use: (fn: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void) => void;
  }) {
    middlewares.use((req, res, next) => {
      if (req.url === '/config.json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ auth: { mode: 'local', roles: LOCAL_ROLES } }));
        return;
      }
      if (req.url === '/local/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', async () => {
          const { as } = JSON.parse(body || '{}') as { as?: string };
          const { issueToken, loadOrCreateKeys } = await import('../local/auth.js');
          const { DATA_DIR } = await import('../local/paths.js');
          const keys = await loadOrCreateKeys(DATA_DIR);
          const token = await issueToken(keys, { groups: [String(as)] });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ token, expiresAt: new Date(Date.now() + 12 * 3600_000).toISOString() }));
        });
        return;
      }
      next();
    });
  }
}

export default defineConfig({
  root,
  plugins: [react(), devAuth()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The entry chunk's budget is 200 KB gzipped (DESIGN.md); pages, charts and forms load lazily.
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
