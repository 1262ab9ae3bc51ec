import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { GRAPHQL_PATH } from './graphql-api.js';
import { contentSecurityPolicy, PERMISSIONS_POLICY } from './web-headers.js';

/** Paths the distribution sends to the HTTP API; everything else is the web app from S3. */
export const API_PATH_PATTERNS = [GRAPHQL_PATH, '/exports/*'] as const;

/**
 * The header the distribution adds to every request it sends to the API, with the origin secret's value; the GraphQL
 * function refuses requests without it (functions/graphql/origin.ts, ORIGIN_HEADER: test/infra/web-hosting.test.ts
 * holds the two names equal).
 */
export const ORIGIN_HEADER = 'x-samordning-origin';

/** Where the app reads its sign-in settings (written by the deployment, never part of the build). */
export const CONFIG_FILE = 'config.json';

/** Vite puts every hashed file under `assets/`; nothing else in the build may be cached for long. */
const HASHED_PREFIX = 'assets/';

/**
 * A request whose path ends in one of these extensions asks for a file; any other path is one of the app's routes
 * (`/measures/m-1.2`, `/capacity`) and gets `index.html`. Listing extensions, rather than looking for any dot, keeps
 * ids with dots in them routes. A missing file stays a 403 from S3 rather than becoming the app's page.
 */
export const STATIC_FILE_EXTENSIONS = [
  'html',
  'js',
  'mjs',
  'css',
  'map',
  'json',
  'txt',
  'xml',
  'webmanifest',
  'ico',
  'png',
  'svg',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'avif',
  'woff',
  'woff2',
  'ttf',
] as const;

/** The viewer-request function of the app's behaviour: app routes become `/index.html`. */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  if (!/\\.(${STATIC_FILE_EXTENSIONS.join('|')})$/i.test(request.uri)) {
    request.uri = '/index.html';
  }
  return request;
}
`;

/** What the app needs to sign in with Cognito's hosted UI (oidc-client-ts settings). */
export interface WebAuthConfig {
  readonly mode: 'cognito';
  /** The pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`: OIDC discovery starts there. */
  readonly authority: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  readonly scope: string;
}

export interface WebHostingProps {
  readonly stage: string;
  /** The HTTP API that `/graphql` and `/exports/*` go to. */
  readonly api: apigw.IHttpApi;
  /** The WAF web ACL (scope CLOUDFRONT) in front of everything the distribution serves. */
  readonly webAclArn: string;
  /** What the distribution sends the API in `x-samordning-origin` (a deploy-time reference to the origin secret). */
  readonly originHeaderValue: string;
  /** The built app (`npm run build:web` writes `web/dist`): a directory holding `index.html`. */
  readonly appAssetPath: string;
  /** A production stage refuses to synthesize without the built app. */
  readonly requireBuiltApp: boolean;
  /** Origins (scheme and host) the app calls besides its own: Cognito's issuer and hosted UI. */
  readonly cognitoOrigins: readonly string[];
  /** Sign-in settings for `config.json`, given the app's own URL (`https://<distribution domain>/`). */
  readonly authConfig: (appUrl: string) => WebAuthConfig;
  /** Customer-managed key for the deployment function's log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Keep the app bucket, its files and the deployment's log group when the stack is deleted (the access logs always stay). */
  readonly retain: boolean;
}

/**
 * The web app, same-origin with its API: a private S3 bucket read by CloudFront through origin access control, the
 * API behind the same distribution, and the deployment that copies the built app and its `config.json` into the
 * bucket. Same origin means no CORS, and the API's token never goes to another host.
 */
export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>/`, the app's address and its OAuth redirect URL. */
  readonly url: string;
  /** Receives the distribution's standard logs and the app bucket's server access logs. */
  readonly logBucket: s3.Bucket;
  readonly deploymentLogGroup: logs.LogGroup;
  /** The hashed files (long-lived) and the shell (`index.html`, `config.json` and the rest, revalidated). */
  readonly deployments: { readonly assets: s3deploy.BucketDeployment; readonly shell: s3deploy.BucketDeployment };

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logDays = props.logRetention;

    // CloudFront's standard logs (every viewer request, with its IP address: API Gateway sees CloudFront's) and the app
    // bucket's server access logs. CloudFront's logging needs ACLs on the bucket. Logs hold viewers' IP addresses, so
    // they expire with the stage's log retention.
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(logDays) }],
      // Kept in every stage: CloudFront may still deliver logs while the stack goes, and a bucket with objects cannot be
      // deleted. Outside prod it empties itself within the month its logs are kept; then delete it by hand.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'App', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-app/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy,
    });

    const cognitoOrigins = props.cognitoOrigins;
    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: `Samordning ${props.stage}: CSP, HSTS and friends on every response`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(cognitoOrigins), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        // The authorization code comes back in the URL: no referrer leaves the origin.
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      comment: 'App routes (paths that name no file) get /index.html',
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    // The distribution reaches the API over TLS 1.2 by its regional host name. The execute-api URL stays reachable (an
    // HTTP API can only turn it off with a custom domain of its own), but the function answers it with 403 unless the
    // request carries the origin header, which only this distribution adds (it overwrites a viewer's header of that name).
    const apiOrigin = new origins.HttpOrigin(`${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_HEADER]: props.originHeaderValue },
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      // No redirect: a POST redirected to https would arrive as a GET without its body.
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // Nothing is cached, so every viewer header but Host (the API answers to its own host name) goes to the API,
      // Authorization included: CloudFront forwards it with these two managed policies together.
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeaders,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Samordning ${props.stage}: web app and API`,
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Users are in Norway: edge locations in Europe and North America are enough, and the cheapest.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    this.deploymentLogGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy,
    });
    const deploymentRole = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Samordning ${props.stage}: copies the web app into its bucket`,
    });

    const app = this.appSource(props);
    const config = s3deploy.Source.jsonData(CONFIG_FILE, { auth: props.authConfig(this.url) });
    // The role is given without policy updates: BucketDeployment would otherwise grant wildcard actions
    // (s3:GetObject*, s3:List*, s3:DeleteObject*, s3:Abort*) and the managed AWSLambdaBasicExecutionRole.
    const common = {
      destinationBucket: this.bucket,
      role: deploymentRole.withoutPolicyUpdates(),
      logGroup: this.deploymentLogGroup,
      // A prod stack keeps its files when it is deleted (the bucket stays too); other stages clean up, so the empty
      // bucket can go with the stack.
      retainOnDelete: props.retain,
    };
    // Hashed files first, never pruned: a browser that loaded the previous index.html may still ask for its chunks.
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      ...common,
      sources: [app],
      exclude: ['*'],
      include: [`${HASHED_PREFIX}*`],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    // Then the shell, which names the chunks: browsers and CloudFront revalidate it (CACHING_OPTIMIZED's minimum TTL
    // is a second), so a deploy shows at once without an invalidation.
    const shell = new s3deploy.BucketDeployment(this, 'DeployShell', {
      ...common,
      sources: [app, config],
      exclude: [`${HASHED_PREFIX}*`],
      prune: true,
      cacheControl: [s3deploy.CacheControl.noCache()],
    });
    shell.node.addDependency(assets);
    this.deployments = { assets, shell };

    // Exactly what the copy needs: read the deployment's own source objects, list and write the app bucket, write
    // its own log group.
    const sourceObjects = [assets, shell]
      .flatMap((d) => d.node.findAll())
      .filter((c): c is s3assets.Asset => c instanceof s3assets.Asset)
      // The AWS CLI layer's code is read by Lambda itself when the layer is created, not by this role.
      .filter((asset) => !asset.node.scopes.some((c) => c instanceof lambda.LayerVersion))
      // The app is a source of both deployments: one statement resource per object.
      .filter((asset, index, all) => all.findIndex((other) => other.s3ObjectKey === asset.s3ObjectKey) === index)
      .map((asset) => asset.bucket.arnForObjects(asset.s3ObjectKey));
    const policy = new iam.Policy(this, 'DeploymentPolicy', {
      roles: [deploymentRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogGroup',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.deploymentLogGroup.logGroupArn],
        }),
        new iam.PolicyStatement({ sid: 'ReadSources', actions: ['s3:GetObject'], resources: sourceObjects }),
        new iam.PolicyStatement({ sid: 'ListAppBucket', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
        new iam.PolicyStatement({
          sid: 'WriteAppObjects',
          actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects('*')],
        }),
      ],
    });
    assets.node.addDependency(policy);
    shell.node.addDependency(policy);

    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason:
        'The deployment copies a build whose file names (hashed chunks) are known only when it runs, and prunes the files ' +
        'an earlier build left: it needs PutObject and DeleteObject on the objects of the app bucket, and only that bucket.',
    });
    this.acknowledgeDeploymentFunction();
    this.acknowledgeDistribution();
    this.acknowledgeBuckets();
  }

  /** The built app, or a placeholder page where the build is missing and may be (tests, a non-prod stage). */
  private appSource(props: WebHostingProps): s3deploy.ISource {
    const assetPath = path.resolve(props.appAssetPath);
    if (existsSync(path.join(assetPath, 'index.html'))) return s3deploy.Source.asset(assetPath);

    const missing = `The web app is not built: ${path.join(assetPath, 'index.html')} does not exist. Run "npm run build:web" (or pass -c webAssetPath=<dir with index.html>)`;
    // A synth that skips bundling (unit tests, `cdk synth --exclusively` of another stack) deploys nothing, as the
    // function's bundle is a placeholder there too.
    if (Stack.of(this).bundlingRequired) {
      if (props.requireBuiltApp) throw new Error(`${missing} before synthesizing stage "${props.stage}".`);
      Annotations.of(this).addWarningV2(
        'samordning:web-app-not-built',
        `${missing}; stage "${props.stage}" deploys a placeholder page instead.`,
      );
    }
    return s3deploy.Source.data(
      'index.html',
      '<!doctype html><html lang="en"><meta charset="utf-8"><title>Samordning</title>' +
        '<p>The web app was not built for this deployment. Run <code>npm run build:web</code> and deploy again.</p></html>',
    );
  }

  private acknowledgeDeploymentFunction(): void {
    // BucketDeployment's handler is a singleton at the stack's root, shared by both deployments.
    const stack = Stack.of(this);
    const handlers = stack.node.children.filter(
      (c): c is lambda.Function => c instanceof lambda.Function && c.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    for (const handler of handlers) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          "The runtime is that of aws-cdk-lib's BucketDeployment handler (Python with the AWS CLI layer), which the library " +
          'pins and moves forward with its releases. It runs only during a deploy, on input from this stack.',
      });
      Validations.of(handler).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason:
          'The deployment function only copies objects between two S3 buckets over TLS with SigV4 during a deploy. A VPC ' +
          'would add a gateway endpoint or NAT and no isolation that its role does not already give.',
      });
    }
  }

  private acknowledgeBuckets(): void {
    const acknowledge = (bucket: s3.Bucket, id: string, reason: string) => Validations.of(bucket).acknowledge({ id, reason });
    const guard = (rule: string) => `cdk-validator-cfnguard::${rule}`;

    // The app bucket holds the build of a commit, which every browser downloads: its content is public by design
    // (config.json too: a pool id and a public client id), and a deploy writes all of it again.
    acknowledge(
      this.bucket,
      guard('s3_bucket_default_encryption_kms_check'),
      'The bucket holds the built web app, which CloudFront serves to anyone; a KMS key would protect nothing secret and ' +
        'would need CloudFront in its key policy. Objects are encrypted with SSE-S3.',
    );
    acknowledge(
      this.bucket,
      guard('s3_bucket_versioning_enabled_check'),
      "Every deploy writes the commit's build again; a rollback is a deploy of the earlier commit. Versions would only keep " +
        'superseded builds and stop a non-prod stack from deleting its bucket.',
    );
    acknowledge(
      this.bucket,
      guard('s3_bucket_object_lock_enabled_check'),
      'Each deploy replaces and prunes the files of the previous build, which object lock would forbid.',
    );
    acknowledge(
      this.bucket,
      guard('s3_event_notifications_enabled_check'),
      'Only the deployment writes here, and nothing needs to react to it: the deploy itself is the event.',
    );

    // CloudFront's standard logs and S3 server access logs are delivered by AWS log-delivery services with their own
    // constraints on the target bucket.
    acknowledge(this.logBucket, 'AwsSolutions-S1', 'This is the access-log bucket itself; logging its access would log into itself.');
    acknowledge(
      this.logBucket,
      guard('s3_bucket_logging_enabled_check'),
      'This is the access-log bucket itself; logging its access would log into itself.',
    );
    acknowledge(
      this.logBucket,
      guard('s3_bucket_default_encryption_kms_check'),
      'S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS; the logs are encrypted with SSE-S3.',
    );
    acknowledge(
      this.logBucket,
      guard('s3_bucket_acl_prohibited_check'),
      "CloudFront's standard logging requires ACLs on its target bucket (it grants its awslogsdelivery account write " +
        "access when the distribution is created), and S3's server access logs then arrive through the LogDeliveryWrite " +
        'canned ACL. The ACLs grant only these AWS log-delivery services; public access is blocked and the bucket owner ' +
        'owns every object.',
    );
    acknowledge(
      this.logBucket,
      guard('s3_bucket_versioning_enabled_check'),
      'Log files are written once and never overwritten; they expire with the stage log retention, which versions would only delay.',
    );
    acknowledge(
      this.logBucket,
      guard('s3_bucket_object_lock_enabled_check'),
      "Access logs hold viewers' IP addresses and must expire with the stage log retention; object lock would keep them longer.",
    );
    acknowledge(
      this.logBucket,
      guard('s3_event_notifications_enabled_check'),
      'Logs are read when investigating (Athena or a download); nothing processes them as they arrive.',
    );
  }

  private acknowledgeDistribution(): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        "Agencies' staff and funders sign in from anywhere they work, travel included; every API request needs a " +
        'Cognito token, so restricting countries would block users without protecting data.',
    });
    // The four findings about the viewer certificate have one cause.
    const defaultCertificate =
      "The distribution uses CloudFront's default *.cloudfront.net certificate until a stage has a domain of its own (an " +
      'ACM certificate in us-east-1), and the default certificate takes no security policy. Current browsers negotiate ' +
      'TLS 1.2 or later with it, and HSTS keeps them on HTTPS.';
    for (const id of [
      'AwsSolutions-CFR4',
      'cdk-validator-cfnguard::cloudfront_custom_ssl_certificate_check',
      'cdk-validator-cfnguard::cloudfront_sni_enabled_check',
      'cdk-validator-cfnguard::cloudfront_security_policy_check',
    ]) {
      Validations.of(this.distribution).acknowledge({ id, reason: defaultCertificate });
    }
    Validations.of(this.distribution).acknowledge({
      id: 'cdk-validator-cfnguard::cloudfront_origin_failover_enabled_check',
      reason:
        'The stack runs in one region: a second origin would need a replicated bucket, and an origin group serves only GET ' +
        'and HEAD, so it could not cover /graphql. S3 and API Gateway are regional services with their own redundancy.',
    });
  }
}
