import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './paths.js';

export const APP_DIR = join(ROOT, 'web', 'dist');

/** The newest modification time under a path (a file, or a folder walked whole). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/** Whether web/dist holds a build at least as new as every source it is built from. */
function isFresh(): boolean {
  const index = join(APP_DIR, 'index.html');
  const sources = Math.max(
    newest(join(ROOT, 'web', 'src')),
    newest(join(ROOT, 'web', 'index.html')),
    newest(join(ROOT, 'web', 'vite.config.ts')),
    newest(join(ROOT, 'client', 'generated')),
  );
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

/** Held while one process builds: a directory, since creating one is atomic. Beside web/dist, which a build empties. */
const LOCK = join(ROOT, 'web', '.build-lock');
/** A lock older than this was left by a process that died while building. */
const STALE_LOCK_MS = 300_000;

/**
 * Builds the web app into web/dist when there is no build, or when its sources (web/, the generated
 * documents it imports) changed after it: `npm start` then always serves the app as the code is.
 * A build takes a few seconds. Servers started side by side (the browser tests start several) build
 * once: the first takes the lock and builds, the others wait for it and find the build fresh.
 */
export async function ensureWebBuild(log: (line: string) => void): Promise<void> {
  for (;;) {
    if (isFresh()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      const held = existsSync(LOCK) ? Date.now() - statSync(LOCK).mtimeMs : 0;
      if (held > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(250);
      continue;
    }
    try {
      if (isFresh()) return;
      log('Building the web app (web/dist)…');
      const { build } = await import('vite');
      await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
