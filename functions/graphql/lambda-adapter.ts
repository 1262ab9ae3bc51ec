import { type ApolloServer, type BaseContext, type ContextFunction, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context as LambdaContext } from 'aws-lambda';
import { graphqlErrorsBody } from '../shared/error-answers.js';

/**
 * What runs before GraphQL: an answer (a refusal) ends the request there; `undefined` lets it through.
 * The same contract as @as-integrations/aws-lambda's request middleware, without its result callbacks
 * (no middleware here needs one).
 */
export type EventMiddleware<E> = (event: E) => Promise<APIGatewayProxyStructuredResultV2 | undefined>;

/**
 * API Gateway HTTP API (payload v2) events to Apollo Server and back. It does what
 * @as-integrations/aws-lambda's `createAPIGatewayProxyEventV2RequestHandler` does, request for request
 * (headers as given, the raw query string, a JSON or text body, base64 decoded), in ESM
 * over Apollo Server's own `executeHTTPGraphQLRequest`. That package is CommonJS: it `require`s
 * Apollo Server, which then loads a second time as CommonJS beside the ESM copy the rest of the code
 * imports, with @graphql-tools' CommonJS copies (about 206 KiB of the bundle that every cold start
 * compiles, docs/benchmarks.md).
 */
export function lambdaHandler<E extends APIGatewayProxyEventV2, C extends BaseContext>(
  server: ApolloServer<C>,
  options: {
    readonly middleware: readonly EventMiddleware<E>[];
    readonly context: ContextFunction<[{ event: E; context: LambdaContext }], C>;
  },
): (event: E, context: LambdaContext) => Promise<APIGatewayProxyStructuredResultV2> {
  server.startInBackgroundHandlingStartupErrorsByLoggingAndFailingAllRequests();
  return async (event, context) => {
    for (const middleware of options.middleware) {
      const refusal = await middleware(event);
      if (refusal) return refusal;
    }
    let httpGraphQLRequest: HTTPGraphQLRequest;
    try {
      httpGraphQLRequest = fromEvent(event);
    } catch {
      // Only a body that is not JSON throws here, and the middleware answers that first.
      return {
        statusCode: 400,
        headers: { 'content-type': 'application/json' },
        body: graphqlErrorsBody('The request body could not be read.', { code: 'BAD_REQUEST' }),
      };
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => options.context({ event, context }),
    });
    // Incremental delivery (@defer, @stream) is not enabled, so every body is complete.
    if (response.body.kind !== 'complete') throw new Error('Only complete response bodies are supported');
    return {
      statusCode: response.status ?? 200,
      headers: { ...Object.fromEntries(response.headers), 'content-length': Buffer.byteLength(response.body.string).toString() },
      body: response.body.string,
    };
  };
}

function fromEvent(event: APIGatewayProxyEventV2): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(event.headers ?? {})) headers.set(key, value ?? '');
  return {
    method: event.requestContext.http.method,
    headers,
    search: event.rawQueryString,
    body: bodyOf(event, headers.get('content-type')),
  };
}

function bodyOf(event: APIGatewayProxyEventV2, contentType: string | undefined): unknown {
  if (!event.body) return '';
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (contentType?.startsWith('application/json')) return JSON.parse(text);
  if (contentType?.startsWith('text/plain')) return text;
  return '';
}
