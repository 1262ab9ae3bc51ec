import { grantOf, type IntegrationRecord } from '../agencies/integrations.model.js';
import type { Config } from '../shared/config.js';
import { CursorKeyring, RotatingSecret } from '../shared/cursor-keys.js';
import { documentClient } from '../shared/dynamo.js';
import { createItemLoader } from '../shared/item-loader.js';
import { TtlCache } from '../shared/ttl-cache.js';
import { type IntegrationGrant, integrationViewer, machineTokenOf, type Viewer, viewerFromClaims } from '../shared/viewer.js';
import { type Context, type ContextEvent, createContext, createRepositories } from './context.js';

/**
 * How long a container serves what the integrations registry said of a client: a change there (a registration, a
 * new role or scope, a revocation) reaches every container within this time. docs/integrations.md states it.
 */
export const INTEGRATION_CACHE_SECONDS = 60;
/** Far more clients than a stage registers (only the app clients in the authorizer's audience get this far). */
const INTEGRATION_CACHE_ENTRIES = 1000;

/**
 * What a Lambda function's cold start sets up once for every request it will serve: the cursor keyring, the
 * integrations registry's cache and, in the cloud, the perturbation secret (read at run time, cached five minutes: it
 * changes only with a rebuild of the rollups). Each request then gets its context from `contextFor`, over the one
 * DynamoDB client.
 */
export function requestContexts(config: Config): { readonly contextFor: (event: ContextEvent) => Promise<Context> } {
  const cursorKeys = new CursorKeyring(config.cursorKey);
  const perturbationKey = config.perturbationKeySecretArn
    ? new RotatingSecret(config.perturbationKeySecretArn, { maxAgeSeconds: 300 })
    : undefined;
  const requestConfig = async () => (perturbationKey ? { ...config, perturbationKey: (await perturbationKey.values()).current } : config);
  // A miss reads the registry entry through the repositories, as any read does: one BatchGetItem.
  const viewerOf = integrationViewers(async (clientId) => {
    const db = { client: documentClient, config, loader: createItemLoader(documentClient), cursors: await cursorKeys.cursors() };
    return createRepositories(db).agencies.integration(clientId);
  });
  return {
    contextFor: async (event) => {
      const [viewer, cfg, cursors] = await Promise.all([
        viewerOf(event.requestContext.authorizer?.jwt?.claims),
        requestConfig(),
        cursorKeys.cursors(),
      ]);
      return createContext(event, documentClient, cfg, cursors, viewer);
    },
  };
}

/**
 * The viewer of a request's claims. A person's token: from its groups, as always, reading nothing. An integration's
 * (a client-credentials token: no groups, `sub` = `client_id`): the registry's grant for its client, looked up once
 * per client and container in INTEGRATION_CACHE_SECONDS, unregistered and revoked clients included.
 */
export function integrationViewers(
  lookup: (clientId: string) => Promise<IntegrationRecord | undefined>,
  now?: () => number,
): (claims: Readonly<Record<string, unknown>> | undefined) => Promise<Viewer | null> {
  const grants = new TtlCache<string, IntegrationGrant | null>({
    ttlMs: INTEGRATION_CACHE_SECONDS * 1000,
    maxEntries: INTEGRATION_CACHE_ENTRIES,
    ...(now ? { now } : {}),
  });
  const load = async (clientId: string) => grantOf(await lookup(clientId));
  return async (claims) => {
    const token = machineTokenOf(claims);
    if (!token) return viewerFromClaims(claims);
    return integrationViewer(token, await grants.get(token.clientId, load));
  };
}
