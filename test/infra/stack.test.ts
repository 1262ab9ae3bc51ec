import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { integrationClientName, tables } from '../../functions/shared/tables.js';
import { scopes as platformScopes } from '../../functions/shared/viewer.js';
import { ROLE_GROUPS } from '../../infra/agencies.js';
import { EXPORTS_FUNCTION_MEMORY_MB, EXPORTS_FUNCTION_TIMEOUT } from '../../infra/exports-function.js';
import { ACCESS_LOG_FIELDS } from '../../infra/graphql-api.js';
import { FUNCTION_TIMEOUT } from '../../infra/graphql-function.js';
import { API_SCOPE, INTEGRATION_SCOPES, ROUTE_SCOPES } from '../../infra/identity.js';
import { defaultTemplate, resourcesOf } from './synth.js';

const dev = () => ({ template: defaultTemplate('dev') });
const prod = () => ({ template: defaultTemplate('prod') });

// Synthesis runs both policy checks and takes seconds, tens of them while the suite's workers share two cores:
// done once a run (or read from the file of the run that did it), under the hook's timeout, whichever test runs first.
beforeAll(() => {
  defaultTemplate('dev');
  defaultTemplate('prod');
}, 600_000);

/** The logical id of the one resource of a type whose properties match. */
function logicalIdOf(stage: 'dev' | 'prod', type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(defaultTemplate(stage).findResources(type, { Properties: Match.objectLike(props) }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('tables', () => {
  it('builds exactly the five declared tables', () => {
    // Prepare
    const { template } = dev();

    // Act
    const names = resourcesOf(template, 'AWS::DynamoDB::Table').map(([, r]) => r.Properties.TableName);

    // Assess
    expect(names.sort()).toEqual(tables.map((t) => `samordning-dev-${t.id}`).sort());
  });

  it.each(tables.map((t) => [t.id, t] as const))('%s: keys, attribute types and indexes equal the declaration', (_, declaration) => {
    // Prepare
    const { template } = dev();
    const keySchema = (pk: string, sk?: string) => [
      { AttributeName: pk, KeyType: 'HASH' },
      ...(sk === undefined ? [] : [{ AttributeName: sk, KeyType: 'RANGE' }]),
    ];

    // Act
    const [[, table] = []] = resourcesOf(template, 'AWS::DynamoDB::Table').filter(
      ([, r]) => r.Properties.TableName === `samordning-dev-${declaration.id}`,
    );

    // Assess
    expect(table).toBeDefined();
    const props = table?.Properties ?? {};
    expect(props.KeySchema).toEqual(keySchema(declaration.partitionKey, declaration.sortKey));
    const definitions = props.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
    expect(Object.fromEntries(definitions.map((d) => [d.AttributeName, d.AttributeType]))).toEqual(declaration.attributes);
    const indexes = (props.GlobalSecondaryIndexes ?? []) as { IndexName: string }[];
    expect(indexes.sort((a, b) => a.IndexName.localeCompare(b.IndexName))).toEqual(
      [...declaration.globalIndexes]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: { ProjectionType: 'ALL' },
        })),
    );
    const stream = declaration.stream === undefined ? Match.absent() : { StreamViewType: declaration.stream };
    const ttl = declaration.ttlAttribute === undefined ? Match.absent() : { AttributeName: declaration.ttlAttribute, Enabled: true };
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `samordning-dev-${declaration.id}`,
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled without a key id is the AWS-managed key (aws/dynamodb); omitted, it would be an AWS-owned key.
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
      StreamSpecification: stream,
      TimeToLiveSpecification: ttl,
    });
  });

  it('protects every table and keeps it on stack deletion in prod only', () => {
    // Prepare, Act
    const devTables = resourcesOf(dev().template, 'AWS::DynamoDB::Table');
    const prodTables = resourcesOf(prod().template, 'AWS::DynamoDB::Table');

    // Assess
    expect(prodTables).toHaveLength(5);
    for (const [, table] of prodTables) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    }
    for (const [, table] of devTables) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
      expect(table.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('the audit log and backups', () => {
  // The stack names its region (stage settings), so partition and region are literal; the account stays a token.
  const arnOfRole = (name: string) => ({ 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, `:role/${name}`]] });

  it("denies changing audit entries to all but the break-glass role, and putting them to all but the GraphQL and exports functions' roles", () => {
    // Prepare
    const { template } = prod();
    const writer = { 'Fn::GetAtt': [logicalIdOf('prod', 'AWS::IAM::Role', { Description: 'Samordning prod: GraphQL function' }), 'Arn'] };
    const exporter = { 'Fn::GetAtt': [logicalIdOf('prod', 'AWS::IAM::Role', { Description: 'Samordning prod: exports function' }), 'Arn'] };
    const breakGlass = arnOfRole('samordning-prod-break-glass');
    const auditArn = { 'Fn::Join': ['', ['arn:aws:dynamodb:eu-north-1:', { Ref: 'AWS::AccountId' }, ':table/samordning-prod-audit']] };

    // Act
    const [[, audit] = []] = resourcesOf(template, 'AWS::DynamoDB::Table').filter(
      ([, t]) => t.Properties.TableName === 'samordning-prod-audit',
    );
    const others = resourcesOf(template, 'AWS::DynamoDB::Table').filter(([, t]) => t.Properties.TableName !== 'samordning-prod-audit');

    // Assess
    expect(audit?.Properties.ResourcePolicy).toEqual({
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EntriesAreNeverChangedButByBreakGlass',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [
              'dynamodb:BatchWriteItem',
              'dynamodb:DeleteItem',
              'dynamodb:PartiQLDelete',
              'dynamodb:PartiQLUpdate',
              'dynamodb:UpdateItem',
            ],
            Resource: auditArn,
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': breakGlass } },
          },
          {
            Sid: 'EntriesArePutOnlyByTheWriter',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['dynamodb:PartiQLInsert', 'dynamodb:PutItem'],
            Resource: auditArn,
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': [writer, exporter, breakGlass] } },
          },
          {
            Sid: 'TheWriterPutsEntries',
            Effect: 'Allow',
            // aws-cdk-lib sorts principals by logical id.
            Principal: { AWS: [exporter, writer] },
            Action: 'dynamodb:PutItem',
            Resource: auditArn,
          },
        ],
      },
    });
    expect(others.map(([, t]) => t.Properties.ResourcePolicy)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('backs every table up daily in prod, kept a year in a vault whose lock becomes immutable after three days', () => {
    // Prepare
    const { template } = prod();
    const tableIds = resourcesOf(template, 'AWS::DynamoDB::Table').map(([id]) => id);

    // Act, Assess
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 365, ChangeableForDays: 3 } });
    template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({ ScheduleExpression: 'cron(0 3 * * ? *)', Lifecycle: { DeleteAfterDays: 365 } })],
      },
    });
    const [[, selection] = []] = resourcesOf(template, 'AWS::Backup::BackupSelection');
    const backupSelection = selection?.Properties.BackupSelection as { Resources: { 'Fn::GetAtt': [string, string] }[] } | undefined;
    expect(backupSelection?.Resources.map((r) => r['Fn::GetAtt'][0]).sort()).toEqual(tableIds.sort());
    expect(tableIds).toHaveLength(tables.length);
  });

  it('has no backup plan outside prod unless the stage settings ask for one', () => {
    dev().template.resourceCountIs('AWS::Backup::BackupPlan', 0);
  });
});

describe('GraphQL function', () => {
  it('runs Node.js 24 on arm64 with active tracing, JSON logs, 1024 MB and the 10 s timeout', () => {
    dev().template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      MemorySize: 1024,
      Timeout: FUNCTION_TIMEOUT.toSeconds(),
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' }),
    });
    // Besides the cursor key's rotation function, the other is the web app's BucketDeployment handler (Python,
    // aws-cdk-lib's; web-hosting.test.ts).
    const nodeFunctions = resourcesOf(dev().template, 'AWS::Lambda::Function').filter(([, f]) =>
      String(f.Properties.Runtime).startsWith('nodejs'),
    );
    // The change events' publisher and the reminders run on the same runtime (coordination.test.ts).
    expect(nodeFunctions.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'CoordinationPublisher',
      'CoordinationReminders',
      'CursorKeyRotation',
      'ExportsFunction',
      'GraphqlFunction',
    ]);
  });

  it('learns each physical table name from the variable its declaration names, and its settings from the stage', () => {
    // Prepare
    const tableRefs = Object.fromEntries(
      tables.map((t) => [t.envVar, { Ref: logicalIdOf('dev', 'AWS::DynamoDB::Table', { TableName: `samordning-dev-${t.id}` }) }]),
    );

    // Act, Assess
    dev().template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          ...tableRefs,
          STAGE: 'dev',
          SUPPRESSION_THRESHOLD: '5',
          TRUSTED_DOCUMENTS: 'false',
          // The secret's ARN, never its value (no dynamic reference): the function reads it at run time.
          CURSOR_KEY_SECRET_ARN: {
            Ref: logicalIdOf('dev', 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('cursors') }),
          },
          PERTURBATION_KEY_SECRET_ARN: {
            Ref: logicalIdOf('dev', 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('perturbed cells') }),
          },
          ORIGIN_SECRET_ARN: {
            Ref: logicalIdOf('dev', 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('x-samordning-origin') }),
          },
          USER_POOL_ID: { Ref: logicalIdOf('dev', 'AWS::Cognito::UserPool', {}) },
          POWERTOOLS_SERVICE_NAME: 'samordning',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        },
      },
    });
    prod().template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ STAGE: 'prod', TRUSTED_DOCUMENTS: 'true' }) },
    });
  });

  it('generates a 64-character cursor key without punctuation, rotated every 30 days by its own function', () => {
    // Prepare
    const { template } = prod();
    const secretId = logicalIdOf('prod', 'AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('cursors'),
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    const rotationId = logicalIdOf('prod', 'AWS::Lambda::Function', { Description: 'Samordning prod: rotates the cursor key' });

    // Act, Assess
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: secretId },
      RotationLambdaARN: { 'Fn::GetAtt': [rotationId, 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    // Only rotations of this secret may invoke it.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [rotationId, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceArn: { Ref: secretId },
    });
  });

  it('may read the cursor key, the perturbation key and the origin secret and nothing else in Secrets Manager, and holds no secret value in its environment', () => {
    // Prepare
    const { template } = prod();
    const secretId = logicalIdOf('prod', 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('cursors') });
    const originId = logicalIdOf('prod', 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('x-samordning-origin') });
    const perturbationId = logicalIdOf('prod', 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('perturbed cells') });
    const roleId = logicalIdOf('prod', 'AWS::IAM::Role', { Description: 'Samordning prod: GraphQL function' });

    // Act
    const graphqlStatements = resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement)
      .filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'))
      // In the order of their names: the template's order is aws-cdk-lib's (the feature flags sort statements).
      .sort((a, b) => String((a as { Sid?: string }).Sid).localeCompare(String((b as { Sid?: string }).Sid)));

    // Assess
    expect(graphqlStatements).toEqual([
      expect.objectContaining({ Sid: 'ReadCursorKey', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } }),
      expect.objectContaining({ Sid: 'ReadOriginSecret', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: originId } }),
      expect.objectContaining({ Sid: 'ReadPerturbationKey', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: perturbationId } }),
    ]);
    // The one dynamic reference is CloudFront's origin header (web-hosting.test.ts); no function sees a secret's value.
    for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
      expect(JSON.stringify(fn.Properties)).not.toContain('{{resolve:secretsmanager');
    }
  });

  it('reserves concurrency in prod only, where a fresh account cannot be the target', () => {
    prod().template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 50 });
    dev().template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
  });

  it('logs to its own encrypted log group: a year in prod, a month elsewhere', () => {
    for (const [stage, days] of [
      ['dev', 30],
      ['prod', 365],
    ] as const) {
      const template = defaultTemplate(stage);
      // The function's, the exports function's, the API's access logs, the web app deployment's, the cursor key
      // rotation's, the change events' publisher's and the reminders'.
      template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: days, KmsKeyId: Match.anyValue() }, 7);
      template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: Match.objectLike({ LogGroup: { Ref: Match.anyValue() } }) });
    }
  });
});

describe('exports function', () => {
  type Statement = { Action: string | string[]; Resource: unknown; Sid?: string; Effect: string };
  const exportsRole = (stage: 'dev' | 'prod') =>
    logicalIdOf(stage, 'AWS::IAM::Role', { Description: `Samordning ${stage}: exports function` });
  const exportsFunction = (stage: 'dev' | 'prod') =>
    logicalIdOf(stage, 'AWS::Lambda::Function', { Description: `Samordning ${stage}: CSV and IATI exports` });

  it('runs Node.js 24 on arm64 with active tracing, JSON logs to its own log group, 1024 MB and the 29 s timeout', () => {
    // Prepare
    const { template } = dev();
    const id = exportsFunction('dev');

    // Act
    const fn = template.findResources('AWS::Lambda::Function')[id] as { Properties: Record<string, unknown> };

    // Assess (the bundle's format, ESM with the require shim, is bundle.test.ts's)
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      MemorySize: EXPORTS_FUNCTION_MEMORY_MB,
      Timeout: EXPORTS_FUNCTION_TIMEOUT.toSeconds(),
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', LogGroup: { Ref: expect.stringMatching(/^ExportsLogGroup/) } },
      Role: { 'Fn::GetAtt': [exportsRole('dev'), 'Arn'] },
    });
    // Created after its role's policy; the role is a dependency through Role already (no redundant DependsOn, W3005).
    expect(template.toJSON().Resources[id].DependsOn).toEqual([expect.stringMatching(/^ExportsRoleDefaultPolicy[0-9A-F]{8}$/)]);
    // Within the HTTP API's 30 s integration timeout, so that a slow export is the function's logged timeout.
    expect(EXPORTS_FUNCTION_TIMEOUT.toSeconds()).toBeLessThan(30);
    // Without the prod reservation: it draws on the account's unreserved concurrency (docs/operations.md).
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: Match.anyValue() });
  });

  it('learns the table names, the threshold and the secrets ARNs, and nothing of Cognito or trusted documents', () => {
    // Prepare
    const tableRefs = Object.fromEntries(
      tables.map((t) => [t.envVar, { Ref: logicalIdOf('dev', 'AWS::DynamoDB::Table', { TableName: `samordning-dev-${t.id}` }) }]),
    );
    const secret = (description: string) => ({
      Ref: logicalIdOf('dev', 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp(description) }),
    });

    // Act
    const fn = dev().template.findResources('AWS::Lambda::Function')[exportsFunction('dev')] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };

    // Assess: exactly these (no USER_POOL_ID: exports create no agency group).
    expect(fn.Properties.Environment.Variables).toEqual({
      ...tableRefs,
      STAGE: 'dev',
      SUPPRESSION_THRESHOLD: '5',
      CURSOR_KEY_SECRET_ARN: secret('cursors'),
      PERTURBATION_KEY_SECRET_ARN: secret('perturbed cells'),
      ORIGIN_SECRET_ARN: secret('x-samordning-origin'),
      POWERTOOLS_SERVICE_NAME: 'samordning',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    });
  });

  it.each(['dev', 'prod'] as const)(
    '%s: may read the data tables and their indexes, append to the audit log, read its three secrets, write its log group and trace, and nothing else',
    (stage) => {
      // Prepare
      const template = defaultTemplate(stage);
      const roleId = exportsRole(stage);
      const tableArn = (id: string) => ({
        'Fn::GetAtt': [logicalIdOf(stage, 'AWS::DynamoDB::Table', { TableName: `samordning-${stage}-${id}` }), 'Arn'],
      });
      const secret = (description: string) => ({
        Ref: logicalIdOf(stage, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp(description) }),
      });
      const reads = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
      const asList = (v: string | string[]) => (Array.isArray(v) ? [...v].sort() : v);

      // Act
      const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([, p]) =>
        JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
      );
      const granted = policies
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .map((s) => ({ ...s, Action: asList(s.Action) }))
        .sort((a, b) => String(a.Sid ?? a.Action).localeCompare(String(b.Sid ?? b.Action)));

      // Assess: one policy, on this role only; no write to a data table, no Cognito, no events, no mail.
      expect(policies.map(([, p]) => p.Properties.Roles)).toEqual([[{ Ref: roleId }]]);
      const dataTables = tables.filter((t) => t.id !== 'audit');
      const expected: Statement[] = [
        { Sid: 'AuditTable', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn('audit') },
        ...dataTables.map((t) => {
          const resources = [tableArn(t.id), ...t.globalIndexes.map((i) => ({ 'Fn::Join': ['', [tableArn(t.id), `/index/${i.name}`]] }))];
          return {
            Sid: `${t.id[0]?.toUpperCase()}${t.id.slice(1)}Table`,
            Effect: 'Allow',
            Action: reads,
            Resource: resources.length === 1 ? resources[0] : resources,
          };
        }),
        { Sid: 'ReadCursorKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret('cursors') },
        { Sid: 'ReadOriginSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret('x-samordning-origin') },
        { Sid: 'ReadPerturbationKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret('perturbed cells') },
        {
          Sid: 'WriteOwnLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ExportsLogGroup/), 'Arn'] },
        },
        // Tracing ACTIVE: X-Ray takes no resource (acknowledged in infra/exports-function.ts).
        { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      ];
      expect(granted).toEqual(expect.arrayContaining(expected));
      expect(granted).toHaveLength(expected.length);
      const role = template.findResources('AWS::IAM::Role')[roleId] as { Properties: Record<string, unknown> };
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    },
  );

  it('alarms on its errors and throttles, to the same topic', () => {
    // Prepare
    const { template } = dev();
    const fnRef = { Ref: exportsFunction('dev') };

    // Act, Assess
    for (const [name, metric] of [
      ['samordning-dev-exports-function-errors', 'Errors'],
      ['samordning-dev-exports-function-throttles', 'Throttles'],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: name,
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'FunctionName', Value: fnRef }],
        AlarmDescription: Match.stringLikeRegexp(`docs/operations\\.md#exports-function-${metric.toLowerCase()}`),
      });
    }
  });
});

describe('least privilege', () => {
  type Statement = { Action: string | string[]; Resource: unknown; Sid?: string; Effect: string };
  const statements = (stage: 'dev' | 'prod'): Statement[] =>
    resourcesOf(defaultTemplate(stage), 'AWS::IAM::Policy').flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
  const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  const graphqlStatements = (stage: 'dev' | 'prod'): Statement[] =>
    resourcesOf(defaultTemplate(stage), 'AWS::IAM::Policy')
      .filter(([, policy]) => /"GraphqlRole[0-9A-F]{8}"/.test(JSON.stringify(policy.Properties.Roles)))
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

  it('grants no Scan and no wildcard action anywhere', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const actions = statements(stage).flatMap(actionsOf);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(actions.filter((a) => /scan/i.test(a))).toEqual([]);
    }
  });

  it.each(tables.map((t) => [t.id, t] as const))(
    '%s: exactly the item actions, on the table and its declared indexes only',
    (id, declaration) => {
      // Prepare
      const tableId = logicalIdOf('dev', 'AWS::DynamoDB::Table', { TableName: `samordning-dev-${id}` });
      const reads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
      const writes =
        id === 'audit'
          ? ['dynamodb:PutItem']
          : ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
      const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };

      // Act (the GraphQL function's role; the reminders' reads and ledger are in coordination.test.ts)
      const onTable = graphqlStatements('dev').filter((s) => JSON.stringify(s.Resource).includes(`"${tableId}"`));

      // Assess
      expect(onTable).toHaveLength(1);
      const [statement] = onTable as [Statement];
      expect(actionsOf(statement).sort()).toEqual([...reads, ...writes].sort());
      const resources = [tableArn, ...declaration.globalIndexes.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.name}`]] }))];
      expect(statement.Resource).toEqual(resources.length === 1 ? resources[0] : resources);
    },
  );

  it('lets the function write its own log group only, and no managed policy is attached', () => {
    const logStatements = statements('dev').filter((s) => actionsOf(s).includes('logs:PutLogEvents'));
    expect(logStatements.map((s) => s.Resource)).toContainEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GraphqlLogGroup/), 'Arn'] });
    for (const s of logStatements) expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    for (const [, role] of resourcesOf(dev().template, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('HTTP API', () => {
  it('routes POST and GET /graphql to the GraphQL function and GET /exports/… to the exports function, with payload format 2.0', () => {
    // Prepare
    const { template } = dev();
    const integrations = Object.fromEntries(resourcesOf(template, 'AWS::ApiGatewayV2::Integration'));
    const functionOf = (integrationRef: string): unknown => {
      const integration = integrations[integrationRef];
      if (!integration) throw new Error(`No integration ${integrationRef}`);
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      return (integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    };

    // Act
    const routes = Object.fromEntries(
      resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => {
        const target = r.Properties.Target as { 'Fn::Join': [string, unknown[]] };
        const integrationId = (target['Fn::Join'][1][1] as { Ref: string }).Ref;
        return [r.Properties.RouteKey as string, functionOf(integrationId)];
      }),
    );

    // Assess: two integrations, one a function; nothing else answers on the API.
    expect(Object.keys(integrations)).toHaveLength(2);
    expect(routes).toEqual({
      'GET /graphql': expect.stringMatching(/^GraphqlFunction[0-9A-F]{8}$/),
      'POST /graphql': expect.stringMatching(/^GraphqlFunction[0-9A-F]{8}$/),
      'GET /exports/{proxy+}': expect.stringMatching(/^ExportsFunction[0-9A-F]{8}$/),
    });
  });

  it("puts the JWT authorizer on every route, requiring one of the API scope and the integrations' scopes", () => {
    for (const stage of ['dev', 'prod'] as const) {
      // Prepare
      const template = defaultTemplate(stage);
      const authorizerId = logicalIdOf(stage, 'AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });

      // Act
      const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route');

      // Assess
      expect(routes.length).toBeGreaterThan(0);
      for (const [, route] of routes) {
        expect(route.Properties).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
          AuthorizationScopes: ['samordning/api', 'samordning/read', 'samordning/write', 'samordning/publish-documents'],
        });
      }
    }
  });

  it("checks the Cognito pool's issuer and the app client's id", () => {
    // Prepare
    const pool = logicalIdOf('dev', 'AWS::Cognito::UserPool', {});
    const client = logicalIdOf('dev', 'AWS::Cognito::UserPoolClient', {});

    // Act, Assess
    dev().template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [pool, 'ProviderName'] }]] },
        Audience: [{ Ref: client }],
      },
    });
  });

  it("takes each integration's app client as an audience: a client-credentials token has client_id and no aud", () => {
    // Prepare
    const { template } = prod();
    const [frontend] = Object.keys(template.findResources('AWS::Cognito::UserPoolClient', { Properties: { GenerateSecret: false } }));
    const integrations = ['funder-analysis', 'nav-case-system'].map((name) =>
      logicalIdOf('prod', 'AWS::Cognito::UserPoolClient', { ClientName: integrationClientName('prod', name) }),
    );

    // Act
    const [[, authorizer] = []] = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer');

    // Assess
    expect((authorizer?.Properties.JwtConfiguration as { Audience: unknown } | undefined)?.Audience).toEqual(
      [frontend, ...integrations].map((id) => ({ Ref: id })),
    );
  });

  it('throttles the default stage and writes JSON access logs without bodies or headers', () => {
    // Prepare
    const { template } = dev();
    const [[, stage] = []] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');

    // Act
    const settings = stage?.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };
    const format = JSON.parse(settings.Format) as Record<string, string>;

    // Assess
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    expect(settings.Format).not.toMatch(/authorization|header|body|querystring|\$input|claims/i);
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HttpAccessLogs/), 'Arn'] });
  });

  it('has no CORS configuration unless origins are given', () => {
    dev().template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', CorsConfiguration: Match.absent() });
  });
});

describe('Cognito', () => {
  it('requires TOTP MFA, a strong password, and an administrator to create accounts', () => {
    dev().template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('protects the pool and keeps it on stack deletion in prod only', () => {
    const [[, prodPool] = []] = resourcesOf(prod().template, 'AWS::Cognito::UserPool');
    const [[, devPool] = []] = resourcesOf(dev().template, 'AWS::Cognito::UserPool');
    expect(prodPool?.Properties.DeletionProtection).toBe('ACTIVE');
    expect(prodPool?.DeletionPolicy).toBe('Retain');
    expect(devPool?.Properties.DeletionProtection).not.toBe('ACTIVE');
    expect(devPool?.DeletionPolicy).toBe('Delete');
  });

  it('keeps what holds authorization in prod: groups, app client, resource server and domain', () => {
    const types = [
      'AWS::Cognito::UserPoolGroup',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolResourceServer',
      'AWS::Cognito::UserPoolDomain',
    ];
    for (const type of types) {
      const prodResources = resourcesOf(prod().template, type);
      expect(prodResources.length, type).toBeGreaterThan(0);
      for (const [id, resource] of prodResources) {
        expect([id, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([id, 'Retain', 'Retain']);
      }
      for (const [id, resource] of resourcesOf(dev().template, type)) {
        expect([id, resource.DeletionPolicy]).toEqual([id, 'Delete']);
      }
    }
  });

  it('has the fixed role groups and no agency group: those the function creates at run time', () => {
    for (const stage of [dev(), prod()]) {
      const groups = resourcesOf(stage.template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
      expect(groups.sort()).toEqual(ROLE_GROUPS.map((g) => g.name).sort());
    }
  });

  it('lets the function get and create groups in its own user pool only, and tells it the pool id', () => {
    // Prepare
    const { template } = prod();
    const [[poolId] = []] = resourcesOf(template, 'AWS::Cognito::UserPool');
    const [[, fn] = []] = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('GraphqlFunction'));

    // Act
    const statements = resourcesOf(template, 'AWS::IAM::Policy').flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
    );
    const cognitoStatements = statements.filter((s) => JSON.stringify(s.Action).includes('cognito-idp:'));

    // Assess
    expect(cognitoStatements).toEqual([
      expect.objectContaining({
        Action: ['cognito-idp:CreateGroup', 'cognito-idp:GetGroup'],
        Resource: { 'Fn::GetAtt': [poolId, 'Arn'] },
      }),
    ]);
    expect(fn?.Properties.Environment).toEqual({ Variables: expect.objectContaining({ USER_POOL_ID: { Ref: poolId } }) });
  });

  it('gives frontends a public client: code grant, explicit scopes, short-lived tokens, no user existence errors', () => {
    const resourceServer = logicalIdOf('dev', 'AWS::Cognito::UserPoolResourceServer', { Identifier: 'samordning' });
    dev().template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', { 'Fn::Join': ['', [{ Ref: resourceServer }, '/api']] }],
      // The web app's own URL comes first (web-hosting.test.ts).
      CallbackURLs: Match.arrayWith(['http://localhost:5173/callback']),
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      ExplicitAuthFlows: Match.not(Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH'])),
    });
    dev().template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'samordning',
      Scopes: Match.arrayWith([{ ScopeName: 'api', ScopeDescription: Match.anyValue() }]),
    });
  });

  it('gives each integration of the stage settings a confidential client of the client-credentials grant only, and none by default', () => {
    // Prepare
    const resourceServer = logicalIdOf('prod', 'AWS::Cognito::UserPoolResourceServer', { Identifier: 'samordning' });
    const custom = ['read', 'write', 'publish-documents'].map((scope) => ({ 'Fn::Join': ['', [{ Ref: resourceServer }, `/${scope}`]] }));

    // Act
    const machines = resourcesOf(prod().template, 'AWS::Cognito::UserPoolClient').filter(([, c]) => c.Properties.GenerateSecret === true);

    // Assess
    expect(machines.map(([, c]) => c.Properties.ClientName).sort()).toEqual([
      'samordning-prod-integration-funder-analysis',
      'samordning-prod-integration-nav-case-system',
    ]);
    for (const [, client] of machines) {
      expect(client.Properties).toMatchObject({
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: custom,
        // No person signs in through it.
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 60,
        EnableTokenRevocation: true,
      });
      expect(client.Properties.CallbackURLs).toBeUndefined();
    }
    expect(resourcesOf(dev().template, 'AWS::Cognito::UserPoolClient')).toHaveLength(1);
    prod().template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'samordning',
      Scopes: ['api', ...INTEGRATION_SCOPES.map((scope) => scope.name)].map((name) => ({
        ScopeName: name,
        ScopeDescription: Match.anyValue(),
      })),
    });
    // The scopes the GraphQL function holds tokens to are the resource server's.
    expect(INTEGRATION_SCOPES.map((scope) => scope.name)).toEqual(platformScopes);
    expect(ROUTE_SCOPES).toEqual([API_SCOPE, ...platformScopes.map((scope) => `samordning/${scope}`)]);
  });

  it('blocks compromised credentials and high-risk sign-ins', () => {
    dev().template.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: { Actions: { HighAction: { EventAction: 'BLOCK', Notify: false } } },
    });
  });

  it('outputs what a frontend and an operator need', () => {
    const outputs = Object.keys(dev().template.toJSON().Outputs as object).sort();
    expect(outputs).toEqual(
      [
        'AlarmTopicArn',
        'ApiScope',
        'CognitoDomain',
        'GraphqlUrl',
        'Issuer',
        'Region',
        'TokenEndpoint',
        'UserPoolClientId',
        'UserPoolId',
        'WebUrl',
      ].sort(),
    );
    dev().template.hasOutput('TokenEndpoint', {
      Value: {
        'Fn::Join': [
          '',
          ['https://', Match.anyValue(), Match.stringLikeRegexp('^\\.auth\\.eu-north-1\\.amazoncognito\\.com/oauth2/token$')],
        ],
      },
    });
    const prodOutputs = Object.keys(prod().template.toJSON().Outputs as object);
    expect(prodOutputs.filter((o) => o.startsWith('IntegrationClientId')).sort()).toEqual([
      'IntegrationClientIdFunderAnalysis',
      'IntegrationClientIdNavCaseSystem',
    ]);
    dev().template.hasOutput('GraphqlUrl', {
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, '/graphql']] },
    });
  });
});

describe('alarms', () => {
  it('alarm on function errors, throttles and p99 duration, API 4xx rate and 5xx, authorizer failures, DynamoDB throttling and system errors per table', () => {
    // Prepare
    const { template } = dev();
    const topic = logicalIdOf('dev', 'AWS::SNS::Topic', {});

    // Act
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');

    // Assess
    expect(alarms.map(([, a]) => a.Properties.AlarmName).sort()).toEqual(
      [
        'samordning-dev-api-4xx-rate',
        'samordning-dev-api-5xx',
        'samordning-dev-authorizer-failures',
        'samordning-dev-function-duration-p99',
        'samordning-dev-function-errors',
        'samordning-dev-function-throttles',
        'samordning-dev-exports-function-errors',
        'samordning-dev-exports-function-throttles',
        ...tables.map((t) => `samordning-dev-dynamodb-throttles-${t.id}`),
        ...tables.map((t) => `samordning-dev-dynamodb-system-errors-${t.id}`),
        'samordning-dev-change-events-dead-letters',
      ].sort(),
    );
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.AlarmDescription).toMatch(/docs\/operations\.md#/);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Namespace: 'AWS/Lambda' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', Namespace: 'AWS/ApiGateway' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'samordning-dev-dynamodb-throttles-audit',
      Metrics: Match.arrayWith([
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ThrottledRequests' }) }) }),
      ]),
    });
  });

  it('sums sparse DynamoDB metrics with gaps filled, so a quiet period is 0 rather than missing', () => {
    for (const kind of ['throttles', 'system-errors']) {
      const [[, alarm] = []] = resourcesOf(dev().template, 'AWS::CloudWatch::Alarm').filter(
        ([, a]) => a.Properties.AlarmName === `samordning-dev-dynamodb-${kind}-audit`,
      );
      const metrics = alarm?.Properties.Metrics as { Id: string; Expression?: string; ReturnData?: boolean }[];
      const expression = metrics.find((m) => m.Expression !== undefined)?.Expression;
      expect(expression).toBe(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'].map((m) => `FILL(${m}, 0)`).join(' + '));
    }
  });

  it('alarms at 80 % of the reserved concurrency in prod, and mails the subscribers of the stage settings', () => {
    const { template } = prod();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'samordning-prod-function-concurrency',
      MetricName: 'ConcurrentExecutions',
      Threshold: 40,
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'vakt@example.no' });
    dev().template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('counts the authorizer refusals (401) from the access log, in a namespace of the stage', () => {
    prod().template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "401" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Samordning/prod', MetricName: 'AuthorizerFailures' })],
    });
  });

  it('has a dashboard of the golden signals, per operation too, and of every alarm', () => {
    const [[, dashboard] = []] = resourcesOf(prod().template, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const title of ['Latency', 'Traffic', 'Errors', 'Saturation', 'Per operation', 'WAF', 'Alarms']) expect(body).toContain(title);
    expect(body).toContain('by operation');
  });

  it('fires on p99 duration before requests time out', () => {
    const [[, alarm] = []] = resourcesOf(dev().template, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === 'Duration',
    );
    expect(alarm?.Properties.ExtendedStatistic).toBe('p99');
    expect(alarm?.Properties.Threshold).toBeLessThan(FUNCTION_TIMEOUT.toMilliseconds());
  });

  it('notifies an encrypted topic that requires TLS and admits CloudWatch from this account', () => {
    const { template } = dev();
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });
});
