import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_HEADER as CHECKED_HEADER } from '../../functions/shared/origin.js';
import { EDGE_REGION } from '../../infra/edge.js';
import { API_SCOPE } from '../../infra/identity.js';
import { PLOT_STYLE_HASHES } from '../../infra/web-headers.js';
import {
  API_PATH_PATTERNS,
  CONFIG_FILE,
  ORIGIN_HEADER,
  SPA_FALLBACK_CODE,
  WebHosting,
  type WebHostingProps,
} from '../../infra/web-hosting.js';
import { type CfnResource, defaultTemplate, PROD_SETTINGS, resourcesOf, type Synthesized, synth } from './synth.js';

/** A directory standing in for `web/dist`, as `npm run build:web` leaves it. */
function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samordning-web-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Samordning</title><script type="module" src="/assets/index-abc123.js"></script>',
  );
  return dir;
}

// prod with a built app, as `cdk synth -c stage=prod` after `npm run build:web`; dev with none (a clean clone).
let prodSynth: Synthesized | undefined;
const prod = (): Synthesized => (prodSynth ??= synth('prod', { webAssetPath: builtApp() }));
const dev = () => ({ template: defaultTemplate('dev') });

// Synthesis runs both policy checks and takes seconds, tens of them beside the other worker: once, under the hook's timeout.
beforeAll(() => {
  prod();
  dev();
}, 600_000);

/** The logical id of the one resource of a type whose properties match. */
function logicalIdOf(template: Template, type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

interface CacheBehavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods?: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: unknown;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}
interface DistributionConfig {
  DefaultCacheBehavior: CacheBehavior;
  CacheBehaviors: CacheBehavior[];
  Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; CustomOriginConfig?: Record<string, unknown> }[];
  CustomErrorResponses?: unknown[];
  DefaultRootObject?: string;
}

function distributionOf(template: Template): { id: string; config: DistributionConfig } {
  const [[id, distribution] = []] = resourcesOf(template, 'AWS::CloudFront::Distribution');
  expect(resourcesOf(template, 'AWS::CloudFront::Distribution')).toHaveLength(1);
  return { id: id as string, config: distribution?.Properties.DistributionConfig as DistributionConfig };
}

interface HeadersConfig {
  SecurityHeadersConfig: {
    ContentSecurityPolicy: { ContentSecurityPolicy: unknown };
    StrictTransportSecurity: { AccessControlMaxAgeSec: number };
  };
}

function headersConfigOf(template: Template): HeadersConfig {
  const policies = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy');
  expect(policies).toHaveLength(1);
  const [[, policy]] = policies as [[string, CfnResource]];
  return policy.Properties.ResponseHeadersPolicyConfig as HeadersConfig;
}

/** A string, or an Fn::Join of strings and references, as text with `<Ref>` for each reference. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flatten).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (ref !== undefined) return `<${ref}>`;
  return `<${JSON.stringify(value)}>`;
}

const APP_BUCKET = { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } };
const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];

describe('the app bucket', () => {
  it('is private: public access blocked, TLS enforced, read only by this distribution through origin access control', () => {
    // Prepare
    const { template } = prod();
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', APP_BUCKET);
    const { id: distribution } = distributionOf(template);

    // Act, Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      ...APP_BUCKET,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      WebsiteConfiguration: Match.absent(),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: {
              StringEquals: {
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([':distribution/', { Ref: distribution }])],
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it('is the S3 origin, signed with origin access control (no origin access identity, no website endpoint)', () => {
    // Prepare
    const { template } = prod();
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', APP_BUCKET);
    const oac = logicalIdOf(template, 'AWS::CloudFront::OriginAccessControl', {});

    // Act
    const { config } = distributionOf(template);

    // Assess
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    const s3Origin = config.Origins.find((o) => JSON.stringify(o.DomainName).includes(bucket));
    expect(s3Origin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [bucket, 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe((s3Origin as { Id: string }).Id);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });
});

describe('the distribution', () => {
  it('serves the app over HTTPS only: plain HTTP is redirected for pages and refused for the API', () => {
    // Prepare, Act
    const { config } = distributionOf(prod().template);

    // Assess
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultRootObject).toBe('index.html');
    for (const behavior of config.CacheBehaviors) expect(behavior.ViewerProtocolPolicy).toBe('https-only');
  });

  it('puts a strict CSP, HSTS, frame-ancestors none and nosniff on every response, pages and API alike', () => {
    // Prepare
    const { template } = prod();
    const policy = logicalIdOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', {});
    const { config } = distributionOf(template);
    // Act: the Cognito hosts are tokens (region, domain prefix), joined into the header's value.
    const { SecurityHeadersConfig: security } = headersConfigOf(template);
    const directives = flatten(security.ContentSecurityPolicy.ContentSecurityPolicy);

    // Assess
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: Match.anyValue(), IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(directives).toContain("default-src 'self'");
    expect(directives).toContain("script-src 'self';");
    // Inline styles: only Observable Plot's two style elements, by hash.
    expect(directives).toContain(`style-src 'self' ${PLOT_STYLE_HASHES.map((h) => `'${h}'`).join(' ')};`);
    expect(directives).toContain("frame-ancestors 'none'");
    expect(directives).toContain("object-src 'none'");
    expect(directives).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // oidc-client-ts calls the issuer's host (discovery, keys) and the hosted UI's (token endpoint).
    expect(directives).toContain("connect-src 'self' https://cognito-idp.<AWS::Region>.<AWS::URLSuffix> https://<IdentityUserPoolDomain");
    // The hosted UI's host names the stack's region, which the stage settings fix.
    expect(directives).toMatch(/\.auth\.eu-north-1\.amazoncognito\.com;/);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policy });
    }
  });

  it('falls back to index.html for app routes only: a viewer-request function on the app behaviour, no error pages', () => {
    // Prepare
    const { template } = prod();
    const fn = logicalIdOf(template, 'AWS::CloudFront::Function', { FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });

    // Act
    const { config } = distributionOf(template);

    // Assess
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn, 'FunctionARN'] } },
    ]);
    // Error responses would apply to every behaviour and turn the API's 401 and 403 into the app's page.
    expect(config.CustomErrorResponses).toBeUndefined();
    for (const behavior of config.CacheBehaviors) expect(behavior.FunctionAssociations).toBeUndefined();
    template.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: SPA_FALLBACK_CODE });
  });

  it.each([
    ['/', '/index.html'],
    ['/measures/m-1.2', '/index.html'],
    ['/agencies/nav', '/index.html'],
    ['/capacity', '/index.html'],
    ['/audit/MEASURE%23m-12', '/index.html'],
    ['/assets/index-abc123.js', '/assets/index-abc123.js'],
    ['/assets/index-abc123.css', '/assets/index-abc123.css'],
    ['/config.json', '/config.json'],
    ['/favicon.ico', '/favicon.ico'],
    ['/index.html', '/index.html'],
  ])('the fallback function sends %s to %s', (uri, expected) => {
    // Prepare: CloudFront's JS 2.0 runtime runs a plain `handler` function, as Node does.
    const handler = new Function(`${SPA_FALLBACK_CODE}\nreturn handler;`)() as (event: unknown) => { uri: string };

    // Act
    const request = handler({ request: { uri, method: 'GET', headers: {}, querystring: {} } });

    // Assess
    expect(request.uri).toBe(expected);
  });

  it.each(API_PATH_PATTERNS.map((p) => [p]))(
    'sends %s to the HTTP API: no caching, every viewer header but Host, every method',
    (pattern) => {
      // Prepare
      const { template } = prod();
      const api = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', {});
      const { config } = distributionOf(template);

      // Act
      const behavior = config.CacheBehaviors.find((b) => b.PathPattern === pattern);
      const origin = config.Origins.find((o) => o.Id === behavior?.TargetOriginId);

      // Assess
      expect(behavior).toMatchObject({
        CachePolicyId: cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId,
        OriginRequestPolicyId: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        ViewerProtocolPolicy: 'https-only',
      });
      expect([...(behavior?.AllowedMethods ?? [])].sort()).toEqual([...ALL_METHODS].sort());
      expect(origin).toMatchObject({
        DomainName: { 'Fn::Join': ['', [{ Ref: api }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      });
    },
  );

  it('routes exactly /graphql and /exports/* to the API, everything else to the app', () => {
    const { config } = distributionOf(prod().template);
    expect(config.CacheBehaviors.map((b) => b.PathPattern).sort()).toEqual(['/exports/*', '/graphql']);
  });

  it('logs viewer requests to the access-log bucket', () => {
    // Prepare
    const { template } = prod();
    const logBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
    });

    // Act, Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: { Bucket: { 'Fn::GetAtt': [logBucket, 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, Status: 'Enabled' })] },
    });
  });
});

describe('the edge: WAF in front of the distribution', () => {
  it('puts a web ACL of scope CLOUDFRONT, in a stack of its own in us-east-1, on the distribution', () => {
    // Prepare
    const { edge, stack, template } = prod();
    const edgeTemplate = Template.fromStack(edge);
    const [[aclId] = []] = resourcesOf(edgeTemplate, 'AWS::WAFv2::WebACL');

    // Act, Assess
    expect(edge.region).toBe(EDGE_REGION);
    expect(stack.region).toBe('eu-north-1');
    edgeTemplate.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    // A cross-region reference that CloudFormation resolves itself (no custom resource).
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: {
          'Fn::GetStackOutput': { StackName: edge.stackName, Region: EDGE_REGION, OutputName: Match.stringLikeRegexp(`${aclId}Arn`) },
        },
      }),
    });
  });

  it('blocks by the managed rule groups (IP reputation, common, known bad inputs) and per IP and per token', () => {
    // Prepare
    const edgeTemplate = Template.fromStack(prod().edge);

    // Act
    const [[, acl] = []] = resourcesOf(edgeTemplate, 'AWS::WAFv2::WebACL');
    const rules = acl?.Properties.Rules as { Name: string; Priority: number; Statement: Record<string, Record<string, unknown>> }[];

    // Assess
    expect(rules.map((r) => [r.Priority, r.Name])).toEqual([
      [0, 'AWSManagedRulesAmazonIpReputationList'],
      [1, 'AWSManagedRulesCommonRuleSet'],
      [2, 'AWSManagedRulesKnownBadInputsRuleSet'],
      [3, 'rate-per-ip'],
      [4, 'rate-per-token'],
    ]);
    // The API bounds bodies itself (413); the common set's 8 KB body rule only counts.
    expect(rules[1]?.Statement.ManagedRuleGroupStatement?.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    expect(rules[3]?.Statement.RateBasedStatement).toEqual({ AggregateKeyType: 'IP', Limit: 3000, EvaluationWindowSec: 300 });
    expect(rules[4]?.Statement.RateBasedStatement).toEqual({
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
      Limit: 1000,
      EvaluationWindowSec: 300,
    });
  });

  it('sends the API the origin header from the origin secret, the header the function requires', () => {
    // Prepare
    const { template } = prod();
    const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp(ORIGIN_HEADER) });

    // Act
    const [[, distribution] = []] = resourcesOf(template, 'AWS::CloudFront::Distribution');
    const config = distribution?.Properties.DistributionConfig as { Origins: { Id: string; OriginCustomHeaders?: unknown }[] } | undefined;
    const origins = config?.Origins ?? [];

    // Assess
    expect(CHECKED_HEADER).toBe(ORIGIN_HEADER);
    expect(origins.map((o) => o.OriginCustomHeaders).filter(Boolean)).toEqual([
      [
        {
          HeaderName: ORIGIN_HEADER,
          HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
        },
      ],
    ]);
  });
});

describe('deleting a stack', () => {
  it('keeps both buckets and the deployed files in prod; elsewhere the app goes with the stack and the access logs stay', () => {
    for (const [synthesized, retain] of [
      [prod(), true],
      [dev(), false],
    ] as const) {
      // Prepare
      const { template } = synthesized;
      const logBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      });
      const appBucket = logicalIdOf(template, 'AWS::S3::Bucket', APP_BUCKET);

      // Act
      const resources = template.toJSON().Resources as Record<string, CfnResource>;

      // Assess
      expect(resources[logBucket]?.DeletionPolicy).toBe('Retain');
      expect(resources[appBucket]?.DeletionPolicy).toBe(retain ? 'Retain' : 'Delete');
      for (const [, deployment] of resourcesOf(template, 'Custom::CDKBucketDeployment')) {
        expect(deployment.Properties.RetainOnDelete).toBe(retain);
      }
    }
  });
});

describe('sign-in', () => {
  const appUrl = (distribution: string) => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/']] });

  it("makes the app's URL the client's first callback and sign-out URL; prod adds only its settings' https URLs", () => {
    const { template } = prod();
    const { id } = distributionOf(template);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [appUrl(id), ...PROD_SETTINGS.callbackUrls],
      LogoutURLs: [appUrl(id), ...PROD_SETTINGS.logoutUrls],
    });
  });

  it('keeps the local dev server beside the app outside prod', () => {
    const { template } = dev();
    const { id } = distributionOf(template);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [appUrl(id), 'http://localhost:5173/callback'],
      LogoutURLs: [appUrl(id), 'http://localhost:5173/'],
    });
  });

  it("writes config.json with the pool's issuer, the client id, the app's URL and the API scope", () => {
    // Prepare
    const { template, outdir } = prod();
    const pool = logicalIdOf(template, 'AWS::Cognito::UserPool', {});
    const client = logicalIdOf(template, 'AWS::Cognito::UserPoolClient', { GenerateSecret: false });
    const { id: distribution } = distributionOf(template);
    const [[, shell] = []] = resourcesOf(template, 'Custom::CDKBucketDeployment').filter(([, d]) => d.Properties.Prune === true);
    const props = shell?.Properties as { SourceObjectKeys: string[]; SourceMarkers: Record<string, unknown>[] };

    // Act: the deployment replaces each marker in the staged file with the value CloudFormation resolves.
    const [configKey, markers] = props.SourceObjectKeys.map((key, i) => [key, props.SourceMarkers[i] ?? {}] as const).find(
      ([, m]) => Object.keys(m).length > 0,
    ) ?? ['', {}];
    const staged = readFileSync(join(outdir, `asset.${configKey.replace(/\.zip$/, '')}`, CONFIG_FILE), 'utf8');
    const config = JSON.parse(staged) as { auth: Record<string, string> };
    const resolve = (text: string | undefined): unknown[] =>
      (text ?? '')
        .split(/(<<marker:0xbaba:\d+>>)/)
        .filter((part) => part !== '')
        .map((part) => markers[part] ?? part);

    // Assess
    expect(Object.keys(config.auth).sort()).toEqual(['authority', 'clientId', 'mode', 'postLogoutRedirectUri', 'redirectUri', 'scope']);
    expect(config.auth.mode).toBe('cognito');
    expect(resolve(config.auth.authority)).toEqual(['https://', { 'Fn::GetAtt': [pool, 'ProviderName'] }]);
    expect(resolve(config.auth.clientId)).toEqual([{ Ref: client }]);
    for (const key of ['redirectUri', 'postLogoutRedirectUri']) {
      expect(resolve(config.auth[key])).toEqual(['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/']);
    }
    expect(config.auth.scope).toBe(`openid ${API_SCOPE}`);
    expect(config.auth.scope).toBe('openid samordning/api');
  });
});

describe('the deployment', () => {
  it('copies hashed files to stay, then the shell with config.json, pruning what the last build left', () => {
    // Prepare
    const { template } = prod();
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', APP_BUCKET);

    // Act
    const deployments = resourcesOf(template, 'Custom::CDKBucketDeployment');

    // Assess
    expect(deployments).toHaveLength(2);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucket },
      Include: ['assets/*'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucket },
      Exclude: ['assets/*'],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
      SourceObjectKeys: Match.arrayWith([Match.stringLikeRegexp('\\.zip$'), Match.stringLikeRegexp('\\.zip$')]),
    });
    const [[shellId] = [], [assetsId] = []] = [...deployments].sort(([, a]) => (a.Properties.Prune ? -1 : 1));
    expect(template.toJSON().Resources[shellId as string].DependsOn).toEqual(expect.arrayContaining([assetsId]));
  });

  it('runs with a role of its own: no managed policy, no wildcard action, writes only the app bucket and its log group', () => {
    // Prepare
    const { template } = prod();
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', APP_BUCKET);

    // Act
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('WebDeploymentPolicy'));
    expect(policies).toHaveLength(1);
    const [[, policy]] = policies as [[string, CfnResource]];
    const statements = (policy.Properties.PolicyDocument as { Statement: { Sid: string; Action: string | string[]; Resource: unknown }[] })
      .Statement;
    const roles = resourcesOf(template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('WebDeploymentRole'));

    // Assess
    expect(roles).toHaveLength(1);
    expect(policy.Properties.Roles).toEqual([{ Ref: roles[0]?.[0] }]);
    expect(roles[0]?.[1].Properties.ManagedPolicyArns).toBeUndefined();
    expect(
      resourcesOf(template, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes('WebDeploymentRole')),
    ).toHaveLength(1);
    expect(Object.fromEntries(statements.map((s) => [s.Sid, s.Action]))).toEqual({
      WriteOwnLogGroup: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ReadSources: 's3:GetObject',
      ListAppBucket: 's3:ListBucket',
      // Sorted: the recommended feature flag @aws-cdk/aws-iam:minimizePolicies orders a statement's actions.
      WriteAppObjects: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'],
    });
    expect(statements.find((s) => s.Sid === 'WriteAppObjects')?.Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']],
    });
    expect(statements.find((s) => s.Sid === 'WriteOwnLogGroup')?.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^WebDeploymentLogs/), 'Arn'],
    });
    // The deployment's own source objects by key, not the whole asset bucket.
    expect(JSON.stringify(statements.find((s) => s.Sid === 'ReadSources')?.Resource)).toMatch(/\/[0-9a-f]{64}\.zip"/);
    expect(JSON.stringify(statements.find((s) => s.Sid === 'ReadSources')?.Resource)).not.toContain('*"');
  });
});

describe('the built app', () => {
  /** A stack with only the web hosting: no function to bundle, so a test can ask for bundling. */
  function hostingStack(options: { stage: string; requireBuiltApp: boolean; appAssetPath: string; bundling: boolean }) {
    const app = new App({ context: options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Hosting');
    const props: WebHostingProps = {
      stage: options.stage,
      api: apigw.HttpApi.fromHttpApiAttributes(stack, 'Api', { httpApiId: 'abc123' }),
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/samordning/0000',
      originHeaderValue: 'origin-secret',
      appAssetPath: options.appAssetPath,
      requireBuiltApp: options.requireBuiltApp,
      cognitoOrigins: ['https://cognito-idp.eu-north-1.amazonaws.com'],
      authConfig: (appUrl) => ({
        mode: 'cognito',
        authority: 'https://cognito-idp.eu-north-1.amazonaws.com/pool',
        clientId: 'client',
        redirectUri: appUrl,
        postLogoutRedirectUri: appUrl,
        scope: `openid ${API_SCOPE}`,
      }),
      logKey: new kms.Key(stack, 'Key'),
      logRetention: logs.RetentionDays.ONE_MONTH,
      retain: false,
    };
    return { stack, build: () => new WebHosting(stack, 'Web', props) };
  }
  const missing = join(tmpdir(), 'samordning-no-such-build');

  it('refuses to synthesize prod without the build, naming the path and the command', () => {
    const { build } = hostingStack({ stage: 'prod', requireBuiltApp: true, appAssetPath: missing, bundling: true });
    expect(build).toThrow(/samordning-no-such-build.*index\.html.*npm run build:web/);
  });

  it('deploys a placeholder page outside prod, with a warning at synth', () => {
    // Prepare
    const { stack, build } = hostingStack({ stage: 'dev', requireBuiltApp: false, appAssetPath: missing, bundling: true });

    // Act
    build();

    // Assess
    Annotations.fromStack(stack).hasWarning('/Hosting/Web', Match.stringLikeRegexp('npm run build:web.*placeholder'));
    Template.fromStack(stack).resourceCountIs('Custom::CDKBucketDeployment', 2);
  });

  it('needs no build where the synth bundles nothing (unit tests), in prod too', () => {
    const { stack, build } = hostingStack({ stage: 'prod', requireBuiltApp: true, appAssetPath: missing, bundling: false });
    expect(build).not.toThrow();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});
