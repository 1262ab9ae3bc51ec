import { Aws, Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DataTables } from './tables.js';

export interface AlarmsProps {
  readonly stage: string;
  readonly function: lambda.IFunction;
  /** The function's timeout: the duration alarm fires well before requests start timing out. */
  readonly functionTimeout: Duration;
  /** The exports function (`GET /exports/{proxy+}`): its failures and throttles alarm as the GraphQL function's do. */
  readonly exportsFunction: lambda.IFunction;
  readonly exportsFunctionTimeout: Duration;
  readonly api: apigw.IHttpApi;
  readonly tables: DataTables;
  /** An existing topic to notify; when absent an encrypted topic is created. */
  readonly alarmTopicArn?: string | undefined;
  /** Key for a topic created here. */
  readonly topicKey: kms.IKey;
  /** E-mail addresses subscribed to the topic (each confirms once, from the mail SNS sends). */
  readonly subscribers: readonly string[];
  /** The function's reserved concurrency: the concurrency alarm fires at 80 % of it. @default - no reservation, no alarm */
  readonly reservedConcurrency?: number | undefined;
  /** The API's access log group: authorizer failures are counted from it. */
  readonly accessLogGroup: logs.ILogGroup;
}

/** CloudWatch namespace of the metrics a stage derives from its logs: one per stage, as stages may share an account. */
export const metricNamespace = (stage: string) => `Samordning/${stage}`;

/**
 * A sum over sparse metrics that is 0, not missing, where none of them has a data point: DynamoDB publishes an
 * operation's ThrottledRequests or SystemErrors only in periods where it happened, and a plain sum of missing values
 * is missing, which an alarm cannot compare.
 */
export function filledSum(metrics: Record<string, cloudwatch.IMetric>, label: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: Object.keys(metrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics: metrics,
    label,
    period,
  });
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
 * One DynamoDB metric of a table per request-path operation, by id (`<prefix>0` …): DynamoDB reports
 * ThrottledRequests and SystemErrors only per operation, never for the table as a whole.
 */
export function operationMetrics(
  table: dynamodb.ITable,
  metricName: 'ThrottledRequests' | 'SystemErrors',
  prefix: string,
): Record<string, cloudwatch.IMetric> {
  return Object.fromEntries(
    THROTTLE_OPERATIONS.map((operation, index) => [
      `${prefix}${index}`,
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: table.tableName, Operation: operation },
        statistic: cloudwatch.Stats.SUM,
        period: FIVE_MINUTES,
      }),
    ]),
  );
}

/**
 * The alarms of docs/operations.md, each with the same text there and in its description: what it means and
 * what to do. Every alarm notifies on ALARM and on OK, so whoever is on call also learns that it cleared.
 */
export class Alarms extends Construct {
  readonly topic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** 401s from the JWT authorizer, counted from the access log. */
  readonly authorizerFailures: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.topic = props.alarmTopicArn === undefined ? this.createTopic(props) : sns.Topic.fromTopicArn(this, 'Topic', props.alarmTopicArn);
    for (const email of props.subscribers) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
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

    add('ExportsFunctionErrors', {
      alarmName: 'exports-function-errors',
      alarmDescription:
        'The exports function failed at least once in 5 minutes: an uncaught error, a crash at cold start, or a timeout ' +
        `(${props.exportsFunctionTimeout.toSeconds()} s: an export too large to page through in time). Refusals (400, 403, 404) ` +
        'and masked errors (500 with a correlation id) are answers and do not count. Open the exports log group and search ' +
        'for level ERROR or "Task timed out". See docs/operations.md#exports-function-errors.',
      metric: props.exportsFunction.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    add('ExportsFunctionThrottles', {
      alarmName: 'exports-function-throttles',
      alarmDescription:
        'Lambda refused invocations of the exports function because concurrency was exhausted; clients got HTTP 503. ' +
        "It draws on the account's unreserved concurrency, as the GraphQL function does without a reservation: check " +
        "ConcurrentExecutions of both against the account's quota, and the access log for a client fetching exports in a loop. " +
        'See docs/operations.md#exports-function-throttles.',
      metric: props.exportsFunction.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
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

    const metricsFor = (table: dynamodb.ITable, metricName: 'ThrottledRequests' | 'SystemErrors') =>
      operationMetrics(table, metricName, 'm');

    for (const { declaration, table } of props.tables.byId.values()) {
      add(`DynamoDbThrottles-${declaration.id}`, {
        alarmName: `dynamodb-throttles-${declaration.id}`,
        alarmDescription:
          `DynamoDB throttled requests to the ${declaration.id} table (or one of its indexes) in 5 minutes. On-demand ` +
          'tables throttle when traffic more than doubles its previous peak quickly or when one partition key is hot. ' +
          'The SDK retries, so users see slowness first. Find the operation in the ThrottledRequests metric by ' +
          'Operation, and a hot key with CloudWatch Contributor Insights. See docs/operations.md#dynamodb-throttles.',
        metric: filledSum(metricsFor(table, 'ThrottledRequests'), `${declaration.id} throttled requests`, FIVE_MINUTES),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      add(`DynamoDbSystemErrors-${declaration.id}`, {
        alarmName: `dynamodb-system-errors-${declaration.id}`,
        alarmDescription:
          `DynamoDB answered requests to the ${declaration.id} table with HTTP 500 (SystemErrors) in 5 minutes: a fault on ` +
          "AWS's side. The SDK retries; requests that still fail reach users as SERVICE_UNAVAILABLE (retryable). Check the " +
          'AWS Health Dashboard for DynamoDB in the region. See docs/operations.md#dynamodb-system-errors.',
        metric: filledSum(metricsFor(table, 'SystemErrors'), `${declaration.id} system errors`, FIVE_MINUTES),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // 4xx share of all requests, once there is enough traffic for a share to mean something.
    const requests = props.api.metricCount({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
    const clientErrors = props.api.metricClientError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
    add('Api4xxRate', {
      alarmName: 'api-4xx-rate',
      alarmDescription:
        'More than 10 % of API requests were answered 4xx in 3 consecutive five-minute periods (with at least 50 requests ' +
        'in each): a client sending bad tokens or documents after a deploy, an expired app client setting, or someone ' +
        'probing the API. The access log shows status, routeKey and authorizerError by requestId. ' +
        'See docs/operations.md#api-4xx-rate.',
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(requests, 0) >= 50, 100 * FILL(clientErrors, 0) / requests, 0)',
        usingMetrics: { requests, clientErrors },
        label: '4xx share (%)',
        period: FIVE_MINUTES,
      }),
      threshold: 10,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // API Gateway publishes no authorizer metric for HTTP APIs: the JWT authorizer's refusals are the access log's
    // 401s (a token that is missing, expired, for another client, or without the samordning/api scope).
    const authorizerFailures = new logs.MetricFilter(this, 'AuthorizerFailuresFilter', {
      logGroup: props.accessLogGroup,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '401'),
      metricNamespace: metricNamespace(props.stage),
      metricName: 'AuthorizerFailures',
      metricValue: '1',
      defaultValue: 0,
    });
    this.authorizerFailures = authorizerFailures.metric({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
    add('AuthorizerFailures', {
      alarmName: 'authorizer-failures',
      alarmDescription:
        'The JWT authorizer refused at least 100 requests in 5 minutes (HTTP 401): tokens that are missing, expired, for ' +
        "another app client or without the samordning/api scope. After a deploy, check the frontends' client id and " +
        'scope; otherwise look for a single source IP in the access log (credential stuffing, a runaway script). ' +
        'See docs/operations.md#authorizer-failures.',
      metric: this.authorizerFailures,
      threshold: 100,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    if (props.reservedConcurrency !== undefined) {
      const threshold = Math.floor(props.reservedConcurrency * 0.8);
      add('FunctionConcurrency', {
        alarmName: 'function-concurrency',
        alarmDescription:
          `The GraphQL function ran ${threshold} or more requests at once (80 % of its reserved concurrency of ` +
          `${props.reservedConcurrency}) in 2 of the last 3 minutes: at the reservation Lambda refuses invocations and ` +
          'clients get 503. Raise reservedConcurrency in the stage settings if the traffic is real, or tighten the WAF ' +
          'rate limits if it is not. See docs/operations.md#function-concurrency.',
        metric: props.function.metric('ConcurrentExecutions', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
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
