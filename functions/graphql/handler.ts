import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { answerExport } from '../exports/router.js';
import { loadConfig } from '../shared/config.js';
import { CursorKeyring, RotatingSecret } from '../shared/cursor-keys.js';
import { documentClient } from '../shared/dynamo.js';
import { traced } from '../shared/tracer.js';
import { createContext } from './context.js';
import { rejectMalformedBody, rejectOversizedBody } from './middleware.js';
import { requireDistribution } from './origin.js';
import { createServer } from './server.js';

const config = loadConfig();
const cursorKeys = new CursorKeyring(config.cursorKey);
/** The cell-key secret, read at run time in the cloud (cached five minutes: it changes only with a rebuild of the rollups). */
const perturbationKey = config.perturbationKeySecretArn
  ? new RotatingSecret(config.perturbationKeySecretArn, { maxAgeSeconds: 300 })
  : undefined;
const requestConfig = async () => (perturbationKey ? { ...config, perturbationKey: (await perturbationKey.values()).current } : config);

/**
 * The Lambda entry, for API Gateway HTTP API (payload v2) events with the JWT authorizer's claims; traced in X-Ray
 * as one subsegment per request, annotated with the GraphQL operation.
 */
export const handler = traced(
  startServerAndCreateLambdaHandler(
    createServer(config),
    handlers.createAPIGatewayProxyEventV2RequestHandler<APIGatewayProxyEventV2WithJWTAuthorizer>(),
    {
      // Exports (GET /exports/…) are answered before GraphQL sees the request, with the same context and rights.
      middleware: [
        requireDistribution(config.originSecretArn),
        rejectOversizedBody,
        rejectMalformedBody,
        (event) => answerExport(event, async () => createContext(event, documentClient, await requestConfig(), await cursorKeys.cursors())),
      ],
      context: async ({ event }) => createContext(event, documentClient, await requestConfig(), await cursorKeys.cursors()),
    },
  ),
);
