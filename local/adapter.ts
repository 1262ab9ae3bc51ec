import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { issueToken, type KeyPair, verifyBearer } from './auth.js';
import { IDE_ROLES, renderIde } from './ide.js';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The local stand-in for API Gateway: verifies the bearer token as the JWT authorizer does, builds
 * a real HTTP API v2 event with the claims where API Gateway puts them, invokes the Lambda handler
 * itself, and writes its result back. It listens on loopback only.
 */
export function createLocalApi(handler: LambdaHandler, keys: KeyPair, options: { ide: boolean }): Server {
  return createServer((req, res) => {
    route(handler, keys, options, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
}

async function route(handler: LambdaHandler, keys: KeyPair, options: { ide: boolean }, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/' && req.method === 'GET' && options.ide) {
    const role = IDE_ROLES.find((r) => r.id === url.searchParams.get('role')) ?? IDE_ROLES[0];
    const token = await issueToken(keys, { groups: role.groups, subject: `local-${role.id.replace(':', '-')}` });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(renderIde(role.id, token));
    return;
  }
  if (url.pathname !== '/graphql' || (req.method !== 'POST' && req.method !== 'GET')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Not Found' }));
    return;
  }
  const body = await readBody(req);
  if (body === null) {
    res.writeHead(413, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Request Entity Too Large' }));
    return;
  }
  const verification = await verifyBearer(keys, req.headers.authorization);
  if (!verification.ok) {
    // As API Gateway's JWT authorizer answers: the function never runs.
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': req.headers.authorization ? 'Bearer error="invalid_token"' : 'Bearer',
    });
    res.end(JSON.stringify({ message: 'Unauthorized' }));
    return;
  }
  const event = toEvent(req, url, body, verification.claims, verification.scopes);
  const result = await handler(event, lambdaContext(event.requestContext.requestId));
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  res.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An HTTP API (payload format 2.0) event, as API Gateway builds it. */
export function toEvent(
  req: Pick<IncomingMessage, 'method' | 'headers' | 'socket'>,
  url: URL,
  body: Buffer,
  claims: Record<string, string>,
  scopes: string[],
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const method = req.method ?? 'GET';
  const now = new Date();
  const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  const queryStringParameters = query ? Object.fromEntries(url.searchParams) : undefined;
  const requestId = randomUUID();
  const textual = body.length === 0 || /json|text|graphql/i.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: `${method} /graphql`,
    rawPath: url.pathname,
    rawQueryString: query,
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes } },
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: `${method} /graphql`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  };
}

function lambdaContext(requestId: string): Context {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'samordning-graphql-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:samordning-graphql-local',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/samordning-graphql-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
