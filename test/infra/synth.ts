import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
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
  options: { readonly schemaValidation?: boolean } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), `samordning-${stage}-`));
  const built = buildApp({ stage, context: { ...SKIP_BUNDLING, ...context }, outdir, ...(settings === undefined ? {} : { settings }) });
  const template = options.schemaValidation
    ? Template.fromStack(built.stack)
    : withoutSchemaValidation(() => Template.fromStack(built.stack));
  return { ...built, template, outdir };
}

/**
 * Runs `fn` (which synthesizes) without aws-cdk-lib's built-in check of the templates against CloudFormation's
 * resource schemas. That check only warns (its errors become warnings), so it fails no synth; it costs about 9 s of
 * CPU per process and synth (a WebAssembly engine), and only the default syntheses' reports are read
 * (checks.test.ts: no plugin reports anything). cdk-nag and cfn-guard run on every synthesis either way.
 */
export function withoutSchemaValidation<T>(fn: () => T): T {
  const before = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = before;
  }
}

/** The validation report a synthesis writes (cdk-nag's and cfn-guard's findings, acknowledged or not). */
export interface ValidationReport {
  pluginReports: { pluginName: string; conclusion: string; violations: unknown[]; suppressedViolations?: { ruleName: string }[] }[];
}

/** A stage's default synthesis as the run keeps it: its template and its validation report. */
export interface DefaultSynthesis {
  readonly template: Template;
  readonly report: ValidationReport;
}

const defaults = new Map<string, DefaultSynthesis>();
const built = new Map<string, BuiltApp>();

/** Where a stage's default synthesis is kept for every file of the run, and the lock of the one file making it. */
const runFile = (stage: string, what: 'template' | 'report' | 'failure' | 'lock') => join(inject('runDir'), `infra-${stage}.${what}`);
/** A synchronous pause: the files ask for a template inside synchronous helpers. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
/** Long enough for a synthesis on a loaded machine; a holder that died leaves its failure file or nothing. */
const WAIT_MS = 600_000;

/** Writes a file whole, then renames it into place: a reader finds it complete or not at all. */
function publish(file: string, text: string) {
  writeFileSync(`${file}.${process.pid}`, text);
  renameSync(`${file}.${process.pid}`, file);
}

/**
 * A stage's default synthesis (default context, prod with PROD_SETTINGS), with every check: cdk-nag, cfn-guard and
 * aws-cdk-lib's schema validation. Synthesized once for the whole run: the first file to ask takes the stage's lock,
 * synthesizes and writes the template and the report into the run's directory; the others wait for them and read
 * them. The same code gives the same template, so one synthesis per stage serves every file.
 */
export function defaultSynthesis(stage: 'dev' | 'prod'): DefaultSynthesis {
  const known = defaults.get(stage);
  if (known) return known;
  const [templatePath, reportPath, failurePath] = [runFile(stage, 'template'), runFile(stage, 'report'), runFile(stage, 'failure')];
  let mine = false;
  try {
    mkdirSync(runFile(stage, 'lock'));
    mine = true;
  } catch {
    // Another file holds the lock: it is synthesizing.
  }
  if (mine) {
    try {
      const synthesized = synth(stage, {}, stage === 'prod' ? PROD_SETTINGS : undefined, { schemaValidation: true });
      publish(reportPath, readFileSync(join(synthesized.outdir, 'validation-report.json'), 'utf8'));
      publish(templatePath, JSON.stringify(synthesized.template.toJSON()));
    } catch (error) {
      publish(failurePath, String(error instanceof Error ? error.message : error));
      throw error;
    }
  }
  for (const deadline = Date.now() + WAIT_MS; !existsSync(templatePath); pause(200)) {
    if (existsSync(failurePath)) throw new Error(`The ${stage} synthesis failed in another file:\n${readFileSync(failurePath, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`No ${stage} synthesis after ${WAIT_MS / 1000} s (another file held the lock).`);
  }
  const synthesis = {
    template: Template.fromJSON(JSON.parse(readFileSync(templatePath, 'utf8'))),
    report: JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport,
  };
  defaults.set(stage, synthesis);
  return synthesis;
}

/** The template of a stage's default synthesis (defaultSynthesis). */
export const defaultTemplate = (stage: 'dev' | 'prod'): Template => defaultSynthesis(stage).template;

/**
 * A stage's default app, built but not synthesized (a second or so): for what reads the construct tree (cdk-nag's
 * own pass, acknowledgements); once per file.
 */
export function buildDefault(stage: 'dev' | 'prod'): BuiltApp {
  let app = built.get(stage);
  if (!app) {
    app = buildApp({ stage, context: { ...SKIP_BUNDLING }, ...(stage === 'prod' ? { settings: PROD_SETTINGS } : {}) });
    built.set(stage, app);
  }
  return app;
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
