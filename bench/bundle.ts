import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * The options of the CDK stack's NodejsFunction (infra/graphql-function.ts), as its esbuild command
 * line spells them: ESM, minified, no source map, `mainFields: ['module', 'main']`, nothing external
 * (the SDK is bundled), the require-shim banner, and the target of the NODEJS_24_X runtime. Kept in
 * step by hand: the infra module pulls in aws-cdk-lib, which the benchmark has no need to load.
 */
export const REQUIRE_SHIM_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
export const LAMBDA_TARGET = 'node24';

export interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Bundles an entry (relative to the project root) into `<outDir>/index.mjs`, as `cdk synth` would. */
export async function bundle(root: string, entry: string, outDir: string): Promise<Bundle> {
  const file = join(outDir, 'index.mjs');
  await build({
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
    external: [],
    banner: { js: REQUIRE_SHIM_BANNER },
    logLevel: 'warning',
  });
  const code = readFileSync(file);
  return { file, bytes: code.length, gzipBytes: gzipSync(code).length };
}
