import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { requestContexts } from '../app/runtime.js';
import { loadConfig } from '../shared/config.js';
import { requireDistribution } from '../shared/origin.js';
import { traced } from '../shared/tracer.js';
import { contextOrRefusal } from './errors.js';
import { lambdaHandler } from './lambda-adapter.js';
import { rejectMalformedBody, rejectOversizedBody } from './middleware.js';
import { createServer } from './server.js';

const config = loadConfig();
const { contextFor } = requestContexts(config);

/**
 * The Lambda entry, for API Gateway HTTP API (payload v2) events with the JWT authorizer's claims; traced in X-Ray
 * as one subsegment per request, annotated with the GraphQL operation.
 */
export const handler = traced(
  lambdaHandler<APIGatewayProxyEventV2WithJWTAuthorizer, Awaited<ReturnType<typeof contextFor>>>(createServer(config), {
    middleware: [requireDistribution(config.originSecretArn), rejectOversizedBody, rejectMalformedBody],
    context: ({ event }) => contextOrRefusal(() => contextFor(event)),
  }),
);
