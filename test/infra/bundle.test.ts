import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { tables } from '../../functions/shared/tables.js';
import { buildApp } from '../../infra/build-app.js';
import { REQUIRE_SHIM_BANNER } from '../../infra/graphql-function.js';

/**
 * The one test that bundles the handler for real, with the local esbuild as `cdk synth` does: the other infra
 * tests skip bundling. It checks what the runtime will load: an ESM module, minified, with the require shim first,
 * that imports without crashing and exports `handler`.
 */
describe('GraphQL function bundle', () => {
  // Bundling every function of the stack (GraphQL, change events, reminders, key rotation) with esbuild and a
  // synthesis with both policy checks: about two minutes beside the other worker on a loaded two-core machine.
  it('is a minified ESM bundle with the require shim that imports and exports handler', { timeout: 420_000 }, () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'samordning-bundle-'));
    const { stack } = buildApp({ stage: 'dev', outdir });

    // Act
    const template = Template.fromStack(stack);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Code: { S3Key: string } } }[];
    const assetHash = fn?.Properties.Code.S3Key.replace(/\.zip$/, '');
    const bundlePath = join(outdir, `asset.${assetHash}`, 'index.mjs');
    const bundle = readFileSync(bundlePath, 'utf8');

    // Assess
    expect(bundle.startsWith(REQUIRE_SHIM_BANNER)).toBe(true);
    expect(bundle).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(bundle).not.toMatch(/sourceMappingURL/);
    // Minified: long lines on average (what newlines remain are inside template literals such as the schema SDL).
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(300);
    // The AWS SDK is inside the bundle, not expected from the runtime.
    expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);

    const imported = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)}); if (typeof m.handler !== 'function') process.exit(3);`,
      ],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-north-1',
          STAGE: 'dev',
          CURSOR_KEY: 'k'.repeat(48),
          PERTURBATION_KEY: 'p'.repeat(48),
          ...Object.fromEntries(tables.map((t) => [t.envVar, `samordning-dev-${t.id}`])),
        },
      },
    );
    expect(imported.stderr).not.toMatch(/Dynamic require/);
    expect(imported.status, imported.stderr).toBe(0);

    const size = statSync(bundlePath).size;
    console.info(`bundle: ${(size / 1024).toFixed(0)} KiB, ${(gzipSync(bundle).length / 1024).toFixed(0)} KiB gzipped`);
  });
});
