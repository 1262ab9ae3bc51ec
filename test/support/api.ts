import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { print } from 'graphql';
import type { Handler } from './environment.js';

/** Who sends a request: the groups of the token, or no token at all. */
export type Caller =
  | { readonly groups: readonly string[]; readonly subject?: string; readonly extraClaims?: Record<string, string> }
  | 'anonymous';

export const as = {
  coordinator: { groups: ['coordinator'], subject: 'user-coordinator' },
  nav: { groups: ['agency:nav'], subject: 'user-nav' },
  otherAgency: { groups: ['agency:kirkens-bymisjon'], subject: 'user-kirkens-bymisjon' },
  funder: { groups: ['funder'], subject: 'user-funder' },
  viewer: { groups: ['viewer'], subject: 'user-viewer' },
  anonymous: 'anonymous',
} as const satisfies Record<string, Caller>;

/**
 * An API Gateway HTTP API (v2) event as the JWT authorizer passes it on: claims are strings, the
 * groups array flattened to "[a b]".
 */
export function apiEvent(
  caller: Caller,
  request: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string>; rawQueryString?: string },
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = request.method ?? 'POST';
  const claims =
    caller === 'anonymous'
      ? undefined
      : {
          sub: caller.subject ?? `user-${caller.groups.join('-')}`,
          'cognito:groups': `[${caller.groups.join(' ')}]`,
          client_id: 'test-client',
          token_use: 'access',
          scope: 'samordning/api',
          ...caller.extraClaims,
        };
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} /graphql`,
    rawPath: '/graphql',
    rawQueryString: request.rawQueryString ?? '',
    headers: { 'content-type': 'application/json', host: 'api.test', ...request.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: ['samordning/api'] } } } : {}),
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method, path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${method} /graphql`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const lambdaContext = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

export interface GraphQLResponse<T> {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly data?: T | null;
  readonly errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  readonly raw: string;
}

/** Sends a raw request through the handler and parses what it answers. */
export async function send<T = Record<string, unknown>>(
  handler: Handler,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<GraphQLResponse<T>> {
  const result = await handler(event, lambdaContext);
  const raw = result.body ?? '';
  let parsed: { data?: T | null; errors?: GraphQLResponse<T>['errors'] } = {};
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    // Not JSON: the test looks at `raw`.
  }
  return { status: result.statusCode ?? 200, headers: result.headers ?? {}, ...parsed, raw };
}

/** Runs a typed document as a caller through the Lambda handler, as API Gateway would invoke it. */
export function execute<TResult, TVariables>(
  handler: Handler,
  caller: Caller,
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
): Promise<GraphQLResponse<TResult>> {
  return send<TResult>(handler, apiEvent(caller, { body: JSON.stringify({ query: print(document), variables }) }));
}

/** Runs a document given as text. */
export function executeText<T = Record<string, unknown>>(
  handler: Handler,
  caller: Caller,
  query: string,
  variables?: Record<string, unknown>,
) {
  return send<T>(handler, apiEvent(caller, { body: JSON.stringify({ query, variables }) }));
}

/** A GET of an export (`/exports/…`), as API Gateway passes it to the function: the same event, another path. */
export async function exportRequest(handler: Handler, caller: Caller, path: string, query = '', headers: Record<string, string> = {}) {
  const base = apiEvent(caller, { method: 'GET', rawQueryString: query, headers });
  const event = {
    ...base,
    routeKey: 'GET /exports/{proxy+}',
    rawPath: path,
    requestContext: { ...base.requestContext, routeKey: 'GET /exports/{proxy+}', http: { ...base.requestContext.http, path } },
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
  const result = await handler(event, lambdaContext);
  return { status: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, body: result.body ?? '' };
}
