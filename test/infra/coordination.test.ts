import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplate, resourcesOf, synth } from './synth.js';

const dev = () => ({ template: defaultTemplate('dev') });
let withSender: Template;

beforeAll(() => {
  defaultTemplate('dev');
  withSender = synth('dev', {
    reminderSender: 'paaminnelser@samordning.example.no',
    coordinatorEmail: 'koordinator@jd.example.no',
  }).template;
}, 600_000);

/** The one resource of a type whose properties match, as [logical id, resource]. */
function only(template: Template, type: string, props: Record<string, unknown>) {
  const found = Object.entries(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, { Properties: Record<string, unknown> }];
}

const statementsOf = (template: Template, roleLogicalId: string) =>
  resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleLogicalId))
    .flatMap(
      ([, p]) =>
        (p.Properties.PolicyDocument as { Statement: unknown[] }).Statement as {
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }[],
    );

describe('change events', () => {
  it('has the stage bus, and the consumer reads the audit stream with bisection, retries, batch item failures and a dead-letter queue', () => {
    const { template } = dev();
    only(template, 'AWS::Events::EventBus', { Name: 'samordning-dev' });
    const [queueId] = only(template, 'AWS::SQS::Queue', { QueueName: 'samordning-dev-change-events-dlq', SqsManagedSseEnabled: true });
    const [auditId] = only(template, 'AWS::DynamoDB::Table', { TableName: 'samordning-dev-audit' });
    const [, mapping] = only(template, 'AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [auditId, 'StreamArn'] },
    });
    expect(mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    // TLS only.
    only(template, 'AWS::SQS::QueuePolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      }),
    });
  });

  it('alarms on any message in the dead-letter queue, to the alarm topic', () => {
    const { template } = dev();
    const [queueId] = only(template, 'AWS::SQS::Queue', { QueueName: 'samordning-dev-change-events-dlq' });
    const [, alarm] = only(template, 'AWS::CloudWatch::Alarm', { AlarmName: 'samordning-dev-change-events-dead-letters' });
    expect(alarm.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect((alarm.Properties.AlarmActions as unknown[]).length).toBe(1);
  });

  it('lets the consumer put events on its bus only, and write no table', () => {
    const { template } = dev();
    const [fnId, fn] = only(template, 'AWS::Lambda::Function', {
      Description: 'Samordning dev: change events from the audit stream to the bus',
    });
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    const role = JSON.stringify(fn.Properties.Role);
    const roleId = /"([A-Za-z0-9]+)","Arn"/.exec(role)?.[1] ?? '';
    const statements = statementsOf(template, roleId);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).toContain('events:PutEvents');
    expect(actions.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    const [busId] = only(template, 'AWS::Events::EventBus', { Name: 'samordning-dev' });
    expect(statements.find((s) => [s.Action].flat().includes('events:PutEvents'))?.Resource).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
    expect(fnId).toBeTruthy();
  });
});

describe('reminders', () => {
  it('runs daily at 07:00 in Oslo through its own role; disabled, with no SES permission, while no sender is set', () => {
    const { template } = dev();
    const [, schedule] = only(template, 'AWS::Scheduler::Schedule', { Name: 'samordning-dev-reminders' });
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Oslo',
      State: 'DISABLED',
      Target: { RetryPolicy: { MaximumRetryAttempts: 3 } },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('ses:SendEmail');
  });

  it('with a sender: enabled, SES scoped to that sender, the ledger writes limited to reminder items', () => {
    const [, schedule] = only(withSender, 'AWS::Scheduler::Schedule', { Name: 'samordning-dev-reminders' });
    expect(schedule.Properties.State).toBe('ENABLED');
    const [, fn] = only(withSender, 'AWS::Lambda::Function', { Description: 'Samordning dev: daily reminders of reporting duties' });
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Environment: { Variables: { REMINDER_SENDER: 'paaminnelser@samordning.example.no', COORDINATOR_EMAIL: 'koordinator@jd.example.no' } },
    });
    const roleId = /"([A-Za-z0-9]+)","Arn"/.exec(JSON.stringify(fn.Properties.Role))?.[1] ?? '';
    const statements = statementsOf(withSender, roleId);
    const ses = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(ses[0]?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'paaminnelser@samordning.example.no' } });
    const writes = statements.filter((s) => [s.Action].flat().some((a) => /dynamodb:(Put|Update|Delete)/.test(a)));
    expect(writes).toHaveLength(1);
    expect([writes[0]?.Action].flat().sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(writes[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REMINDER#*'] } });
  });
});
