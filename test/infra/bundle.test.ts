import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../../functions/shared/tables.js';
import { buildApp } from '../../infra/build-app.js';
import { LAZY_EXTERNAL_MODULES, REQUIRE_SHIM_BANNER } from '../../infra/graphql-function.js';

/**
 * The one test that bundles the handlers for real, with the local esbuild as `cdk synth` does: the other infra
 * tests skip bundling. It checks what the runtime will load, for the GraphQL and the exports function alike: an ESM
 * module, minified, with the require shim first, that imports without crashing and exports `handler`; and that each
 * bundle holds its own code and not the other's.
 */
const FUNCTIONS = { graphql: 'Samordning dev: Apollo Server GraphQL API', exports: 'Samordning dev: CSV and IATI exports' } as const;
type Name = keyof typeof FUNCTIONS;

const bundles = new Map<Name, { path: string; code: string }>();

// Bundling every function of the stack (GraphQL, exports, change events, reminders, key rotation) with esbuild and a
// synthesis with both policy checks: about two minutes beside the other worker on a loaded two-core machine. Once.
beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'samordning-bundle-'));
  const { stack } = buildApp({ stage: 'dev', outdir });
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as {
    Properties: { Description?: string; Code: { S3Key: string } };
  }[];
  for (const [name, description] of Object.entries(FUNCTIONS) as [Name, string][]) {
    const fn = functions.find((f) => f.Properties.Description === description);
    if (!fn) throw new Error(`No function described ${JSON.stringify(description)}`);
    const path = join(outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
    bundles.set(name, { path, code: readFileSync(path, 'utf8') });
  }
}, 420_000);

function bundleOf(name: Name): { path: string; code: string } {
  const found = bundles.get(name);
  if (!found) throw new Error(`${name} was not bundled`);
  return found;
}

describe.each(Object.keys(FUNCTIONS) as Name[])('%s function bundle', (name) => {
  it('is a minified ESM bundle with the require shim that imports and exports handler', () => {
    // Prepare
    const { path, code } = bundleOf(name);

    // Act
    const imported = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(path).href)}); if (typeof m.handler !== 'function') process.exit(3);`,
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

    // Assess
    expect(code.startsWith(REQUIRE_SHIM_BANNER)).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(code).not.toMatch(/sourceMappingURL/);
    // Minified: long lines on average (what newlines remain are inside template literals such as the schema SDL).
    expect(code.length / code.split('\n').length).toBeGreaterThan(300);
    // The AWS SDK is inside the bundle, not expected from the runtime: no static import of it.
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(imported.stderr).not.toMatch(/Dynamic require/);
    expect(imported.status, imported.stderr).toBe(0);
    console.info(
      `${name} bundle: ${(statSync(path).size / 1024).toFixed(0)} KiB, ${(gzipSync(code).length / 1024).toFixed(0)} KiB gzipped`,
    );
  });

  it('leaves the Cognito client out: only a dynamic import of it, loaded by the first createAgency', () => {
    const { code } = bundleOf(name);
    for (const external of LAZY_EXTERNAL_MODULES) {
      const specifier = new RegExp(`["']${external.replace(/[/.-]/g, '\\$&')}["']`, 'g');
      const dynamic = new RegExp(`import\\(\\s*["']${external.replace(/[/.-]/g, '\\$&')}["']\\s*\\)`, 'g');
      expect(code.match(specifier)?.length ?? 0).toBe(code.match(dynamic)?.length ?? 0);
    }
    // The client's own code: its service's target prefix and the user pool endpoint's name.
    expect(code).not.toContain('AWSCognitoIdentityProviderService');
    expect(code).not.toContain('cognito-idp');
  });
});

describe('what each bundle holds', () => {
  it('the GraphQL bundle holds Apollo Server and no CSV or IATI code', () => {
    const { code } = bundleOf('graphql');
    expect(code).toContain('apollo-require-preflight');
    // The CSV writer's content type and the IATI file's version and root element.
    expect(code).not.toContain('header=present');
    expect(code).not.toContain('iati-2.03');
    expect(code).not.toContain('iati-activities');
    // Apollo's usage-reporting protobuf is its stand-in (infra/bundling.ts): the real module's own message text is absent.
    expect(code).toContain('is not bundled: usage reporting and inline traces are disabled');
    expect(code).not.toContain('decodeDelimited');
  });

  it('the GraphQL bundle holds one copy of Apollo Server and of graphql-js, the ESM one', () => {
    const { code } = bundleOf('graphql');
    // A CommonJS module that requires Apollo Server (as @as-integrations/aws-lambda does) brings its CommonJS build
    // in beside the ESM one, with @graphql-tools' CommonJS copies: each of these strings would then appear twice.
    // (Apollo's own message text: the server's code names no such string.)
    expect(code.match(/Unsupported persisted query version/g)).toHaveLength(1);
    expect(code.match(/Schema must contain uniquely named types/g)).toHaveLength(1);
  });

  it('the exports bundle holds the CSV and IATI writers and no Apollo Server or GraphQL execution', () => {
    const { code } = bundleOf('exports');
    expect(code).toContain('header=present');
    expect(code).toContain('iati-2.03');
    // Apollo Server's CSRF preflight header and its error messages, and graphql-js's execution errors.
    expect(code).not.toContain('apollo-require-preflight');
    expect(code).not.toContain('Apollo Server');
    expect(code).not.toMatch(/Schema must contain uniquely named types/);
  });
});
