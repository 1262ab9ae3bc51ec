import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_ALIASES, LAMBDA_TARGET, LAZY_EXTERNAL_MODULES, REQUIRE_SHIM_BANNER } from '../infra/bundling.js';

/**
 * The options of the CDK stack's NodejsFunction (infra/graphql-function.ts, `apiBundling`), as its esbuild command
 * line spells them: ESM, minified, no source map, `mainFields: ['module', 'main']`, the SDK bundled but for the lazy
 * externals, the stand-ins of BUNDLE_ALIASES, the require-shim banner, and the target of the NODEJS_24_X runtime. The
 * values are infra/bundling.ts's, shared with the stack; the baseline is bundled with the very same.
 */
export interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes in the output per package (or project folder), largest first: what a bundle holds. */
  readonly parts: readonly { readonly name: string; readonly bytes: number }[];
}

/** `node_modules/@scope/name/…` → `@scope/name`; a project file → its top folder and the next. */
function partOf(input: string): string {
  const packages = [...input.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]);
  return packages.length > 0 ? packages.join(' > ') : input.split('/').slice(0, 2).join('/');
}

function partsOf(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      totals.set(partOf(input), (totals.get(partOf(input)) ?? 0) + bytesInOutput);
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Bundles an entry (relative to the project root) into `<outDir>/index.mjs`, as `cdk synth` would. */
export async function bundle(root: string, entry: string, outDir: string): Promise<Bundle> {
  const file = join(outDir, 'index.mjs');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: LAMBDA_TARGET,
    format: 'esm',
    outfile: file,
    minify: true,
    sourcemap: false,
    mainFields: ['module', 'main'],
    external: [...LAZY_EXTERNAL_MODULES],
    alias: { ...BUNDLE_ALIASES },
    metafile: true,
    banner: { js: REQUIRE_SHIM_BANNER },
    logLevel: 'warning',
  });
  const code = readFileSync(file);
  return { file, bytes: code.length, gzipBytes: gzipSync(code).length, parts: partsOf(result.metafile) };
}
