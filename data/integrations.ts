import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { INTEGRATION_NAME, integrationClientName, STAGE_NAME } from '../functions/shared/tables.js';

export interface IntegrationCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The scopes the app client may ask for. */
  readonly scopes: readonly string[];
}

/**
 * The client id and secret of an integration's app client in a deployed stage (`npm run integration -- credentials
 * NAME --stage S`): the client the stack made for the stage settings' `integrations` entry NAME, found by its name in
 * the stage's pool. Refuses a client that is not a confidential client of the client-credentials grant.
 */
export async function integrationCredentials(
  cognito: Pick<CognitoIdentityProviderClient, 'send'>,
  input: { readonly userPoolId: string; readonly stage: string; readonly name: string },
): Promise<IntegrationCredentials> {
  if (!STAGE_NAME.test(input.stage)) throw new Error(`"${input.stage.slice(0, 40)}" is not a stage name.`);
  if (!INTEGRATION_NAME.test(input.name))
    throw new Error(`"${input.name.slice(0, 40)}" is not an integration's name (lower-case letters, digits and dashes, 2–40).`);
  const clientName = integrationClientName(input.stage, input.name);
  let clientId: string | undefined;
  let nextToken: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: input.userPoolId, MaxResults: 60, NextToken: nextToken }));
    clientId = page.UserPoolClients?.find((c) => c.ClientName === clientName)?.ClientId;
    nextToken = page.NextToken;
  } while (!clientId && nextToken);
  if (!clientId)
    throw new Error(
      `The pool ${input.userPoolId} has no app client ${clientName}: add "${input.name}" to the stage's integrations and deploy.`,
    );
  const client = (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: input.userPoolId, ClientId: clientId })))
    .UserPoolClient;
  if (!client?.ClientSecret || !client.AllowedOAuthFlows?.includes('client_credentials'))
    throw new Error(`The app client ${clientName} is not a confidential client of the client-credentials grant.`);
  return { clientId, clientSecret: client.ClientSecret, scopes: client.AllowedOAuthScopes ?? [] };
}
