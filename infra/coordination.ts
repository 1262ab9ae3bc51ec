import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './config.js';
import { REQUIRE_SHIM_BANNER } from './graphql-function.js';
import type { DataTables } from './tables.js';

export const EVENTS_ENTRY = 'functions/events/handler.ts';
export const REMINDERS_ENTRY = 'functions/reminders/handler.ts';

export interface CoordinationProps {
  readonly stage: string;
  readonly tables: DataTables;
  /** Customer-managed key for the log groups. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly retain: boolean;
  /** Where the dead-letter alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /** The verified SES sender of the reminders. @default - none: the schedule is created disabled, with no SES permission */
  readonly reminderSender?: string | undefined;
  /** The coordinator's digest address. @default - none: no coordinator digest */
  readonly coordinatorEmail?: string | undefined;
}

/**
 * The coordination workflow's moving parts: the audit stream's consumer publishing change events to the stage's
 * bus (with a dead-letter queue and its alarm), and the daily reminders (EventBridge Scheduler, Europe/Oslo) mailing
 * through SES. Each function has its own role, holding only what it uses.
 */
export class Coordination extends Construct {
  readonly bus: events.EventBus;
  readonly deadLetters: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly publisher: nodejs.NodejsFunction;
  readonly reminders: nodejs.NodejsFunction;
  readonly schedule: scheduler.Schedule;
  readonly logGroups: logs.LogGroup[] = [];

  constructor(scope: Construct, id: string, props: CoordinationProps) {
    super(scope, id);
    const audit = props.tables.byId.get('audit')?.table;
    if (!audit) throw new Error('The audit table is not declared');

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: `samordning-${props.stage}` });

    // Batches the consumer gave up on (their retries spent): kept 14 days, encrypted, reached over TLS only.
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      queueName: `samordning-${props.stage}-change-events-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const id of ['AwsSolutions-SQS3', 'cdk-validator-cfnguard::sqs_dlq_check'])
      Validations.of(this.deadLetters).acknowledge({
        id,
        reason:
          "This queue is itself a dead-letter queue: the audit stream consumer's on-failure destination (an event-source " +
          'mapping destination, not an SQS redrive). Nothing consumes it but an operator; its depth has an alarm.',
      });

    this.publisher = this.function('Publisher', props, {
      entry: EVENTS_ENTRY,
      description: `Samordning ${props.stage}: change events from the audit stream to the bus`,
      timeout: Duration.seconds(30),
      environment: { EVENT_BUS_NAME: this.bus.eventBusName },
    });
    this.bus.grantPutEventsTo(this.publisher);
    if (this.publisher.role)
      Validations.of(this.publisher.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The event-source mapping needs dynamodb:ListStreams, which has no resource-level permission (AWS documents Resource "*"); ' +
          "the stream reads (DescribeStream, GetRecords, GetShardIterator) name the audit table's stream only.",
      });
    this.publisher.addEventSource(
      new DynamoEventSource(audit, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        // One batch per shard at a time keeps each entity's events in order.
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.days(1),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `samordning-${props.stage}-change-events-dead-letters`,
      alarmDescription:
        'Change events could not be published after every retry: the batch is in the dead-letter queue (its message names the ' +
        'shard and sequence numbers). Fix the cause, then republish from the audit table; consumers dedupe on the event id. ' +
        'docs/operations.md#change-events-dead-letters',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    this.deadLetterAlarm.addOkAction(new actions.SnsAction(props.alarmTopic));

    this.reminders = this.function('Reminders', props, {
      entry: REMINDERS_ENTRY,
      description: `Samordning ${props.stage}: daily reminders of reporting duties`,
      timeout: Duration.minutes(5),
      environment: {
        STAGE: props.stage,
        ...(props.reminderSender ? { REMINDER_SENDER: props.reminderSender } : { REMINDER_SENDER: 'unset@invalid' }),
        ...(props.coordinatorEmail ? { COORDINATOR_EMAIL: props.coordinatorEmail } : {}),
      },
    });
    this.grantReminderTables(props.tables, this.reminders);
    if (props.reminderSender) {
      const stack = Stack.of(this);
      const domain = props.reminderSender.split('@')[1] ?? props.reminderSender;
      this.reminders.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'SendFromTheReminderSender',
          actions: ['ses:SendEmail'],
          resources: [
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.reminderSender }),
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': props.reminderSender } },
        }),
      );
    }

    this.schedule = new scheduler.Schedule(this, 'Daily', {
      scheduleName: `samordning-${props.stage}-reminders`,
      description: 'Daily digest of reporting duties, at 07:00 in Oslo',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '7', timeZone: TimeZone.of('Europe/Oslo') }),
      target: new targets.LambdaInvoke(this.reminders, {
        role: this.schedulerRole(props.stage),
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
      // Without a verified sender there is nobody to send as: the schedule waits, disabled.
      enabled: props.reminderSender !== undefined,
    });
  }

  /** The schedule's own role: it may invoke the reminders function itself, no version or alias of it. */
  private schedulerRole(stage: string): iam.Role {
    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Samordning ${stage}: the daily reminders schedule`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'InvokeReminders', actions: ['lambda:InvokeFunction'], resources: [this.reminders.functionArn] }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<CoordinationRemindersCCBAC952.Arn>:*]',
      reason:
        "The Scheduler target grants lambda:InvokeFunction on the function and its versions (`<arn>:*`); it is the reminders function's own, nothing else.",
    });
    return role;
  }

  /** Reads on every table (the duties, agencies and plans); on the funding table, only the reminder ledger's items. */
  private grantReminderTables(tables: DataTables, fn: nodejs.NodejsFunction): void {
    for (const { declaration, table } of tables.byId.values()) {
      fn.addEnvironment(declaration.envVar, table.tableName);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: `Read${declaration.id.charAt(0).toUpperCase()}${declaration.id.slice(1)}`,
          actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
          resources: [table.tableArn, ...declaration.globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`)],
        }),
      );
    }
    const funding = tables.byId.get('funding')?.table;
    if (!funding) throw new Error('The funding table is not declared');
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReminderLedger',
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [funding.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REMINDER#*'] } },
      }),
    );
  }

  private function(
    id: string,
    props: CoordinationProps,
    options: { entry: string; description: string; timeout: Duration; environment: Record<string, string> },
  ): nodejs.NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${id}LogGroup`, {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.logGroups.push(logGroup);
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Samordning ${props.stage}: ${options.description}`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const fn = new nodejs.NodejsFunction(this, id, {
      description: options.description,
      entry: path.join(PROJECT_ROOT, options.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: options.timeout,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      // One run at a time is all either needs: the stream is read per shard, the schedule fires once a day.
      reservedConcurrentExecutions: 1,
      environment: { POWERTOOLS_SERVICE_NAME: 'samordning', POWERTOOLS_LOG_LEVEL: 'INFO', ...options.environment },
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
    Validations.of(fn).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The function reaches only AWS APIs (DynamoDB and its stream, EventBridge, SES, CloudWatch Logs), all over TLS with ' +
        'SigV4, and nothing in a private network; a VPC would add NAT or interface endpoints and no isolation IAM does not give.',
    });
    return fn;
  }
}
