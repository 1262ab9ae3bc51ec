import { Aws, Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { integrationClientName } from '../functions/shared/tables.js';
import { ROLE_GROUPS } from './agencies.js';

/**
 * The resource server identifier and its scopes. A person's token (the frontends' code grant) carries
 * `samordning/api`; an integration's (the client-credentials grant) the custom scopes it asks for, which the
 * GraphQL function holds against the integrations registry (functions/shared/viewer.ts names the same three).
 * Every API route requires one of them.
 */
export const RESOURCE_SERVER_ID = 'samordning';
export const API_SCOPE_NAME = 'api';
export const API_SCOPE = `${RESOURCE_SERVER_ID}/${API_SCOPE_NAME}`;
export const INTEGRATION_SCOPES = [
  { name: 'read', description: 'Integrations: every query and export' },
  { name: 'write', description: 'Integrations: every mutation the role may make' },
  { name: 'publish-documents', description: "Integrations: publish an app's document versions" },
] as const;
/** What every route accepts, any one of them. */
export const ROUTE_SCOPES = [API_SCOPE, ...INTEGRATION_SCOPES.map((s) => `${RESOURCE_SERVER_ID}/${s.name}`)];

export interface IdentityProps {
  readonly stage: string;
  /** Deletion protection and RETAIN: users, their MFA devices and group memberships cannot be recreated. */
  readonly protect: boolean;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** @default `samordning-<stage>-<account id>`, unique per account and stage */
  readonly domainPrefix?: string | undefined;
  /**
   * The integrations of the stage settings: one confidential app client of the client-credentials grant each.
   * @default none
   */
  readonly integrations?: readonly string[];
}

/**
 * Who may call the API. Staff accounts are created by an administrator (no self sign-up) and sign in through the
 * hosted UI with a password and a TOTP app; the groups in their access token are their only rights (docs/permissions.md).
 */
export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** The integrations' app clients, by the name of the stage settings. */
  readonly integrationClients: ReadonlyMap<string, cognito.UserPoolClient>;
  readonly domain: cognito.UserPoolDomain;
  /** The `iss` claim of the pool's tokens. */
  readonly issuerUrl: string;
  /** `https://cognito-idp.<region>.amazonaws.com`: where OIDC discovery and the signing keys are fetched. */
  readonly issuerOrigin: string;
  /** Read when the template is written, so that URLs known only later (the web app's) can join them. */
  private readonly callbackUrls: string[];
  private readonly logoutUrls: string[];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.callbackUrls = [...props.callbackUrls];
    this.logoutUrls = [...props.logoutUrls];

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `samordning-${props.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: cognito.Mfa.REQUIRED,
      // TOTP only: SMS codes can be intercepted (SIM swap) and would need an SNS role and spending limits.
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // The Plus plan brings threat protection: sign-ins with credentials known from breaches are blocked and risky
      // sign-ins are scored. For a pool of a few hundred agency staff it costs a few dollars a month, a small price
      // for accounts that can read confidential shelter addresses. It also satisfies cdk-nag AwsSolutions-COG8.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.protect,
      removalPolicy: props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Spelled out rather than left to Cognito's defaults, so a reviewer sees what threat protection does.
    // No notifications: they would need an SES identity; blocked sign-ins show in the pool's risk metrics.
    new cognito.CfnUserPoolRiskConfigurationAttachment(this, 'ThreatProtection', {
      userPoolId: this.userPool.userPoolId,
      clientId: 'ALL',
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
      accountTakeoverRiskConfiguration: {
        actions: { highAction: { eventAction: 'BLOCK', notify: false } },
      },
    });

    // In prod everything that holds authorization outlives the stack and any replacement: the groups (and with them
    // every membership), the app client (its id is in every frontend's configuration and every token's audience), the
    // resource server (its scope is what the API requires) and the domain (the hosted UI's address in every frontend).
    const authorizationPolicy = props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    for (const group of ROLE_GROUPS) {
      const roleGroup = new cognito.UserPoolGroup(this, `Group-${group.name}`, {
        userPool: this.userPool,
        groupName: group.name,
        description: group.description,
      });
      roleGroup.applyRemovalPolicy(authorizationPolicy);
    }
    const apiScope = new cognito.ResourceServerScope({ scopeName: API_SCOPE_NAME, scopeDescription: 'Call the Samordning GraphQL API' });
    const integrationScopes = INTEGRATION_SCOPES.map(
      (s) => new cognito.ResourceServerScope({ scopeName: s.name, scopeDescription: s.description }),
    );
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Samordning GraphQL API',
      scopes: [apiScope, ...integrationScopes],
    });
    resourceServer.applyRemovalPolicy(authorizationPolicy);

    this.client = this.userPool.addClient('FrontendClient', {
      userPoolClientName: 'samordning-frontends',
      // A browser app cannot keep a secret; PKCE protects its authorization code instead. Cognito verifies PKCE
      // whenever the client sends a code_challenge but has no setting to demand one, so the frontends must send it.
      generateSecret: false,
      // Sign-in goes through the hosted UI. SRP is left on for SDK-based sign-in, but its tokens carry no
      // samordning/api scope, so the API refuses them: the code grant is the only way to an API token.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.resourceServer(resourceServer, apiScope)],
        callbackUrls: Lazy.list({ produce: () => this.callbackUrls }),
        logoutUrls: Lazy.list({ produce: () => this.logoutUrls }),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // One working day: a stolen refresh token dies overnight, and staff sign in again each morning.
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    this.client.applyRemovalPolicy(authorizationPolicy);

    // One confidential client per integration. Its id is what the integrations registry grants rights to, and what
    // API Gateway's authorizer must know as an audience (a client-credentials token has no `aud`, only `client_id`).
    const clients = new Map<string, cognito.UserPoolClient>();
    for (const name of props.integrations ?? []) {
      const client = this.userPool.addClient(`Integration-${name}`, {
        userPoolClientName: integrationClientName(props.stage, name),
        // The secret never leaves Cognito but to an operator who may describe the client (npm run integration -- credentials).
        generateSecret: true,
        // No person signs in through it: with one flow named (and false), CDK leaves only ALLOW_REFRESH_TOKEN_AUTH,
        // which a client of the client-credentials grant never uses (it gets no refresh token).
        authFlows: { userSrp: false },
        oAuth: {
          flows: { clientCredentials: true },
          // Every platform scope it may ask for: the registry decides which of them its tokens hold.
          scopes: integrationScopes.map((scope) => cognito.OAuthScope.resourceServer(resourceServer, scope)),
        },
        supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
        accessTokenValidity: Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
      client.applyRemovalPolicy(authorizationPolicy);
      clients.set(name, client);
    }
    this.integrationClients = clients;

    // The authorization code grant needs the hosted UI, hence a domain. The default prefix carries the account id
    // because prefixes are unique per region across all of AWS.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `samordning-${props.stage}-${Aws.ACCOUNT_ID}` },
    });
    this.domain.applyRemovalPolicy(authorizationPolicy);

    // ProviderName is `cognito-idp.<region>.amazonaws.com/<pool id>`, the `iss` claim without its scheme.
    this.issuerUrl = `https://${this.userPool.userPoolProviderName}`;
    this.issuerOrigin = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`;
  }

  /**
   * Lets a function create the `agency:<id>` group of an agency it creates, in this pool and no other: GetGroup to
   * see whether it exists, CreateGroup to make it. The pool id reaches it as `USER_POOL_ID`.
   */
  allowGroupCreation(fn: lambda.Function): void {
    fn.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CreateAgencyGroupsInOwnPool',
        actions: ['cognito-idp:GetGroup', 'cognito-idp:CreateGroup'],
        resources: [this.userPool.userPoolArn],
      }),
    );
  }

  /**
   * Lets the app at `url` sign in and out: its address becomes a callback and a sign-out URL, first in each list.
   * The web app's distribution is created after the API, which needs this client, hence after the client.
   */
  allowApp(url: string): void {
    this.callbackUrls.unshift(url);
    this.logoutUrls.unshift(url);
  }
}
