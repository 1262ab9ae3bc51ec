import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requestContexts } from '../app/runtime.js';
import { loadConfig } from '../shared/config.js';
import { requireDistribution } from '../shared/origin.js';
import { traced } from '../shared/tracer.js';
import { answerExport } from './router.js';

const config = loadConfig();
const { contextFor } = requestContexts(config);
const fromDistribution = requireDistribution(config.originSecretArn);

/**
 * The exports' Lambda entry (`GET /exports/{proxy+}` on the same HTTP API and JWT authorizer as /graphql): CSV and
 * IATI files answered by the same domain queries, rights and suppression as GraphQL, from a bundle that carries no
 * GraphQL server (and a GraphQL function whose bundle carries no exports).
 */
export const handler = traced(async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
  const refused = await fromDistribution(event);
  if (refused) return refused;
  const answer = await answerExport(event, () => contextFor(event));
  return answer ?? { statusCode: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Not found.' }) };
});
