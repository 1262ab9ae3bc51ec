import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The web app's entry chunk as a browser first loads it: the module script of index.html. */
export interface WebEntry {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** A budget of docs/benchmarks.md: the web app's entry chunk at most 200 KB gzipped; pages, charts and forms load lazily. */
export const WEB_ENTRY_BUDGET_BYTES = 200 * 1000;

/** Builds the web app as `npm run build:web` does, into `outDir`, and measures its entry chunk. */
export async function buildWebEntry(root: string, outDir: string): Promise<WebEntry> {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const src = /<script type="module"[^>]*\ssrc="\/?([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error('The built index.html has no module script');
  const code = readFileSync(join(outDir, src));
  return { file: src, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}
