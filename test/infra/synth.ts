import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuiltApp, buildApp } from '../../infra/build-app.js';

/** Skips esbuild: only bundle.test.ts bundles the handler for real. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/**
 * What the operations team puts into infra/stages/prod.json before the first deploy: the committed file leaves these
 * empty, so that prod refuses to synthesize until they are set (context.test.ts holds that).
 */
export const PROD_SETTINGS = {
  region: 'eu-north-1',
  trustedDocuments: true,
  reservedConcurrency: 50,
  callbackUrls: ['https://samordning.example.no/callback'],
  logoutUrls: ['https://samordning.example.no/'],
  allowedOrigins: [],
  alarmSubscribers: ['vakt@example.no'],
  logRetentionDays: 365,
  waf: { ipRateLimit: 3000, tokenRateLimit: 1000, windowSeconds: 300 },
  backup: true,
  breakGlassRoleName: 'samordning-prod-break-glass',
  integrations: ['funder-analysis', 'nav-case-system'],
} as const;

export interface Synthesized extends BuiltApp {
  readonly template: Template;
  /** The cloud assembly directory, holding validation-report.json. */
  readonly outdir: string;
}

/**
 * Builds and synthesizes one stage without bundling. Synthesis runs cdk-nag and cfn-guard, and throws the
 * validation report if either has an unacknowledged finding, so every test that gets a template has passed both.
 * Prod gets the complete PROD_SETTINGS unless `settings` says otherwise; other stages read their committed file.
 */
export function synth(
  stage: string,
  context: Record<string, unknown> = {},
  settings: Record<string, unknown> | undefined = stage === 'prod' ? PROD_SETTINGS : undefined,
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), `samordning-${stage}-`));
  const built = buildApp({ stage, context: { ...SKIP_BUNDLING, ...context }, outdir, ...(settings === undefined ? {} : { settings }) });
  return { ...built, template: Template.fromStack(built.stack), outdir };
}

const cache = new Map<string, Synthesized>();

/** A stage with default context, synthesized once per test file: synthesis with both checks takes a few seconds. */
export function synthDefault(stage: 'dev' | 'prod'): Synthesized {
  let synthesized = cache.get(stage);
  if (!synthesized) {
    synthesized = synth(stage);
    cache.set(stage, synthesized);
  }
  return synthesized;
}

/** The resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>);
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}
