import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { resourcesOf, SKIP_BUNDLING, type Synthesized, synth } from './synth.js';

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
    extraAgencies: 'politiet, kripos',
    alarmTopicArn: ALARM_TOPIC,
  }));

// Synthesized once, under the hook's timeout, rather than inside whichever test asks first.
beforeAll(() => {
  staging();
});

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

  it('sets throttling, CORS origins, callback URLs, the domain prefix and extra agency groups', () => {
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
    const groups = resourcesOf(template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups).toEqual(expect.arrayContaining(['agency:politiet', 'agency:kripos', 'agency:nav']));
    // No CORS preflight route: API Gateway answers preflights itself, so every route still needs a token.
    expect(resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.AuthorizationType)).toEqual(['JWT', 'JWT']);
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
    [{ extraAgencies: 'Politiet' }, /Agency id "Politiet"/],
  ])('refuses malformed context %j with the key named', (context, message) => {
    expect(() => buildApp({ context: { ...SKIP_BUNDLING, ...context } })).toThrow(message);
  });
});
