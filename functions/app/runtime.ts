import type { Config } from '../shared/config.js';
import { CursorKeyring, RotatingSecret } from '../shared/cursor-keys.js';
import { documentClient } from '../shared/dynamo.js';
import { type Context, type ContextEvent, createContext } from './context.js';

/**
 * What a Lambda function's cold start sets up once for every request it will serve: the cursor keyring and, in the
 * cloud, the perturbation secret (read at run time, cached five minutes: it changes only with a rebuild of the rollups).
 * Each request then gets its context from `contextFor`, over the one DynamoDB client.
 */
export function requestContexts(config: Config): { readonly contextFor: (event: ContextEvent) => Promise<Context> } {
  const cursorKeys = new CursorKeyring(config.cursorKey);
  const perturbationKey = config.perturbationKeySecretArn
    ? new RotatingSecret(config.perturbationKeySecretArn, { maxAgeSeconds: 300 })
    : undefined;
  const requestConfig = async () => (perturbationKey ? { ...config, perturbationKey: (await perturbationKey.values()).current } : config);
  return {
    contextFor: async (event) => createContext(event, documentClient, await requestConfig(), await cursorKeys.cursors()),
  };
}
