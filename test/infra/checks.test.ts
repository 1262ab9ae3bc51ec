import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { ControlTowerGuard } from '../../infra/guard.js';
import { buildDefault, defaultSynthesis, SKIP_BUNDLING, withoutSchemaValidation } from './synth.js';

/** Every acknowledgement, with the resource it is on: adding one means adding it here, where a reviewer sees it. */
const EXPECTED_ACKNOWLEDGEMENTS: Record<'both' | 'dev' | 'prod', string[]> = {
  both: [
    // The rotation function of the cursor key (infra/cursor-key.ts): aws-cdk-lib's GetRandomPassword grant, and no VPC.
    'CursorKey/RotationRole AwsSolutions-IAM5[Resource::*]',
    'CursorKey/Rotation cdk-validator-cfnguard::lambda_inside_vpc_check',
    'Graphql/Function cdk-validator-cfnguard::lambda_inside_vpc_check',
    'Graphql/Role AwsSolutions-IAM5[Resource::*]',
    'Http/Api/GET--graphql/Graphql-Permission cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
    'Http/Api/POST--graphql/Graphql-Permission cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
    'Http/Api/GET--exports--{proxy+}/Exports-Permission cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
    // The exports function (infra/exports-function.ts): no VPC, and X-Ray's grant on "*", as the GraphQL function's.
    'Exports/Function cdk-validator-cfnguard::lambda_inside_vpc_check',
    'Exports/Role AwsSolutions-IAM5[Resource::*]',
    // The web app (infra/web-hosting.ts): the default CloudFront certificate, the public build's bucket,
    // the log bucket that CloudFront's standard logging needs, and aws-cdk-lib's BucketDeployment handler.
    'Web/Distribution AwsSolutions-CFR1',
    // The origin secret: rotated by ops with a deploy, since CloudFront holds its value (infra/origin-secret.ts).
    'OriginSecret/Secret AwsSolutions-SMG4',
    // The perturbation key: rotated by hand with a rebuild of the rollups, never on a schedule (docs/privacy.md).
    'Graphql/PerturbationKey AwsSolutions-SMG4',
    'Web/Distribution AwsSolutions-CFR4',
    'Web/Distribution cdk-validator-cfnguard::cloudfront_custom_ssl_certificate_check',
    'Web/Distribution cdk-validator-cfnguard::cloudfront_sni_enabled_check',
    'Web/Distribution cdk-validator-cfnguard::cloudfront_security_policy_check',
    'Web/Distribution cdk-validator-cfnguard::cloudfront_origin_failover_enabled_check',
    'Web/App cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
    'Web/App cdk-validator-cfnguard::s3_bucket_versioning_enabled_check',
    'Web/App cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    'Web/App cdk-validator-cfnguard::s3_event_notifications_enabled_check',
    'Web/AccessLogs AwsSolutions-S1',
    'Web/AccessLogs cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
    'Web/AccessLogs cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
    'Web/AccessLogs cdk-validator-cfnguard::s3_bucket_acl_prohibited_check',
    'Web/AccessLogs cdk-validator-cfnguard::s3_bucket_versioning_enabled_check',
    'Web/AccessLogs cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    'Web/AccessLogs cdk-validator-cfnguard::s3_event_notifications_enabled_check',
    'Web/DeploymentPolicy AwsSolutions-IAM5[Resource::<WebAppE4D87402.Arn>/*]',
    'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C AwsSolutions-L1',
    'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C cdk-validator-cfnguard::lambda_inside_vpc_check',
    // Change events and reminders (infra/coordination.ts): no VPC; ListStreams has no resource; the DLQ is a DLQ;
    // the Scheduler target's grant on the reminders function and its versions.
    'Coordination/Publisher cdk-validator-cfnguard::lambda_inside_vpc_check',
    'Coordination/Reminders cdk-validator-cfnguard::lambda_inside_vpc_check',
    'Coordination/PublisherRole AwsSolutions-IAM5[Resource::*]',
    'Coordination/DeadLetters AwsSolutions-SQS3',
    'Coordination/DeadLetters cdk-validator-cfnguard::sqs_dlq_check',
    'Coordination/ScheduleRole AwsSolutions-IAM5[Resource::<CoordinationRemindersCCBAC952.Arn>:*]',
  ],
  // The backup plan is prod's (stage settings "backup").
  prod: [
    'Backups/Plan/Tables AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
  ],
  dev: [
    'Graphql/LogGroup cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    'Exports/LogGroup cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    'Http/AccessLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    'Web/DeploymentLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    'CursorKey/RotationLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    'Coordination/PublisherLogGroup cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    'Coordination/RemindersLogGroup cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  ],
};

/** The acknowledgements on the stage's constructs: made as the app is built, so the built app holds them all. */
function acknowledgements(stage: 'dev' | 'prod'): string[] {
  const { stack } = buildDefault(stage);
  return stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .flatMap((m) =>
          Object.keys(m.data as object).map((id) => `${c.node.path.replace(`${stack.node.path}/`, '')} ${id.replace(/^Annotation::/, '')}`),
        ),
    )
    .sort();
}

// Synthesis runs every check and takes seconds, tens of them while the suite's workers share two cores: done once
// a run (test/infra/synth.ts), waited for here, under the hook's timeout, whichever test runs first.
beforeAll(() => {
  defaultSynthesis('dev');
  defaultSynthesis('prod');
}, 600_000);

describe('policy checks', () => {
  it.each(['dev', 'prod'] as const)('%s: cdk-nag AwsSolutions finds nothing unacknowledged', (stage) => {
    // Prepare: the synthesis fails on an unacknowledged finding (defaultSynthesis has passed); this is cdk-nag's own
    // pass over the app's constructs, which lists what it finds.
    const { app } = buildDefault(stage);

    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assess
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it.each(['dev', 'prod'] as const)('%s: cfn-guard (Control Tower controls) passes, with only the expected acknowledgements', (stage) => {
    // Act: the report the stage's synthesis wrote.
    const { report } = defaultSynthesis(stage);

    // Assess
    const guard = report.pluginReports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
    expect(guard?.conclusion).toBe('success');
    expect(guard?.violations).toEqual([]);
    for (const other of report.pluginReports) expect(other.violations).toEqual([]);
  });

  it.each(['dev', 'prod'] as const)('%s: acknowledges exactly the reviewed findings, each on its own resource', (stage) => {
    const expected = [...EXPECTED_ACKNOWLEDGEMENTS.both, ...EXPECTED_ACKNOWLEDGEMENTS[stage]];
    expect(acknowledgements(stage)).toEqual(expected.sort());
  });

  // A synthesis of its own, with both policy checks: seconds alone, tens of them beside the other worker.
  it('fails the synth on a finding nobody acknowledged', { timeout: 120_000 }, () => {
    // Prepare: a topic without encryption or a TLS policy breaks AwsSolutions-SNS3.
    const { app, stack } = buildApp({ context: { ...SKIP_BUNDLING } });
    new sns.Topic(stack, 'Unreviewed');

    // Act, Assess
    expect(() => withoutSchemaValidation(() => app.synth())).toThrow(/AwsSolutions-SNS3/);
  });
});

describe('cfn-guard given only the rules that apply (infra/guard.ts)', () => {
  // Resources of five types, none set up as the controls want: each type's rules find something.
  const fixture = {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs18.x', Handler: 'index.handler', Code: { ZipFile: 'x' } } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } },
      Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false } },
    },
  };
  const findings = (report: { violations: { ruleName: string; violatingResources: { resourceLogicalId: string }[] }[] }) =>
    report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`)).sort();

  it('reports exactly what the plugin with every Control Tower rule reports, from a fraction of the files', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'guard-'));
    const templatePaths = [join(dir, 'fixture.template.json')];
    writeFileSync(templatePaths[0] as string, JSON.stringify(fixture));
    const context = { templatePaths, appConstruct: new App() };

    // Act
    const selected = new ControlTowerGuard().validate(context);
    const everyRule = new CfnGuardValidator().validate(context);

    // Assess
    expect(findings(selected).length).toBeGreaterThanOrEqual(5);
    expect(findings(selected)).toEqual(findings(everyRule));
    expect(selected.success).toBe(false);
    const applicable = ControlTowerGuard.applicableRules(templatePaths);
    expect(applicable.length).toBeGreaterThan(0);
    expect(applicable.length).toBeLessThan(new CfnGuardValidator().ruleIds?.length ?? 0);
    expect(new ControlTowerGuard().ruleIds).toEqual(new CfnGuardValidator().ruleIds);
  });
});
