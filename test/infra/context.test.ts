import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { PROD_SETTINGS, resourcesOf, SKIP_BUNDLING, type Synthesized, synth } from './synth.js';

const ALARM_TOPIC = 'arn:aws:sns:eu-north-1:123456789012:ops-alarms';

/** Every key set at once, synthesized once: each synth runs both policy checks and costs seconds. */
let stagingSynth: Synthesized | undefined;
const staging = (): Synthesized =>
  (stagingSynth ??= synth('staging', {
    suppressionThreshold: '3',
    trustedDocuments: 'true',
    reservedConcurrency: '20',
    throttleRateLimit: 20,
    throttleBurstLimit: 40,
    allowedOrigins: 'https://nav.example.no,https://jd.example.no',
    callbackUrls: ['https://nav.example.no/callback'],
    logoutUrls: 'https://nav.example.no/',
    cognitoDomainPrefix: 'samordning-staging',
    alarmTopicArn: ALARM_TOPIC,
  }));

// Synthesized once, under the hook's timeout, rather than inside whichever test asks first.
beforeAll(() => {
  staging();
}, 600_000);

describe('context keys', () => {
  it('passes suppressionThreshold, trustedDocuments and reservedConcurrency to the function', () => {
    staging().template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 20,
      Environment: { Variables: Match.objectLike({ STAGE: 'staging', SUPPRESSION_THRESHOLD: '3', TRUSTED_DOCUMENTS: 'true' }) },
    });
  });

  // A synthesis of its own, with both policy checks: seconds alone, tens of them beside the other worker.
  it('turns the prod reservation off with reservedConcurrency=none', { timeout: 120_000 }, () => {
    const { template } = synth('prod', { reservedConcurrency: 'none' });
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
  });

  it('sets throttling, CORS origins, callback URLs and the domain prefix', () => {
    // Prepare, Act
    const { template } = staging();

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://nav.example.no', 'https://jd.example.no'],
        AllowHeaders: ['content-type', 'authorization', 'apollo-require-preflight'],
        AllowMethods: ['GET', 'POST', 'OPTIONS'],
        AllowCredentials: false,
        MaxAge: 3600,
      },
    });
    // Beside the stage's own web app, which comes first (web-hosting.test.ts).
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() }), 'https://nav.example.no/callback'],
      LogoutURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() }), 'https://nav.example.no/'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'samordning-staging' });
    // No CORS preflight route: API Gateway answers preflights itself, so every route (GraphQL's two and the
    // exports') still needs a token.
    expect(resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.AuthorizationType)).toEqual(['JWT', 'JWT', 'JWT']);
  });

  it('sends alarms to an existing topic instead of creating one', () => {
    const { template } = staging();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([ALARM_TOPIC]);
    }
  });

  it.each([
    [{ stage: 'Prod' }, /Context "stage"/],
    [{ suppressionThreshold: 'five' }, /Context "suppressionThreshold"/],
    [{ trustedDocuments: 'yes' }, /Context "trustedDocuments"/],
    [{ reservedConcurrency: '0' }, /Context "reservedConcurrency"/],
    [{ allowedOrigins: 'http://nav.example.no' }, /only https URLs/],
    [{ cognitoDomainPrefix: 'aws-samordning' }, /Context "cognitoDomainPrefix"/],
    [{ alarmTopicArn: 'arn:aws:sns:eu-north-1:123456789012:alarms.fifo' }, /Context "alarmTopicArn"/],
    [{ alarmSubscribers: 'ops at example.no' }, /Context "alarmSubscribers" holds "ops at example.no"/],
    [{ logRetentionDays: '100' }, /Context "logRetentionDays" must be one of/],
    [{ region: 'Stockholm' }, /Context "region"/],
    [{ waf: { ipRateLimit: 5 } }, /"ipRateLimit" in Context "waf" must be an integer from 10/],
  ])('refuses malformed context %j with the key named', (context, message) => {
    expect(() => buildApp({ context: { ...SKIP_BUNDLING, ...context } })).toThrow(message);
  });
});

describe('stage settings', () => {
  it('refuses prod with the committed settings, naming every setting that is missing', () => {
    // Prepare, Act: infra/stages/prod.json as committed, which leaves to ops what only ops know.
    const build = () => buildApp({ stage: 'prod', context: { ...SKIP_BUNDLING } });

    // Assess
    expect(build).toThrow(
      /Stage "prod" cannot be synthesized: infra\/stages\/prod\.json \(or -c\) must set callbackUrls .*; alarmSubscribers/,
    );
  });

  it.each([
    [{ callbackUrls: [] }, /must set callbackUrls \(/],
    [
      { callbackUrls: ['http://localhost:5173/callback'] },
      /callbackUrls without localhost addresses \(found http:\/\/localhost:5173\/callback\)/,
    ],
    [{ alarmSubscribers: [] }, /alarmSubscribers \(at least one e-mail address/],
    [{ logRetentionDays: 30 }, /logRetentionDays of at least 365/],
  ])('refuses prod settings with %j', (change, message) => {
    expect(() => buildApp({ stage: 'prod', settings: { ...PROD_SETTINGS, ...change }, context: { ...SKIP_BUNDLING } })).toThrow(message);
  });

  it('accepts an existing alarm topic in prod in place of subscribers', () => {
    const settings = { ...PROD_SETTINGS, alarmSubscribers: [], alarmTopicArn: ALARM_TOPIC };
    expect(() => buildApp({ stage: 'prod', settings, context: { ...SKIP_BUNDLING } }).app).not.toThrow();
  });

  it('reads a settings file named on the command line, and refuses keys it does not know', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'samordning-settings-'));
    const file = join(dir, 'prod.json');
    writeFileSync(file, JSON.stringify({ ...PROD_SETTINGS, alarmSubscribers: ['beredskap@example.no'] }));
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ ...PROD_SETTINGS, alarmSubscriber: ['x@example.no'] }));

    // Act
    const { config } = buildApp({ stage: 'prod', context: { ...SKIP_BUNDLING, stageSettingsFile: file } });

    // Assess
    expect(config.alarmSubscribers).toEqual(['beredskap@example.no']);
    expect(() => buildApp({ stage: 'prod', context: { ...SKIP_BUNDLING, stageSettingsFile: typo } })).toThrow(
      /unknown settings: alarmSubscriber/,
    );
  });

  it('commits settings for dev, test and prod, each of which the reader accepts or (prod) refuses by name', () => {
    for (const stage of ['dev', 'test']) {
      expect(buildApp({ stage, context: { ...SKIP_BUNDLING } }).config.region).toBe('eu-north-1');
    }
  });

  it('with complete settings, prod gets its subscriber, its retention and its WAF limits', () => {
    const { config } = buildApp({ stage: 'prod', settings: PROD_SETTINGS, context: { ...SKIP_BUNDLING } });
    expect(config).toMatchObject({
      alarmSubscribers: ['vakt@example.no'],
      logRetentionDays: 365,
      waf: { ipRateLimit: 3000, tokenRateLimit: 1000, windowSeconds: 300 },
      backup: true,
      breakGlassRoleName: 'samordning-prod-break-glass',
    });
  });
});
