import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { loadConfig } from '../shared/config.js';
import { documentClient } from '../shared/dynamo.js';
import { createContext } from './context.js';
import { rejectMalformedBody, rejectOversizedBody } from './middleware.js';
import { createServer } from './server.js';

const config = loadConfig();

/** The Lambda entry, for API Gateway HTTP API (payload v2) events with the JWT authorizer's claims. */
export const handler = startServerAndCreateLambdaHandler(
  createServer(config),
  handlers.createAPIGatewayProxyEventV2RequestHandler<APIGatewayProxyEventV2WithJWTAuthorizer>(),
  { middleware: [rejectOversizedBody, rejectMalformedBody], context: async ({ event }) => createContext(event, documentClient, config) },
);
