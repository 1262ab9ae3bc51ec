import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type Alarms, filledSum, operationMetrics } from './alarms.js';
import { EDGE_REGION } from './edge.js';
import type { DataTables } from './tables.js';

export interface DashboardProps {
  readonly stage: string;
  readonly function: lambda.IFunction;
  /** Holds the function's one `operation` line per request (functions/graphql/server.ts). */
  readonly functionLogGroup: logs.ILogGroup;
  /** The exports function: its errors and throttles beside the GraphQL function's. */
  readonly exportsFunction: lambda.IFunction;
  readonly reservedConcurrency?: number | undefined;
  readonly api: apigw.IHttpApi;
  readonly tables: DataTables;
  readonly alarms: Alarms;
  /** The stage's WAF web ACL (its metrics are in us-east-1). */
  readonly webAclName: string;
}

const PERIOD = Duration.minutes(5);

/**
 * The stage's CloudWatch dashboard: the API's four golden signals (latency, traffic, errors, saturation) as a whole
 * and per GraphQL operation, the WAF's blocks, DynamoDB, and the state of every alarm. Plain CloudWatch constructs
 * rather than cdk-monitoring-constructs: the alarms are hand-written with their runbook texts already, and the
 * per-operation figures come from the function's log lines, which that library does not read.
 */
export class Dashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const api = props.api;
    const fn = props.function;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `samordning-${props.stage}`,
      defaultInterval: Duration.hours(24),
    });

    const perOperation = (title: string, query: string, width = 12) =>
      new cloudwatch.LogQueryWidget({
        title,
        logGroupNames: [props.functionLogGroup.logGroupName],
        queryLines: ['filter message = "operation"', query],
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width,
        height: 6,
      });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# Samordning ${props.stage}\n` +
          "Golden signals of the GraphQL API; per operation from the function's `operation` log lines. Runbook: docs/operations.md.",
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Latency (API Gateway, ms)',
        left: [50, 90, 99].map((p) => api.metricLatency({ period: PERIOD, statistic: cloudwatch.Stats.p(p), label: `p${p}` })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Traffic (requests)',
        left: [api.metricCount({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'requests' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Errors',
        left: [
          api.metricClientError({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: '4xx' }),
          api.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: '5xx' }),
          props.alarms.authorizerFailures.with({ label: 'authorizer 401' }),
          fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'function errors' }),
          props.exportsFunction.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'exports function errors' }),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Saturation: concurrent executions',
        left: [
          fn.metric('ConcurrentExecutions', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM, label: 'max' }),
          props.exportsFunction.metric('ConcurrentExecutions', {
            period: Duration.minutes(1),
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'exports max',
          }),
        ],
        leftAnnotations:
          props.reservedConcurrency === undefined
            ? []
            : [
                { value: props.reservedConcurrency, label: 'reserved' },
                { value: Math.floor(props.reservedConcurrency * 0.8), label: 'alarm (80 %)' },
              ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Saturation: throttles',
        left: [
          fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'Lambda throttles' }),
          props.exportsFunction.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'exports Lambda throttles' }),
          ...[...props.tables.byId.values()].map(({ declaration, table }) =>
            filledSum(operationMetrics(table, 'ThrottledRequests', declaration.id), `${declaration.id} throttled`, PERIOD),
          ),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'WAF (us-east-1): blocked and allowed',
        left: ['BlockedRequests', 'AllowedRequests'].map(
          (metricName) =>
            new cloudwatch.Metric({
              namespace: 'AWS/WAFV2',
              metricName,
              region: EDGE_REGION,
              dimensionsMap: { WebACL: props.webAclName, Rule: 'ALL' },
              statistic: cloudwatch.Stats.SUM,
              period: PERIOD,
            }),
        ),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      perOperation(
        'Per operation: traffic, latency, errors',
        'stats count(*) as requests, avg(durationMs) as avgMs, pct(durationMs, 99) as p99Ms, ' +
          'sum(strlen(errorCodes.0) > 0) as withErrors by operation | sort requests desc',
        16,
      ),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms.alarms, width: 8, height: 6 }),
    );
  }
}
