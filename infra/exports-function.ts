import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { apiBundling } from './graphql-function.js';
import type { DataTables } from './tables.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The exports' handler module, relative to the project root. */
export const EXPORTS_ENTRY = 'functions/exports/handler.ts';

/**
 * An export pages through up to 100,000 rows, 1,000 a Query, and answers in one response: 29 s keeps within the
 * HTTP API's 30 s integration timeout, so a slow export is the function's timeout (logged), not API Gateway's.
 */
export const EXPORTS_FUNCTION_TIMEOUT = Duration.seconds(29);
/** An export of 100,000 allocations must stay well below it (test/exports/export-memory.test.ts). */
export const EXPORTS_FUNCTION_MEMORY_MB = 1024;

export interface ExportsFunctionProps {
  readonly stage: string;
  readonly tables: DataTables;
  readonly suppressionThreshold: number;
  /** The perturbation secret (the GraphQL function's); exports read the rollups' perturbed cells and need it only as configuration. */
  readonly perturbationKey: secretsmanager.ISecret;
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly retain: boolean;
}

/**
 * The exports' Lambda (`GET /exports/{proxy+}`): CSV and IATI files, bundled from `functions/exports/handler.ts`
 * alone, so it carries no GraphQL server and the GraphQL function carries no exports. It may read the data tables and
 * append audit entries (every export is an audited read), and nothing else: no write to a data table, no Cognito.
 */
export class ExportsFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ExportsFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // A role of its own, as the GraphQL function's: it may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Samordning ${props.stage}: exports function`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: `Samordning ${props.stage}: CSV and IATI exports`,
      entry: path.join(PROJECT_ROOT, EXPORTS_ENTRY),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: EXPORTS_FUNCTION_MEMORY_MB,
      timeout: EXPORTS_FUNCTION_TIMEOUT,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        STAGE: props.stage,
        SUPPRESSION_THRESHOLD: String(props.suppressionThreshold),
        PERTURBATION_KEY_SECRET_ARN: props.perturbationKey.secretArn,
        POWERTOOLS_SERVICE_NAME: 'samordning',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Files may hold shelter figures: never put a response in a trace.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      },
      bundling: apiBundling(),
    });
    props.tables.bindReaderTo(this.function);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadPerturbationKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.perturbationKey.secretArn],
      }),
    );

    // aws-cdk-lib makes the function depend on its whole role, the default policy included; the role itself is a
    // dependency already through the function's Role property (cfn-lint W3005). Only the policy is left explicit, so
    // the function is created once it may write its logs and read its tables.
    const policy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (!(policy instanceof iam.CfnPolicy)) throw new Error("The exports function's role has no default policy");
    (this.function.node.defaultChild as lambda.CfnFunction).addOverride('DependsOn', [policy.logicalId]);

    // Control Tower CT.LAMBDA.PR.3.
    Validations.of(this.function).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The function reaches only AWS APIs (DynamoDB, Secrets Manager, X-Ray, CloudWatch Logs), all over TLS with SigV4, and ' +
        'nothing in a private network. A VPC would add NAT or interface endpoints to run and pay for, and no isolation that IAM ' +
        'does not already give.',
    });
    // Tracing ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*" to the role's default policy.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) does not support resource-level permissions; ' +
        'AWS documents Resource "*" for these actions. No other statement of this role has a wildcard.',
    });
  }
}
