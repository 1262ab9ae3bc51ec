import { CfnOutput, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Alarms } from './alarms.js';
import { Backups } from './backups.js';
import type { StageConfig } from './config.js';
import { Coordination } from './coordination.js';
import { CursorKey } from './cursor-key.js';
import { Dashboard } from './dashboard.js';
import { EXPORTS_FUNCTION_TIMEOUT, ExportsFunction } from './exports-function.js';
import { GraphqlApi } from './graphql-api.js';
import { FUNCTION_TIMEOUT, GraphqlFunction } from './graphql-function.js';
import { API_SCOPE, Identity, ROUTE_SCOPES } from './identity.js';
import { OperationsKey } from './operations-key.js';
import { OriginSecret } from './origin-secret.js';
import { DataTables } from './tables.js';
import { WebHosting } from './web-hosting.js';

export interface SamordningStackProps extends StackProps {
  readonly config: StageConfig;
  /** The WAF web ACL (scope CLOUDFRONT, in us-east-1) of the distribution. */
  readonly webAclArn: string;
}

/** One stage of the platform: tables, the GraphQL and exports functions behind the HTTP API, Cognito, the web app, alarms. */
export class SamordningStack extends Stack {
  readonly tables: DataTables;
  readonly graphql: GraphqlFunction;
  /** CSV and IATI exports, a function of their own behind the same API and authorizer. */
  readonly exports: ExportsFunction;
  readonly cursorKey: CursorKey;
  readonly api: GraphqlApi;
  readonly identity: Identity;
  readonly alarms: Alarms;
  /** Change events (audit stream → bus) and the daily reminders. */
  readonly coordination: Coordination;
  readonly dashboard: Dashboard;
  readonly web: WebHosting;
  /** The daily backup plan, where the stage settings ask for one (prod by default). */
  readonly backups: Backups | undefined;

  constructor(scope: Construct, id: string, props: SamordningStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.isProd;
    // The stage settings hold the retention in days, checked against the values CloudWatch Logs accepts.
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    Tags.of(this).add('project', 'samordning');
    Tags.of(this).add('stage', config.stage);

    const operationsKey = new OperationsKey(this, 'OperationsKey', { retain });

    this.tables = new DataTables(this, 'Tables', { stage: config.stage, protect: config.isProd });

    this.graphql = new GraphqlFunction(this, 'Graphql', {
      stage: config.stage,
      tables: this.tables,
      suppressionThreshold: config.suppressionThreshold,
      trustedDocuments: config.trustedDocuments,
      reservedConcurrency: config.reservedConcurrency,
      logKey: operationsKey.key,
      logRetention,
      retain,
    });

    this.exports = new ExportsFunction(this, 'Exports', {
      stage: config.stage,
      tables: this.tables,
      suppressionThreshold: config.suppressionThreshold,
      perturbationKey: this.graphql.perturbationKey,
      logKey: operationsKey.key,
      logRetention,
      retain,
    });

    this.cursorKey = new CursorKey(this, 'CursorKey', { stage: config.stage, logKey: operationsKey.key, logRetention, retain });
    const originSecret = new OriginSecret(this, 'OriginSecret', { stage: config.stage, retain });
    for (const fn of [this.graphql.function, this.exports.function]) {
      this.cursorKey.grantReadTo(fn);
      originSecret.grantReadTo(fn);
    }

    // Both append audit entries: the GraphQL function with every write, the exports function with every export.
    this.tables.protectAudit({
      writerRoleArns: [this.graphql.role.roleArn, this.exports.role.roleArn],
      breakGlassRoleName: config.breakGlassRoleName,
    });
    if (config.backup) this.backups = new Backups(this, 'Backups', { stage: config.stage, tables: this.tables });

    this.identity = new Identity(this, 'Identity', {
      stage: config.stage,
      protect: config.isProd,
      callbackUrls: config.callbackUrls,
      logoutUrls: config.logoutUrls,
      domainPrefix: config.cognitoDomainPrefix,
      integrations: config.integrations,
    });

    this.api = new GraphqlApi(this, 'Http', {
      stage: config.stage,
      handler: this.graphql.function,
      exportsHandler: this.exports.function,
      issuerUrl: this.identity.issuerUrl,
      audience: [this.identity.client.userPoolClientId, ...[...this.identity.integrationClients.values()].map((c) => c.userPoolClientId)],
      requiredScopes: ROUTE_SCOPES,
      throttleRateLimit: config.throttleRateLimit,
      throttleBurstLimit: config.throttleBurstLimit,
      allowedOrigins: config.allowedOrigins,
      logKey: operationsKey.key,
      logRetention,
      retain,
    });

    // The app and the API share one origin; the app's address is the client's callback and sign-out URL.
    this.web = new WebHosting(this, 'Web', {
      stage: config.stage,
      api: this.api.api,
      webAclArn: props.webAclArn,
      originHeaderValue: originSecret.headerValue,
      appAssetPath: config.webAssetPath,
      requireBuiltApp: config.isProd,
      cognitoOrigins: [this.identity.issuerOrigin, this.identity.domain.baseUrl()],
      authConfig: (appUrl) => ({
        mode: 'cognito',
        authority: this.identity.issuerUrl,
        clientId: this.identity.client.userPoolClientId,
        redirectUri: appUrl,
        postLogoutRedirectUri: appUrl,
        scope: `openid ${API_SCOPE}`,
      }),
      logKey: operationsKey.key,
      logRetention,
      retain,
    });
    this.identity.allowApp(this.web.url);
    this.identity.allowGroupCreation(this.graphql.function);

    this.alarms = new Alarms(this, 'Alarms', {
      stage: config.stage,
      function: this.graphql.function,
      functionTimeout: FUNCTION_TIMEOUT,
      exportsFunction: this.exports.function,
      exportsFunctionTimeout: EXPORTS_FUNCTION_TIMEOUT,
      api: this.api.api,
      tables: this.tables,
      alarmTopicArn: config.alarmTopicArn,
      topicKey: operationsKey.key,
      subscribers: config.alarmSubscribers,
      reservedConcurrency: config.reservedConcurrency,
      accessLogGroup: this.api.accessLogGroup,
    });

    this.coordination = new Coordination(this, 'Coordination', {
      stage: config.stage,
      tables: this.tables,
      logKey: operationsKey.key,
      logRetention,
      retain,
      alarmTopic: this.alarms.topic,
      reminderSender: config.reminderSender,
      coordinatorEmail: config.coordinatorEmail,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      stage: config.stage,
      function: this.graphql.function,
      functionLogGroup: this.graphql.logGroup,
      exportsFunction: this.exports.function,
      reservedConcurrency: config.reservedConcurrency,
      api: this.api.api,
      tables: this.tables,
      alarms: this.alarms,
      webAclName: `samordning-${config.stage}`,
    });

    if (!config.isProd) {
      for (const logGroup of [
        this.graphql.logGroup,
        this.exports.logGroup,
        this.api.accessLogGroup,
        this.web.deploymentLogGroup,
        this.cursorKey.rotationLogGroup,
        ...this.coordination.logGroups,
      ]) {
        Validations.of(logGroup).acknowledge({
          // Control Tower CT.CLOUDWATCH.PR.2 (retention of at least a year).
          id: 'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
          reason: `Stage "${config.stage}" is not production: its logs are kept a month to limit cost and the time test data lingers. Prod keeps them a year.`,
        });
      }
    }

    new CfnOutput(this, 'WebUrl', { description: 'The web app; its /graphql is the API on the same origin', value: this.web.url });
    new CfnOutput(this, 'GraphqlUrl', { description: 'GraphQL endpoint (POST or GET)', value: this.api.graphqlUrl });
    new CfnOutput(this, 'Region', { value: this.region });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      description: 'App client for the frontends (public, code grant with PKCE)',
      value: this.identity.client.userPoolClientId,
    });
    new CfnOutput(this, 'Issuer', { description: 'JWT issuer the API accepts', value: this.identity.issuerUrl });
    new CfnOutput(this, 'CognitoDomain', {
      description: 'Hosted UI base URL (authorize, token, logout)',
      value: this.identity.domain.baseUrl(),
    });
    new CfnOutput(this, 'ApiScope', { description: "OAuth scope of a person's token (the frontends')", value: API_SCOPE });
    new CfnOutput(this, 'TokenEndpoint', {
      description: 'Where integrations get tokens by the client-credentials grant (scopes samordning/read, …/write, …/publish-documents)',
      value: `${this.identity.domain.baseUrl()}/oauth2/token`,
    });
    for (const [name, client] of this.identity.integrationClients) {
      new CfnOutput(this, `IntegrationClientId${name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}`, {
        description: `App client of the integration ${name} (its secret: npm run integration -- credentials ${name})`,
        value: client.userPoolClientId,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
