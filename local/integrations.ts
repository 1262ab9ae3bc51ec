import { print } from 'graphql';
import { RegisterIntegrationDocument, type RegisterIntegrationInput } from '../client/generated/graphql.js';
import { issueToken, type KeyPair } from './auth.js';
import type { LocalClients } from './clients.js';

export interface LocalIntegration {
  readonly clientId: string;
  readonly secret: string;
}

/**
 * A local integration (`npm run integration -- create`): a client of the local issuer, and its entry in the
 * integrations registry of the running platform at `baseUrl`, registered through the API as the coordinator would
 * (validated, audited, with its change event). When the registry refuses it, the client is removed again.
 */
export async function createLocalIntegration(
  baseUrl: string,
  keys: KeyPair,
  clients: LocalClients,
  input: Omit<RegisterIntegrationInput, 'clientId'>,
): Promise<LocalIntegration> {
  const { clientId, secret } = clients.create(input.name);
  try {
    const token = await issueToken(keys, { groups: ['coordinator'], subject: 'local-integration-script', ttlSeconds: 60 });
    let response: Response;
    try {
      response = await fetch(new URL('/graphql', baseUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: print(RegisterIntegrationDocument), variables: { input: { ...input, clientId } } }),
      });
    } catch {
      throw new Error(`The platform does not answer at ${baseUrl}: start it with npm start, then run this again.`);
    }
    const answer = (await response.json()) as { errors?: { message: string; extensions?: { field?: string } }[] };
    const error = answer.errors?.[0];
    if (error) throw new Error(`The registry refused it: ${error.message}${error.extensions?.field ? ` (${error.extensions.field})` : ''}`);
    return { clientId, secret };
  } catch (error) {
    clients.remove(clientId);
    throw error;
  }
}
