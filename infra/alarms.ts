import { Aws, Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { DataTables } from './tables.js';

export interface AlarmsProps {
  readonly stage: string;
  readonly function: lambda.IFunction;
  /** The function's timeout: the duration alarm fires well before requests start timing out. */
  readonly functionTimeout: Duration;
  readonly api: apigw.IHttpApi;
  readonly tables: DataTables;
  /** An existing topic to notify; when absent an encrypted topic is created. */
  readonly alarmTopicArn?: string | undefined;
  /** Key for a topic created here. */
  readonly topicKey: kms.IKey;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The operations that ThrottledRequests is reported for on the request path: the reads and the transactions.
 * At most ten metrics fit in one alarm's math expression, and these are eight.
 */
const THROTTLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
  dynamodb.Operation.TRANSACT_GET_ITEMS,
];

/**
 * The alarms of docs/operations.md, each with the same text there and in its description: what it means and
 * what to do. Every alarm notifies on ALARM and on OK, so whoever is on call also learns that it cleared.
 */
export class Alarms extends Construct {
  readonly topic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.topic = props.alarmTopicArn === undefined ? this.createTopic(props) : sns.Topic.fromTopicArn(this, 'Topic', props.alarmTopicArn);
    const notify = new actions.SnsAction(this.topic);

    const add = (alarmId: string, alarmProps: cloudwatch.AlarmProps): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        ...alarmProps,
        alarmName: `samordning-${props.stage}-${alarmProps.alarmName}`,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
    };

    add('FunctionErrors', {
      alarmName: 'function-errors',
      alarmDescription:
        'The GraphQL function failed at least once in 5 minutes: an uncaught error, a crash at cold start, or a timeout. ' +
        'GraphQL errors are answered normally and do not count, so any failure here is a bug or an outage. ' +
        'Open the function log group and search for level ERROR or "Task timed out"; a failed deploy or a missing ' +
        'environment variable shows at cold start. See docs/operations.md#function-errors.',
      metric: props.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    add('FunctionThrottles', {
      alarmName: 'function-throttles',
      alarmDescription:
        'Lambda refused invocations of the GraphQL function because its concurrency was exhausted; clients got HTTP 503. ' +
        'Check the ConcurrentExecutions metric against the reserved concurrency (context reservedConcurrency) or the ' +
        "account's quota; raise whichever is binding, or lower the API throttle if the traffic is abusive. " +
        'See docs/operations.md#function-throttles.',
      metric: props.function.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // 80 % of the timeout: slow enough to be a real problem, early enough to act before requests time out.
    const durationThreshold = Math.round(props.functionTimeout.toMilliseconds() * 0.8);
    add('FunctionDurationP99', {
      alarmName: 'function-duration-p99',
      alarmDescription:
        `The slowest 1 % of GraphQL requests took over ${durationThreshold} ms in 2 of the last 3 five-minute periods ` +
        `(the timeout is ${props.functionTimeout.toSeconds()} s). Look in X-Ray for the slow segment: a DynamoDB call ` +
        'being retried (see the throttling alarms), an unbounded query, or cold starts after a deploy. ' +
        'See docs/operations.md#function-duration-p99.',
      metric: props.function.metricDuration({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99) }),
      threshold: durationThreshold,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    add('Api5xx', {
      alarmName: 'api-5xx',
      alarmDescription:
        'The HTTP API answered 5xx at least 5 times in 5 minutes: the function failed, timed out or was throttled, ' +
        'or API Gateway could not reach it. Check the function alarms first, then the access log group (status, ' +
        'integrationStatus, errorMessage by requestId). See docs/operations.md#api-5xx.',
      metric: props.api.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    for (const { declaration, table } of props.tables.byId.values()) {
      add(`DynamoDbThrottles-${declaration.id}`, {
        alarmName: `dynamodb-throttles-${declaration.id}`,
        alarmDescription:
          `DynamoDB throttled requests to the ${declaration.id} table (or one of its indexes) in 5 minutes. On-demand ` +
          'tables throttle when traffic more than doubles its previous peak quickly or when one partition key is hot. ' +
          'The SDK retries, so users see slowness first. Find the operation in the ThrottledRequests metric by ' +
          'Operation, and a hot key with CloudWatch Contributor Insights. See docs/operations.md#dynamodb-throttles.',
        metric: table.metricThrottledRequestsForOperations({
          operations: THROTTLE_OPERATIONS,
          period: FIVE_MINUTES,
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  private createTopic(props: AlarmsProps): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', {
      topicName: `samordning-${props.stage}-alarms`,
      displayName: `Samordning ${props.stage} alarms`,
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one; without this statement
    // CloudWatch would be refused and alarms would change state without anyone hearing of it. The conditions keep
    // other accounts' alarms out (confused deputy).
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    return topic;
  }
}
