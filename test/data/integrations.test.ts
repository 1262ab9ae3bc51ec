import { type ChildProcess, spawn } from 'node:child_process';
import {
  CognitoIdentityProviderClient,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationCredentials } from '../../data/integrations.js';
import { integrationClientName } from '../../functions/shared/tables.js';
import { freePort } from '../../local/dynamodb-local.js';

/**
 * `npm run integration -- credentials` against Cognito's API as moto_server serves it (on loopback): the app client
 * the stack makes for an integration is found by its name, and its id and secret are read from Cognito.
 */
let moto: ChildProcess | undefined;
let cognito: CognitoIdentityProviderClient;
let userPoolId = '';

beforeAll(async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const started = Date.now();
  for (;;) {
    if (moto.exitCode !== null) throw new Error('moto_server exited: is moto (python3 -m pip install "moto[server]") installed?');
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() - started > 30_000) throw new Error('moto_server did not answer within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  userPoolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'samordning-dev' }))).UserPool?.Id ?? '';
  await cognito.send(
    new CreateResourceServerCommand({
      UserPoolId: userPoolId,
      Identifier: 'samordning',
      Name: 'Samordning GraphQL API',
      Scopes: ['api', 'read', 'write', 'publish-documents'].map((ScopeName) => ({ ScopeName, ScopeDescription: ScopeName })),
    }),
  );
  // The frontends' public client, and clients as infra/identity.ts makes them for the stage settings' integrations.
  await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'samordning-frontends', GenerateSecret: false }),
  );
  for (const name of ['nav-case-system', 'funder-analysis']) {
    await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: integrationClientName('dev', name),
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['samordning/read', 'samordning/write', 'samordning/publish-documents'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
  }
  // A client named as an integration's that is not one of the client-credentials grant.
  await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: integrationClientName('dev', 'public-app'),
      GenerateSecret: false,
    }),
  );
}, 60_000);

afterAll(() => {
  moto?.kill();
});

describe('npm run integration -- credentials', () => {
  it("finds the integration's app client by its name and reads its id, secret and scopes from Cognito", async () => {
    const found = await integrationCredentials(cognito, { userPoolId, stage: 'dev', name: 'funder-analysis' });
    expect(found.clientId).toMatch(/^\w{10,}$/);
    expect(found.clientSecret.length).toBeGreaterThan(20);
    expect(found.scopes).toEqual(['samordning/read', 'samordning/write', 'samordning/publish-documents']);
    const other = await integrationCredentials(cognito, { userPoolId, stage: 'dev', name: 'nav-case-system' });
    expect(other.clientId).not.toBe(found.clientId);
  });

  it.each([
    ['an integration the stage does not have', { name: 'nightly-export' }, 'has no app client samordning-dev-integration-nightly-export'],
    [
      'a client that is not one of the client-credentials grant',
      { name: 'public-app' },
      'is not a confidential client of the client-credentials grant',
    ],
    ['a name that is no integration name', { name: 'Funder Analysis' }, 'is not an integration'],
    ['a stage that is no stage name', { stage: 'Prod!' }, 'is not a stage name'],
  ])('refuses %s, saying so', async (_what, input, message) => {
    await expect(integrationCredentials(cognito, { userPoolId, stage: 'dev', name: 'funder-analysis', ...input })).rejects.toThrow(message);
  });
});
