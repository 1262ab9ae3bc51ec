import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BUNDLE_ALIASES, LAZY_EXTERNAL_MODULES, REQUIRE_SHIM_BANNER } from './bundling.js';
import type { DataTables } from './tables.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The handler module, relative to the project root. */
export const GRAPHQL_ENTRY = 'functions/graphql/handler.ts';

export { LAZY_EXTERNAL_MODULES, REQUIRE_SHIM_BANNER } from './bundling.js';

/** How every Lambda function of the API is bundled: `cdk synth` and `npm run bench` (bench/bundle.ts) alike. */
export function apiBundling(): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    minify: true,
    // Runtime source maps add ~80 ms to every cold start and slow every error.
    sourceMap: false,
    mainFields: ['module', 'main'],
    // Bundle the AWS SDK: the pinned version is the one tested, and a bundled, tree-shaken SDK imports faster
    // than the runtime's full copy. Only what a cold start never runs stays out.
    externalModules: [...LAZY_EXTERNAL_MODULES],
    // Paths from the project root, where esbuild resolves an alias.
    esbuildArgs: Object.fromEntries(
      Object.entries(BUNDLE_ALIASES).map(([module, standIn]) => [`--alias:${module}`, path.join(PROJECT_ROOT, standIn)]),
    ),
    banner: REQUIRE_SHIM_BANNER,
    forceDockerBundling: false,
  };
}

export const FUNCTION_TIMEOUT = Duration.seconds(10);
/** The function's memory; an export of 100,000 allocations must stay well below it (test/exports/export-memory.test.ts). */
export const FUNCTION_MEMORY_MB = 1024;

export interface GraphqlFunctionProps {
  readonly stage: string;
  readonly tables: DataTables;
  readonly suppressionThreshold: number;
  readonly trustedDocuments: boolean;
  /** @default - no reservation: the function draws on the account's unreserved concurrency */
  readonly reservedConcurrency?: number | undefined;
  /** Customer-managed key for the log group. */
  readonly logKey: kms.IKey;
  /** Days to keep the function's logs. */
  readonly logRetention: logs.RetentionDays;
  /** Keep the log group when the stack is deleted. */
  readonly retain: boolean;
}

/**
 * The Apollo Server Lambda: one function serves every GraphQL operation. It owns its role, its log group
 * and receives its tables through `DataTables.bindTo` and its cursor key through `CursorKey.grantReadTo`.
 */
export class GraphqlFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  /** The function's own role: the audit table's policy names it as the one writer. */
  readonly role: iam.Role;
  /** The secret of the perturbed cells (docs/privacy.md), read at run time like the cursor key. */
  readonly perturbationKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: GraphqlFunctionProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy,
    });

    // A role of our own instead of the default one, which would attach the AWSLambdaBasicExecutionRole managed
    // policy (logs:CreateLogGroup and PutLogEvents on every log group): this role may write to its own log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Samordning ${props.stage}: GraphQL function`,
    });
    this.role = role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    // The perturbation key protects data: with it and the shelter ids, the noise of every published occupancy figure
    // can be computed (docs/privacy.md). The function reads it at run time by its ARN, so its value is never in the
    // function's configuration, and only this role may read it.
    this.perturbationKey = new secretsmanager.Secret(this, 'PerturbationKey', {
      description: `Samordning ${props.stage}: secret of the perturbed cells of published occupancy`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(this.perturbationKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the perturbation key must be followed by a rebuild of the capacity rollups (npm run rebuild:capacity), ' +
        'and rotating it on a schedule would hand readers a fresh noise draw of every small figure, which is what ' +
        'perturbing each figure once exists to prevent (docs/privacy.md). It is rotated by hand, with the rebuild, when it may have leaked.',
    });

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: `Samordning ${props.stage}: Apollo Server GraphQL API`,
      entry: path.join(PROJECT_ROOT, GRAPHQL_ENTRY),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      // Memory buys CPU: 1024 MB keeps the cold start of a ~1.2 MB bundle short.
      memorySize: FUNCTION_MEMORY_MB,
      timeout: FUNCTION_TIMEOUT,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        STAGE: props.stage,
        SUPPRESSION_THRESHOLD: String(props.suppressionThreshold),
        TRUSTED_DOCUMENTS: String(props.trustedDocuments),
        PERTURBATION_KEY_SECRET_ARN: this.perturbationKey.secretArn,
        POWERTOOLS_SERVICE_NAME: 'samordning',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Responses may hold shelter addresses: never put them in a trace (the tracer's own default is on).
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      },
      bundling: apiBundling(),
    });
    props.tables.bindTo(this.function);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadPerturbationKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.perturbationKey.secretArn],
      }),
    );

    // Control Tower CT.LAMBDA.PR.3.
    Validations.of(this.function).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The function reaches only AWS APIs (DynamoDB, X-Ray, CloudWatch Logs), all over TLS with SigV4, and nothing in a ' +
        'private network. A VPC would add NAT or interface endpoints (X-Ray has no gateway endpoint) to run and pay for, ' +
        'and no isolation that IAM does not already give.',
    });

    // Tracing ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*" to the role's default policy.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) does not support resource-level permissions; ' +
        'AWS documents Resource "*" for these actions. No other statement of this role has a wildcard.',
    });
  }
}
