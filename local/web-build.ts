import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export const APP_DIR = join(ROOT, 'web', 'dist');

/** The newest modification time under a path (a file, or a folder walked whole). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/**
 * Builds the web app into web/dist when there is no build, or when its sources (web/, the generated
 * documents it imports) changed after it: `npm start` then always serves the app as the code is.
 * A build takes a few seconds.
 */
export async function ensureWebBuild(log: (line: string) => void): Promise<void> {
  const index = join(APP_DIR, 'index.html');
  const sources = Math.max(
    newest(join(ROOT, 'web', 'src')),
    newest(join(ROOT, 'web', 'index.html')),
    newest(join(ROOT, 'web', 'vite.config.ts')),
    newest(join(ROOT, 'client', 'generated')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log('Building the web app (web/dist)…');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
}
