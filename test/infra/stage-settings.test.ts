import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEB_ASSET_PATH, PROJECT_ROOT, readStageConfig, SETTING_KEYS, type StageConfig } from '../../infra/config.js';

/** Reads a stage's settings as the app does, without building a stack: `context` is what `-c` gives. */
const read = (context: Record<string, unknown>, settings?: Record<string, unknown>): StageConfig =>
  readStageConfig(new App({ context }).node, settings);

/** The whole message, so that a test pins every word ops read. */
function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

const GIVEN = 'the given stage settings';

describe('stage settings: accepted forms and defaults', () => {
  it('reads strings from -c and typed JSON values alike, and takes a blank value as unset', () => {
    // Prepare, Act
    const fromContext = read({
      stage: 'staging',
      suppressionThreshold: ' 7 ',
      trustedDocuments: 'true',
      backup: 'false',
      throttleRateLimit: '20',
      allowedOrigins: ' https://a.example.no , , https://b.example.no ',
      region: '',
    });
    const fromFile = read(
      { stage: 'staging' },
      {
        suppressionThreshold: 7,
        trustedDocuments: true,
        backup: false,
        throttleRateLimit: 20,
        allowedOrigins: ['https://a.example.no', 'https://b.example.no'],
        region: '  ',
      },
    );

    // Assess
    for (const config of [fromContext, fromFile]) {
      expect(config).toMatchObject({
        suppressionThreshold: 7,
        trustedDocuments: true,
        backup: false,
        throttleRateLimit: 20,
        allowedOrigins: ['https://a.example.no', 'https://b.example.no'],
        region: 'eu-north-1',
      });
    }
  });

  it('lets -c win over the settings file, even over a malformed value there, and takes null as unset', () => {
    const config = read(
      { stage: 'staging', region: 'eu-west-1', suppressionThreshold: null },
      { region: 'Stockholm', suppressionThreshold: 9 },
    );
    expect(config).toMatchObject({ region: 'eu-west-1', suppressionThreshold: 9 });
  });

  it('gives a stage without settings every key, with the defaults outside prod', () => {
    const config = read({ stage: 'staging' }, {});

    // toStrictEqual: the keys that hold undefined are there too, as the stack's readers expect.
    expect(config).toStrictEqual({
      stage: 'staging',
      isProd: false,
      region: 'eu-north-1',
      suppressionThreshold: 5,
      trustedDocuments: false,
      reservedConcurrency: undefined,
      throttleRateLimit: 100,
      throttleBurstLimit: 200,
      allowedOrigins: [],
      callbackUrls: ['http://localhost:5173/callback'],
      logoutUrls: ['http://localhost:5173/'],
      cognitoDomainPrefix: undefined,
      alarmTopicArn: undefined,
      alarmSubscribers: [],
      logRetentionDays: 30,
      waf: { ipRateLimit: 3000, tokenRateLimit: 1000, windowSeconds: 300 },
      backup: false,
      breakGlassRoleName: 'samordning-staging-break-glass',
      webAssetPath: DEFAULT_WEB_ASSET_PATH,
      reminderSender: undefined,
      coordinatorEmail: undefined,
      integrations: [],
    });
    expect(Object.keys(config)).toEqual(['stage', 'isProd', ...SETTING_KEYS]);
  });

  it('gives prod its own defaults: a reservation, trusted documents, backups, a year of logs and no localhost URLs', () => {
    const config = read(
      { stage: 'prod' },
      { callbackUrls: ['https://samordning.example.no/callback'], alarmSubscribers: 'vakt@example.no' },
    );
    expect(config).toMatchObject({
      isProd: true,
      reservedConcurrency: 50,
      trustedDocuments: true,
      backup: true,
      logRetentionDays: 365,
      callbackUrls: ['https://samordning.example.no/callback'],
      logoutUrls: [],
      alarmSubscribers: ['vakt@example.no'],
      breakGlassRoleName: 'samordning-prod-break-glass',
    });
  });

  it('turns the reservation off with none, fills the WAF limits not given, and resolves a relative web app path', () => {
    const config = read(
      { stage: 'prod', reservedConcurrency: 'none', webAssetPath: 'some/dist' },
      {
        callbackUrls: ['https://samordning.example.no/callback'],
        alarmSubscribers: ['vakt@example.no'],
        waf: { ipRateLimit: '20', windowSeconds: null },
      },
    );
    expect(config.reservedConcurrency).toBeUndefined();
    expect(config.waf).toEqual({ ipRateLimit: 20, tokenRateLimit: 1000, windowSeconds: 300 });
    expect(config.webAssetPath).toBe(path.resolve('some/dist'));
  });

  it('knows every key a settings file may hold', () => {
    expect(SETTING_KEYS).toEqual([
      'region',
      'suppressionThreshold',
      'trustedDocuments',
      'reservedConcurrency',
      'throttleRateLimit',
      'throttleBurstLimit',
      'allowedOrigins',
      'callbackUrls',
      'logoutUrls',
      'cognitoDomainPrefix',
      'alarmTopicArn',
      'alarmSubscribers',
      'logRetentionDays',
      'waf',
      'backup',
      'breakGlassRoleName',
      'webAssetPath',
      'reminderSender',
      'coordinatorEmail',
      'integrations',
    ]);
  });
});

describe('stage settings: refusals', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, string]>([
    [
      'an object for a scalar',
      { suppressionThreshold: { value: 3 } },
      undefined,
      'Context "suppressionThreshold" must be a string, got {"value":3}',
    ],
    ['an object for the stage', { stage: { name: 'dev' } }, undefined, 'Context "stage" must be a string, got {"name":"dev"}'],
    [
      'a number for a list',
      {},
      { allowedOrigins: 5 },
      `"allowedOrigins" in ${GIVEN} must be a comma-separated string or an array of strings, got 5`,
    ],
    [
      'a number in a list',
      { alarmSubscribers: ['vakt@example.no', 7] },
      undefined,
      'Context "alarmSubscribers" must be a comma-separated string or an array of strings, got ["vakt@example.no",7]',
    ],
    [
      'a string for the WAF limits',
      { waf: 'ipRateLimit=20' },
      undefined,
      'Context "waf" must be an object such as { "ipRateLimit": 3000, "tokenRateLimit": 1000, "windowSeconds": 300 }',
    ],
    ['an array for a WAF limit', {}, { waf: { ipRateLimit: [] } }, `"ipRateLimit" in "waf" in ${GIVEN} must be a string, got []`],
    ['a number for a flag', { backup: 1 }, undefined, 'Context "backup" must be "true" or "false", got "1"'],
    [
      'a fraction for an integer',
      { throttleBurstLimit: 5.5 },
      undefined,
      'Context "throttleBurstLimit" must be an integer from 1 to 5000, got "5.5"',
    ],
    [
      'None for none',
      { reservedConcurrency: 'None' },
      undefined,
      'Context "reservedConcurrency" must be an integer from 1 to 10000, got "None"',
    ],
    [
      'a retention out of range',
      { logRetentionDays: 5000 },
      undefined,
      'Context "logRetentionDays" must be an integer from 1 to 3653, got "5000"',
    ],
    ['a WAF window WAF does not offer', {}, { waf: { windowSeconds: 90 } }, 'waf.windowSeconds must be one of 60, 120, 300, 600, got 90'],
    [
      'a list item that is no URL',
      { callbackUrls: 'https://a.example.no/cb,not a url' },
      undefined,
      'Context "callbackUrls" holds "not a url", which is not a URL',
    ],
    ['an address that is none', { reminderSender: 'noreply' }, undefined, 'Context "reminderSender" is not an e-mail address'],
    [
      "an integration's name with a capital",
      {},
      { integrations: ['funder-analysis', 'Nav-system'] },
      `"integrations" in ${GIVEN} holds "Nav-system", which is not an integration's name (lower-case letters, digits and dashes, 2–40)`,
    ],
    [
      'an integration named twice',
      { integrations: 'funder-analysis,funder-analysis' },
      undefined,
      'Context "integrations" names an integration twice',
    ],
    [
      'a role name with a space',
      {},
      { breakGlassRoleName: 'break glass' },
      `"breakGlassRoleName" in ${GIVEN} must be an IAM role name, got "break glass"`,
    ],
  ])('refuses %s, naming the setting, where it came from and what it expects', (_, context, settings, message) => {
    expect(messageOf(() => read({ stage: 'staging', ...context }, settings))).toBe(message);
  });

  it('names every malformed setting in one message, one a line, each with where it came from', () => {
    // Prepare, Act
    const message = messageOf(() =>
      read(
        { stage: 'staging', region: 'Stockholm' },
        { suppressionThreshold: 'five', alarmSubscribers: 'ops at example.no', waf: { ipRateLimit: 5, windowSeconds: 90, burst: 1 } },
      ),
    );

    // Assess
    expect(message.split('\n')).toEqual([
      'Context "region" must be an AWS region such as eu-north-1, got "Stockholm"',
      `"suppressionThreshold" in ${GIVEN} must be an integer from 1 to 1000, got "five"`,
      `"alarmSubscribers" in ${GIVEN} holds "ops at example.no", which is not an e-mail address`,
      `"ipRateLimit" in "waf" in ${GIVEN} must be an integer from 10 to 2000000000, got "5"`,
      'waf.windowSeconds must be one of 60, 120, 300, 600, got 90',
      `"waf" in ${GIVEN} has unknown keys: burst`,
    ]);
  });

  it('names every setting prod is missing in one message', () => {
    const message = messageOf(() => read({ stage: 'prod' }, { logoutUrls: ['http://localhost:5173/'], logRetentionDays: 30 }));
    expect(message).toBe(
      `Stage "prod" cannot be synthesized: ${GIVEN} (or -c) must set ` +
        "callbackUrls (the https sign-in redirect URLs of the agencies' frontends); " +
        'logoutUrls without localhost addresses (found http://localhost:5173/); ' +
        'alarmSubscribers (at least one e-mail address that receives the alarms), or alarmTopicArn (a topic ops already watch); ' +
        'logRetentionDays of at least 365 (found 30). docs/operations.md "Stage settings" describes each key.',
    );
  });

  it('refuses unknown keys in a settings file, naming them and the known ones, and lets comment keys be', () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'samordning-settings-'));
    const commented = path.join(dir, 'commented.json');
    writeFileSync(commented, JSON.stringify({ $comment: 'why', '// region': 'Stockholm', region: 'eu-west-1' }));
    const misspelt = path.join(dir, 'misspelt.json');
    writeFileSync(misspelt, JSON.stringify({ region: 'eu-west-1', callbackURLs: [], logRetention: 30 }));

    // Act
    const config = read({ stage: 'staging', stageSettingsFile: commented });
    const message = messageOf(() => read({ stage: 'staging', stageSettingsFile: misspelt }));

    // Assess
    expect(config.region).toBe('eu-west-1');
    expect(message).toBe(
      `${path.relative(PROJECT_ROOT, misspelt)} has unknown settings: callbackURLs, logRetention (known: ${SETTING_KEYS.join(', ')})`,
    );
  });
});
