import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const GRAPHQL_PATH = '/graphql';
/** CSV and IATI exports: `/exports/{dataset}.csv` and `/exports/iati-activities/{planId}.xml`, answered by the exports function. */
export const EXPORTS_PATH = '/exports/{proxy+}';

/**
 * One JSON object per request: who (source IP), what (route), how it went (status, latencies, errors).
 * Deliberately absent: the query string and body (GraphQL variables may hold anything a user typed),
 * headers (the Authorization header is a bearer token), and token claims.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
} as const;

export interface GraphqlApiProps {
  readonly stage: string;
  readonly handler: lambda.IFunction;
  /** The exports function, behind `GET /exports/{proxy+}`. */
  readonly exportsHandler: lambda.IFunction;
  /** The JWT issuer, `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  readonly issuerUrl: string;
  /** App client ids (the frontends' and each integration's): API Gateway compares them with an access token's `client_id` claim. */
  readonly audience: readonly string[];
  /** OAuth scopes of which every route requires one: `samordning/api` (people) and the integrations' custom scopes. */
  readonly requiredScopes: readonly string[];
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly allowedOrigins: readonly string[];
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly retain: boolean;
}

/** The HTTP API in front of the GraphQL and exports functions: JWT authorizer on every route, throttling and access logs. */
export class GraphqlApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogGroup: logs.LogGroup;
  /** The GraphQL endpoint clients call. */
  readonly graphqlUrl: string;

  constructor(scope: Construct, id: string, props: GraphqlApiProps) {
    super(scope, id);

    const authorizer = new HttpJwtAuthorizer('CognitoJwt', props.issuerUrl, {
      authorizerName: 'cognito-jwt',
      jwtAudience: [...props.audience],
    });

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `samordning-${props.stage}`,
      description: `Samordning ${props.stage}: GraphQL over HTTPS`,
      // The default stage cannot be given throttling or access logs through HttpApi, so the stack creates its own.
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      defaultAuthorizationScopes: [...props.requiredScopes],
      // Browsers send the preflight without a token; API Gateway answers it itself when CORS is configured, so no
      // OPTIONS route (and no unauthenticated route) is needed. With no origins configured there is no CORS at all.
      ...(props.allowedOrigins.length === 0
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...props.allowedOrigins],
              allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.OPTIONS],
              // apollo-require-preflight is how Apollo's CSRF prevention lets a browser GET through.
              allowHeaders: ['content-type', 'authorization', 'apollo-require-preflight'],
              // Bearer tokens, not cookies: credentials mode stays off.
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
          }),
    });

    const integration = new HttpLambdaIntegration('Graphql', props.handler, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    this.api.addRoutes({
      path: GRAPHQL_PATH,
      // POST for every operation; GET for queries that clients want cacheable (Apollo refuses mutations over GET).
      methods: [apigw.HttpMethod.POST, apigw.HttpMethod.GET],
      integration,
    });
    // Exports: GET only, on a function of their own, with the same authorizer and scopes (the API's defaults) as /graphql.
    this.api.addRoutes({
      path: EXPORTS_PATH,
      methods: [apigw.HttpMethod.GET],
      integration: new HttpLambdaIntegration('Exports', props.exportsHandler, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
    });

    // Control Tower CT.LAMBDA.PR.2. Each route's invoke permission is for apigateway.amazonaws.com with SourceArn
    // `arn:<partition>:execute-api:<region>:<account>:<this api>/*/*/graphql`: not public. The rule accepts only a
    // literal string or a plain Ref/GetAtt as SourceArn, and an ARN built with Fn::Join is neither.
    for (const permission of this.api.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
      Validations.of(permission).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
        reason:
          'Invoke permission for API Gateway limited by SourceArn to this HTTP API and its /graphql and /exports routes; the rule cannot ' +
          'evaluate an ARN assembled with Fn::Join from the partition, region, account and API id.',
      });
    }

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    this.graphqlUrl = `${this.api.apiEndpoint}${GRAPHQL_PATH}`;
  }
}
