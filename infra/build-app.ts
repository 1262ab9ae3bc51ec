import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PROJECT_ROOT, readStageConfig, type StageConfig } from './config.js';
import { EDGE_REGION, EdgeStack } from './edge.js';
import { ControlTowerGuard } from './guard.js';
import { SamordningStack } from './stack.js';

/**
 * The feature flags in cdk.json (the recommended set that `cdk init` writes for the installed aws-cdk-lib). The CLI
 * passes them to the app itself; an app built in a test gets them here, so a test synthesizes what `cdk synth` does.
 */
export function featureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(`${PROJECT_ROOT}/cdk.json`, 'utf8')) as { context?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(cdkJson.context ?? {}).filter(([key]) => key.startsWith('@aws-cdk')));
}

export interface BuildAppOptions {
  /** Overrides the `stage` context key. */
  readonly stage?: string;
  /** The stage's settings, replacing its file in `infra/stages/` (tests give a complete one). */
  readonly settings?: Record<string, unknown>;
  /** Context for the app, as `-c key=value` would give it; tests pass `{ 'aws:cdk:bundling-stacks': [] }` to skip bundling. */
  readonly context?: Record<string, unknown>;
  /** Where to write the cloud assembly. @default - a temporary directory (tests), or the CLI's `cdk.out` */
  readonly outdir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: SamordningStack;
  /** The WAF web ACL of the stage's distribution, in us-east-1 (CloudFront's scope exists there only). */
  readonly edge: EdgeStack;
  readonly config: StageConfig;
}

/**
 * Builds the app with its one stack and registers the policy checks, which run on every synth: cdk-nag's
 * AwsSolutions pack and the Control Tower proactive controls through cfn-guard. A finding that is neither fixed
 * nor acknowledged (`Validations.of(construct).acknowledge`) fails the synth.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: { ...featureFlags(), ...options.context, ...(options.stage === undefined ? {} : { stage: options.stage }) },
  });
  const config = readStageConfig(app.node, options.settings);
  // The account comes from the CLI's credentials at deploy time; offline it stays a token. Both stacks name their region,
  // which cross-region references (the web ACL's ARN, from us-east-1 to the stage's region) require.
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const edge = new EdgeStack(app, `Samordning-${config.stage}-edge`, {
    env: { account, region: EDGE_REGION },
    crossRegionReferences: true,
    stage: config.stage,
    waf: config.waf,
    description: `Samordning (${config.stage}): WAF web ACL of the CloudFront distribution (us-east-1)`,
    terminationProtection: config.isProd,
  });
  const stack = new SamordningStack(app, `Samordning-${config.stage}`, {
    env: { account, region: config.region },
    crossRegionReferences: true,
    webAclArn: edge.webAcl.attrArn,
    config,
    description: `Samordning (${config.stage}): GraphQL coordination platform for the action plan against human trafficking`,
    terminationProtection: config.isProd,
  });
  Validations.of(app).addPlugins(
    // Acknowledgements are also written into each resource's template Metadata, so a reviewer of the template sees them.
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
    new ControlTowerGuard(),
  );
  return { app, stack, edge, config };
}
