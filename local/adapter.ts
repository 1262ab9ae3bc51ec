import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { issueClientToken, issueToken, type KeyPair, LOCAL_CLIENT_ID, verifyBearer } from './auth.js';
import { CLIENT_SCOPES, type LocalClients } from './clients.js';
import { renderIde } from './ide.js';
import { isLoopbackHost, LOCAL_ROLES, localRole } from './roles.js';
import { serveApp } from './static.js';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * API Gateway's payload limit for HTTP APIs: a larger body is answered 413 here, as API Gateway
 * answers it, and is not read further. The handler's own, smaller limit (functions/graphql/middleware.ts)
 * applies to what gets through, as it does behind API Gateway.
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The local stand-in for API Gateway: verifies the bearer token as the JWT authorizer does, builds
 * a real HTTP API v2 event with the claims where API Gateway puts them, invokes the Lambda handler
 * itself, and writes its result back. It listens on loopback only.
 */
export interface LocalApiOptions {
  /** Serve the GraphQL IDE at /ide (development stages; production serves none). */
  readonly ide: boolean;
  /** The built web app to serve at / (web/dist); none when absent. */
  readonly appDir?: string;
  /** The integrations' clients, for `POST /oauth2/token` and the authorizer's audience; none: people only. */
  readonly clients?: LocalClients;
}

/** A local token lives as long as one the hosted UI would give: an hour. */
const LOCAL_TOKEN_SECONDS = 3600;

export function createLocalApi(handler: LambdaHandler, keys: KeyPair, options: LocalApiOptions): Server {
  const ide = options.ide ? page(renderIde()) : undefined;
  return createServer((req, res) => {
    route(handler, keys, { ...options, ide }, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
}

/** A page rendered once and served with a validator, so a browser keeps it (the IDE is 9 MB). */
function page(html: string) {
  return { html, etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function route(
  handler: LambdaHandler,
  keys: KeyPair,
  options: Omit<LocalApiOptions, 'ide'> & { ide: ReturnType<typeof page> | undefined },
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/config.json' && req.method === 'GET') {
    // What the web app signs in with: locally, the local issuer (the deployment writes Cognito's settings instead).
    json(res, 200, { auth: { mode: 'local', roles: LOCAL_ROLES.map(({ as, label }) => ({ as, label })) } });
    return;
  }
  if (url.pathname === '/local/token') {
    await mintToken(keys, req, res);
    return;
  }
  if (url.pathname === TOKEN_PATH && options.clients) {
    await clientCredentialsToken(keys, options.clients, req, res);
    return;
  }
  if (url.pathname === '/ide' && req.method === 'GET' && options.ide) {
    // Only this machine's own pages may use the IDE: it lets a person act as any role.
    if (!isLoopbackHost(req.headers.host)) return json(res, 403, { message: 'The IDE answers only on localhost.' });
    const fresh = req.headers['if-none-match'] === options.ide.etag;
    res.writeHead(fresh ? 304 : 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, max-age=3600',
      etag: options.ide.etag,
    });
    res.end(fresh ? undefined : options.ide.html);
    return;
  }
  const isExport = url.pathname.startsWith('/exports/') && req.method === 'GET';
  if (url.pathname !== '/graphql' && !isExport) {
    if (req.method === 'GET' && options.appDir && safePath(url.pathname) && serveApp(options.appDir, url.pathname, res)) return;
    json(res, 404, { message: 'Not Found' });
    return;
  }
  if (req.method !== 'POST' && req.method !== 'GET') {
    json(res, 404, { message: 'Not Found' });
    return;
  }
  const body = await readBody(req);
  if (body === null) return tooLarge(res);
  const clients = options.clients;
  const audience = (clientId: string) => clientId === LOCAL_CLIENT_ID || (clients?.has(clientId) ?? false);
  const verification = await verifyBearer(keys, req.headers.authorization, audience);
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

/**
 * The request's body, or null when it is over `MAX_BODY_BYTES`: known at once from `content-length`,
 * else as soon as that many bytes have come. Reading stops there; nothing past the limit is held.
 */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * 413, as API Gateway answers a body over its limit. With `connection: close` Node ends the
 * connection once the answer is out, so the rest of the body is never read (destroying the socket
 * at once would reset it before the client reads the answer).
 */
function tooLarge(res: ServerResponse): void {
  json(res, 413, { message: 'Request Entity Too Large' }, { connection: 'close' });
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
    routeKey: routeKeyOf(method, url.pathname),
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
      routeKey: routeKeyOf(method, url.pathname),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  };
}

/** The Lambda functions behind the HTTP API's routes. */
export interface RouteHandlers {
  readonly graphql: LambdaHandler;
  readonly exports: LambdaHandler;
}

/** Dispatches an event to its route's function, as API Gateway does: `GET /exports/{proxy+}` to exports, the rest to GraphQL. */
export function byRoute(handlers: RouteHandlers): LambdaHandler {
  return (event, context) => (event.routeKey === 'GET /exports/{proxy+}' ? handlers.exports : handlers.graphql)(event, context);
}

/** The route API Gateway matched: /graphql, or the exports' proxy route. */
function routeKeyOf(method: string, pathname: string): string {
  return pathname.startsWith('/exports/') ? `${method} /exports/{proxy+}` : `${method} /graphql`;
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

function safePath(pathname: string): boolean {
  try {
    return !decodeURIComponent(pathname).includes('\0');
  } catch {
    return false;
  }
}

/**
 * `POST /local/token` with `{"as": "funder"}` (or "agency:nav", …): a token of that role from the
 * local issuer, for the web app's "act as" and the IDE. Only for requests whose Host is this
 * machine (a DNS-rebinding page sends its own name) and whose body is JSON (a cross-site form cannot
 * send that without a preflight, which this server never grants).
 */
async function mintToken(keys: KeyPair, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return json(res, 405, { message: 'Use POST.' }, { allow: 'POST' });
  if (!isLoopbackHost(req.headers.host)) return json(res, 403, { message: 'Local tokens are issued only on localhost.' });
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return json(res, 415, { message: 'Send {"as": "<role>"} as application/json.' });
  }
  const body = await readBody(req);
  if (body === null) return tooLarge(res);
  let as: unknown;
  try {
    as = (JSON.parse(body?.toString('utf8') ?? '') as { as?: unknown }).as;
  } catch {
    as = undefined;
  }
  const role = localRole(as);
  if (!role) return json(res, 400, { message: `"as" must be one of: ${LOCAL_ROLES.map((r) => r.as).join(', ')}.` });
  const token = await issueToken(keys, {
    groups: role.groups,
    subject: `local-${role.as.replace(':', '-')}`,
    ttlSeconds: LOCAL_TOKEN_SECONDS,
  });
  json(res, 200, { token, expiresAt: new Date(Date.now() + LOCAL_TOKEN_SECONDS * 1000).toISOString() });
}

/** Where Cognito's domain answers the token requests of the OAuth grants: `https://<domain>/oauth2/token`. */
export const TOKEN_PATH = '/oauth2/token';

/** An OAuth error answer (RFC 6749 §5.2), never cached. */
function oauthError(res: ServerResponse, status: number, error: string, description: string, headers: Record<string, string> = {}) {
  json(res, status, { error, error_description: description }, { pragma: 'no-cache', ...headers });
}

/**
 * `POST /oauth2/token` with `grant_type=client_credentials`, as Cognito's token endpoint answers it: the client
 * authenticates with HTTP Basic (`client_id:client_secret`, each form-encoded, RFC 6749 §2.3.1) or with
 * `client_id` and `client_secret` in the form, never both; `scope` names some of the client's scopes (default: all
 * of them). The answer is `{ access_token, expires_in, token_type }`, a token of Cognito's shape valid an hour.
 */
async function clientCredentialsToken(keys: KeyPair, clients: LocalClients, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return json(res, 405, { message: 'Use POST.' }, { allow: 'POST' });
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return oauthError(res, 400, 'invalid_request', 'Send the form as application/x-www-form-urlencoded.');
  }
  const body = await readBody(req);
  if (body === null) return tooLarge(res);
  const form = new URLSearchParams(body.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(res, 400, 'unsupported_grant_type', 'This endpoint grants client_credentials only.');
  }
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const inForm = form.has('client_id') || form.has('client_secret');
  if (basic && inForm) return oauthError(res, 400, 'invalid_request', 'Authenticate the client one way: HTTP Basic or the form.');
  let id: string | null = null;
  let secret: string | null = null;
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    try {
      id = colon > 0 ? decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')) : null;
      secret = colon > 0 ? decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) : null;
    } catch {
      id = null;
    }
  } else {
    id = form.get('client_id');
    secret = form.get('client_secret');
  }
  const client = id && secret && id.length <= 128 && secret.length <= 256 ? clients.authenticate(id, secret) : undefined;
  if (!client) {
    return oauthError(
      res,
      401,
      'invalid_client',
      'Unknown client or wrong secret.',
      basic ? { 'www-authenticate': 'Basic realm="oauth2"' } : {},
    );
  }
  const asked = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
  const unknown = asked.find((s) => !(CLIENT_SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined)
    return oauthError(res, 400, 'invalid_scope', `The client may not ask for ${JSON.stringify(unknown.slice(0, 80))}.`);
  const scopes = asked.length > 0 ? CLIENT_SCOPES.filter((s) => asked.includes(s)) : [...CLIENT_SCOPES];
  const access_token = await issueClientToken(keys, client.clientId, scopes, LOCAL_TOKEN_SECONDS);
  json(res, 200, { access_token, expires_in: LOCAL_TOKEN_SECONDS, token_type: 'Bearer' }, { pragma: 'no-cache' });
}
