import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './config.js';
import { REQUIRE_SHIM_BANNER } from './graphql-function.js';

/** The rotation function's module, relative to the project root. */
export const ROTATION_ENTRY = 'functions/rotation/cursor-key.ts';

/** How often the key is replaced. A cursor outlives one rotation (the previous key verifies), not two. */
export const CURSOR_KEY_ROTATION = Duration.days(30);

export interface CursorKeyProps {
  readonly stage: string;
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly retain: boolean;
}

/**
 * The HMAC key of the pagination cursors: a Secrets Manager secret, rotated every 30 days by a function of its own
 * that writes a new random key. Readers get `secretsmanager:GetSecretValue` on this one secret and its ARN in
 * `CURSOR_KEY_SECRET_ARN`, never the value: the GraphQL function reads it at run time (functions/shared/cursor-keys.ts).
 */
export class CursorKey extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly rotation: nodejs.NodejsFunction;
  readonly rotationLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CursorKeyProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Samordning ${props.stage}: HMAC key for GraphQL pagination cursors (AWSCURRENT signs, AWSPREVIOUS still verifies)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });

    const logGroup = new logs.LogGroup(this, 'RotationLogs', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy,
    });
    this.rotationLogGroup = logGroup;
    const role = new iam.Role(this, 'RotationRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Samordning ${props.stage}: rotates the cursor key`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    this.rotation = new nodejs.NodejsFunction(this, 'Rotation', {
      description: `Samordning ${props.stage}: rotates the cursor key`,
      entry: path.join(PROJECT_ROOT, ROTATION_ENTRY),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        minify: true,
        sourceMap: false,
        mainFields: ['module', 'main'],
        externalModules: [],
        banner: REQUIRE_SHIM_BANNER,
        forceDockerBundling: false,
      },
    });

    // Grants the function DescribeSecret, GetSecretValue, PutSecretValue and UpdateSecretVersionStage on this secret,
    // and Secrets Manager the right to invoke it.
    this.secret.addRotationSchedule('Schedule', {
      rotationLambda: this.rotation,
      automaticallyAfter: CURSOR_KEY_ROTATION,
      // The first rotation waits for the schedule: the key made at creation is random already.
      rotateImmediatelyOnUpdate: false,
    });

    // The invoke permission aws-cdk-lib gives Secrets Manager names no source: scope it to rotations of this secret,
    // so no other account's or secret's rotation can invoke the function (confused deputy; Control Tower CT.LAMBDA.PR.2).
    for (const permission of this.rotation.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
      permission.sourceArn = this.secret.secretArn;
    }

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'aws-cdk-lib adds secretsmanager:GetRandomPassword to every rotation function; that action reads and writes no resource ' +
        'and supports none in IAM, hence "*". This function makes its key with node:crypto and does not call it. Its other ' +
        'statements name this secret and its log group only.',
    });
    Validations.of(this.rotation).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The rotation function calls only Secrets Manager, over TLS with SigV4, a few times a month. A VPC would add an ' +
        'interface endpoint or NAT to run and pay for, and no isolation that its role does not already give.',
    });
  }

  /** Lets a function read the key at run time: GetSecretValue on this secret alone, and its ARN, never its value. */
  grantReadTo(fn: lambda.Function): void {
    fn.addEnvironment('CURSOR_KEY_SECRET_ARN', this.secret.secretArn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadCursorKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );
  }
}
