import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Who calls: the Cognito groups of the access token. */
export interface Caller {
  readonly groups: readonly string[];
  readonly subject: string;
}

export const callers = {
  coordinator: { groups: ['coordinator'], subject: 'bench-coordinator' },
  funder: { groups: ['funder'], subject: 'bench-funder' },
  viewer: { groups: ['viewer'], subject: 'bench-viewer' },
  agency: (id: string): Caller => ({ groups: [`agency:${id}`], subject: `bench-${id}` }),
} as const;

/** An API Gateway HTTP API (payload v2) event as the JWT authorizer passes it on: the groups flattened to "[a b]". */
export function apiEvent(caller: Caller, body: string): APIGatewayProxyEventV2WithJWTAuthorizer {
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: 'POST /graphql',
    rawPath: '/graphql',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'api.bench' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: {
            sub: caller.subject,
            'cognito:groups': `[${caller.groups.join(' ')}]`,
            client_id: 'bench-client',
            token_use: 'access',
            scope: 'samordning/api',
          },
          scopes: ['samordning/api'],
        },
      },
      domainName: 'api.bench',
      domainPrefix: 'api',
      http: { method: 'POST', path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId,
      routeKey: 'POST /graphql',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export const lambdaContext = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

/** What the handler answered, or why it did not answer a success. */
export interface Answer {
  readonly status: number;
  readonly data: Record<string, unknown> | null;
  readonly errors: unknown[] | undefined;
  readonly raw: string;
}

export async function invoke(handler: Handler, caller: Caller, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const result = await handler(apiEvent(caller, JSON.stringify({ query, variables })), lambdaContext);
  const raw = result.body ?? '';
  let parsed: { data?: Record<string, unknown> | null; errors?: unknown[] } = {};
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    // Not JSON: the caller reports `raw`.
  }
  return { status: result.statusCode ?? 200, data: parsed.data ?? null, errors: parsed.errors, raw };
}

/** A GET of an export through the handler (`/exports/…`), as API Gateway passes it on; a 200 is a success. */
export async function invokeExport(handler: Handler, caller: Caller, path: string, query: string): Promise<Answer> {
  const base = apiEvent(caller, '');
  const { body: _none, ...rest } = base;
  const event = {
    ...rest,
    routeKey: 'GET /exports/{proxy+}',
    rawPath: path,
    rawQueryString: query,
    requestContext: {
      ...base.requestContext,
      routeKey: 'GET /exports/{proxy+}',
      http: { ...base.requestContext.http, method: 'GET', path },
    },
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
  const result = await handler(event, lambdaContext);
  const raw = result.body ?? '';
  const ok = result.statusCode === 200;
  return { status: result.statusCode ?? 200, data: ok ? { bytes: raw.length } : null, errors: ok ? undefined : [raw.slice(0, 400)], raw };
}
