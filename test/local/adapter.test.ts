import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { MAX_BODY_BYTES } from '../../functions/graphql/middleware.js';
import { createLocalApi, type LambdaHandler, MAX_BODY_BYTES as LOCAL_MAX_BODY_BYTES } from '../../local/adapter.js';
import { issueClientToken, type KeyPair, loadOrCreateKeys } from '../../local/auth.js';
import { LocalClients } from '../../local/clients.js';
import { createLocalIntegration } from '../../local/integrations.js';
import { isLoopbackHost } from '../../local/roles.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine } from '../support/funding.js';

/** The local server's own routes beside /graphql: the app, its sign-in configuration, local tokens and the IDE. */
let env: TestEnvironment;
let keys: KeyPair;
let port = 0;
let prodPort = 0;
/** The integrations' clients of the local issuer, as `npm run integration -- create` keeps them. */
let clients: LocalClients;
const servers: { close(cb: () => void): void }[] = [];

/** A raw request, so that the Host header can be any name (fetch always sends the URL's). */
function call(
  p: number,
  path: string,
  options: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: p,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `localhost:${p}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const token = (p: number, as: string, host?: string) =>
  call(p, '/local/token', { method: 'POST', host, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as }) });

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  keys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'keys-')));
  clients = new LocalClients(join(mkdtempSync(join(tmpdir(), 'clients-')), 'integration-clients.json'));
  const appDir = mkdtempSync(join(tmpdir(), 'app-'));
  mkdirSync(join(appDir, 'assets'));
  writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>Samordning</title><div id="root"></div>');
  writeFileSync(join(appDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  const listen = async (ide: boolean) => {
    const server = createLocalApi(env.handler as unknown as LambdaHandler, keys, { ide, appDir, clients });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  port = await listen(true);
  prodPort = await listen(false);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe('local tokens', () => {
  it('are issued for a role or an agency, an hour long, and work on /graphql', async () => {
    for (const as of ['funder', 'agency:nav', 'agency:demo-krisesenter-vest']) {
      const res = await token(port, as);
      expect(res.status).toBe(200);
      const { token: jwt, expiresAt } = JSON.parse(res.body) as { token: string; expiresAt: string };
      const claims = decodeJwt(jwt);
      expect(claims['cognito:groups']).toEqual([as]);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
      expect(Math.abs(Date.parse(expiresAt) - (claims.exp ?? 0) * 1000)).toBeLessThan(2000);
    }
    const { token: jwt } = JSON.parse((await token(port, 'viewer')).body) as { token: string };
    const res = await call(port, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ query: '{ viewer { roles } }' }),
    });
    expect(JSON.parse(res.body)).toEqual({ data: { viewer: { roles: ['VIEWER'] } } });
  });

  it('are refused to a Host that is not this machine (DNS rebinding), to a non-JSON body, and for an unknown role', async () => {
    for (const host of ['evil.example', 'evil.example:4000', '127.0.0.1.evil.example', 'localhost.evil.example']) {
      const res = await token(port, 'coordinator', host);
      expect(res.status, host).toBe(403);
      expect(res.body).not.toMatch(/eyJ/);
    }
    const form = await call(port, '/local/token', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ as: 'coordinator' }),
    });
    expect(form.status).toBe(415);
    expect((await token(port, 'admin')).status).toBe(400);
    expect((await token(port, 'agency:constructor')).status).toBe(400);
    expect((await call(port, '/local/token')).status).toBe(405);
    // The old way, a token in a page for any Host, is gone.
    expect((await call(port, '/?role=coordinator', { host: 'evil.example' })).body).not.toMatch(/eyJ/);
  });

  it('names loopback hosts only', () => {
    expect(['localhost', 'localhost:4000', '127.0.0.1:80', '[::1]:4000'].every(isLoopbackHost)).toBe(true);
    expect(['evil.example', '127.0.0.1.nip.io', 'localhost.evil', '', 'exa mple'].some(isLoopbackHost)).toBe(false);
    expect(isLoopbackHost(undefined)).toBe(false);
  });
});

describe('the app, its configuration and the IDE', () => {
  it('serves the app at every path of the app, with hashed assets cached for good and the security headers', async () => {
    for (const path of ['/', '/measures/hp-2011-2014-kom', '/capacity?as=funder']) {
      const res = await call(port, path);
      expect(res.status, path).toBe(200);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const asset = await call(port, '/assets/index-abc123.js');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-type']).toContain('javascript');
    // A path that climbs out of the app's folder gets the app, never a file beside it.
    expect((await call(port, '/../../package.json')).body).toContain('<div id="root">');
    expect((await call(port, '/%2e%2e/%2e%2e/package.json')).body).toContain('<div id="root">');
  });

  it('tells the app to sign in with the local issuer, listing the roles to act as', async () => {
    const res = await call(port, '/config.json');
    const config = JSON.parse(res.body) as { auth: { mode: string; roles: { as: string }[] } };
    expect(config.auth.mode).toBe('local');
    expect(config.auth.roles.map((r) => r.as)).toEqual(expect.arrayContaining(['coordinator', 'funder', 'viewer', 'agency:nav']));
  });

  it('serves the offline IDE at /ide, cacheable, holding no token, on localhost only', async () => {
    const res = await call(port, '/ide');
    expect(res.status).toBe(200);
    expect(res.body).not.toMatch(/<script[^>]+src=["']https?:|<link[^>]+href=["']https?:/);
    expect(res.body).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(res.body).toContain('<option value="agency:nav">');
    expect(res.headers['cache-control']).toContain('max-age=');
    const again = await call(port, '/ide', { headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect((await call(port, '/ide', { host: 'evil.example' })).status).toBe(403);
  });

  it('serves no IDE with production settings', async () => {
    const res = await call(prodPort, '/ide');
    expect(res.body).not.toContain('GraphiQL');
  });
});

describe('request bodies', () => {
  const graphql = async (body: string) => {
    const { token: jwt } = JSON.parse((await token(port, 'viewer')).body) as { token: string };
    return call(port, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      body,
    });
  };

  it("reach the handler up to API Gateway's 10 MB, and the handler refuses one over its own limit with 413", async () => {
    const body = JSON.stringify({ query: '{ viewer { roles } }', variables: { pad: 'x'.repeat(MAX_BODY_BYTES + 1) } });
    const res = await graphql(body);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).errors[0].extensions).toEqual({ code: 'BAD_REQUEST', limit: 'body', maximum: MAX_BODY_BYTES });
  });

  it('over 10 MB by content-length: 413 at once, the handler never runs', async () => {
    const res = await graphql(JSON.stringify({ query: '{ viewer { roles } }', pad: 'x'.repeat(LOCAL_MAX_BODY_BYTES) }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Entity Too Large' });
  });

  it('over 10 MB without a length (chunked): the server stops reading, answers 413 and closes the connection', async () => {
    const total = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve) => {
      let sent = 0;
      let status = 0;
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { host: `localhost:${port}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => {
          resolve({ status, sent });
          req.destroy();
        });
      });
      // The server closes the connection after its answer: writing further fails (EPIPE), often before
      // the client has read the answer, which is why the status below may be unseen.
      req.on('error', () => resolve({ status, sent }));
      const write = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
    expect([0, 413]).toContain(status);
    // What the client managed to hand over before the server stopped reading: the limit and what the socket buffers hold.
    expect(sent).toBeGreaterThan(LOCAL_MAX_BODY_BYTES);
    expect(sent).toBeLessThan(total / 2);
  });
});

/** A form POST to the token endpoint, as an OAuth client sends it. */
const tokenRequest = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  call(port, '/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
const basicAuth = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});
const graphql = (jwt: string, query: string, variables?: Record<string, unknown>) =>
  call(port, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ query, variables }),
  });

describe('the token endpoint of the client-credentials grant (POST /oauth2/token)', () => {
  it("issues Cognito's token shape to a client authenticated by HTTP Basic or by the form: its id as sub, its scopes, no groups", async () => {
    const { clientId, secret } = clients.create('Formjobb');
    const res = await tokenRequest({ grant_type: 'client_credentials', scope: 'samordning/read' }, basicAuth(clientId, secret));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(res.body) as { access_token: string; expires_in: number; token_type: string };
    expect([body.expires_in, body.token_type]).toEqual([3600, 'Bearer']);
    const claims = decodeJwt(body.access_token);
    expect(Object.keys(claims).sort()).toEqual([
      'auth_time',
      'client_id',
      'exp',
      'iat',
      'iss',
      'jti',
      'scope',
      'sub',
      'token_use',
      'version',
    ]);
    expect(claims).toMatchObject({ sub: clientId, client_id: clientId, token_use: 'access', scope: 'samordning/read', version: 2 });
    const form = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
    expect(decodeJwt((JSON.parse(form.body) as { access_token: string }).access_token).scope).toBe(
      'samordning/read samordning/write samordning/publish-documents',
    );
  });

  it.each([
    ['a wrong secret', { grant_type: 'client_credentials' }, 'wrong', 401, 'invalid_client'],
    ['another grant', { grant_type: 'password' }, null, 400, 'unsupported_grant_type'],
    ['a scope the client may not ask for', { grant_type: 'client_credentials', scope: 'samordning/api' }, null, 400, 'invalid_scope'],
    ['both ways of authenticating', { grant_type: 'client_credentials', client_id: 'x' }, null, 400, 'invalid_request'],
  ])('refuses %s with an OAuth error', async (_what, form, secretOverride, status, error) => {
    const { clientId, secret } = clients.create('Feil');
    const res = await tokenRequest(form, basicAuth(clientId, secretOverride ?? secret));
    expect([res.status, (JSON.parse(res.body) as { error: string }).error]).toEqual([status, error]);
    expect(res.body).not.toMatch(/eyJ/);
    if (status === 401) expect(res.headers['www-authenticate']).toBe('Basic realm="oauth2"');
  });

  it('refuses an unknown client, a body that is not a form, and a GET', async () => {
    const unknown = await tokenRequest({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' });
    expect([unknown.status, JSON.parse(unknown.body).error]).toEqual([401, 'invalid_client']);
    const json = await call(port, '/oauth2/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([json.status, JSON.parse(json.body).error]).toEqual([400, 'invalid_request']);
    expect((await call(port, '/oauth2/token')).status).toBe(405);
  });

  it("is the authorizer's audience: a client removed is refused at /graphql (401), as an app client the authorizer does not know", async () => {
    const { clientId } = clients.create('Fjernes');
    const jwt = await issueClientToken(keys, clientId, ['samordning/read']);
    const before = await graphql(jwt, '{ viewer { roles } }');
    // Known to the issuer, unknown to the registry: it holds no scope (403), and is not refused as unauthenticated.
    expect(before.status).toBe(403);
    clients.remove(clientId);
    expect((await graphql(jwt, '{ viewer { roles } }')).status).toBe(401);
  });
});

describe("a funder's job, as docs/integrations.md runs it", () => {
  it('creates the integration, gets a token, pulls the funding summary with docs/examples/funder-job.mjs, and is refused a write', async () => {
    const lineId = await createBudgetLine(env.handler, { planId: 'hp-2011-2014', chapter: 690 });
    const allocated = await allocate(env.handler, { budgetLineId: lineId, amount: '2500.00', measureId: 'hp-2011-2014-nav-kontor' });
    expect(allocated.errors).toBeUndefined();
    const base = `http://127.0.0.1:${port}`;
    // npm run integration -- create funder-analysis --role funder --scopes read
    const { clientId, secret } = await createLocalIntegration(base, keys, clients, {
      name: 'funder-analysis',
      role: 'FUNDER',
      scopes: ['READ'],
    });

    const run = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(import.meta.dirname, '../../docs/examples/funder-job.mjs')],
        { env: { PATH: process.env.PATH, CLIENT_ID: clientId, CLIENT_SECRET: secret, SAMORDNING_URL: base }, timeout: 20_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr })),
      ),
    );
    expect(run.stdout.trim().split('\n')).toEqual(['key,label,fiscalYear,allocated,disbursed', 'ad,Arbeidsdepartementet,,2500.00,0.00']);

    // The write of the docs' curl, with a token asked for as there.
    const res = await tokenRequest({ grant_type: 'client_credentials', scope: 'samordning/read' }, basicAuth(clientId, secret));
    const jwt = (JSON.parse(res.body) as { access_token: string }).access_token;
    const write = await graphql(
      jwt,
      'mutation SubmitStatusReport($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { statusReport { id period status progressPercent reportedBy { id } } measure { id status version } } }',
      {
        input: { measureId: 'hp-2011-2014-nav-kontor', period: '2012', status: 'IN_PROGRESS', progressPercent: 10, summary: 'Fra jobben' },
      },
    );
    expect(write.status).toBe(403);
    expect(write.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="samordning/write"');
    expect(JSON.parse(write.body).errors[0].extensions).toEqual({ code: 'FORBIDDEN', scope: 'samordning/write' });
  });

  it('removes the client again when the registry refuses the integration, saying why', async () => {
    const before = clients.list().length;
    await expect(
      createLocalIntegration(`http://127.0.0.1:${port}`, keys, clients, { name: 'x', agencyId: 'finnes-ikke', scopes: ['READ'] }),
    ).rejects.toThrow('The registry refused it: There is no agency finnes-ikke. (agencyId)');
    expect(clients.list().length).toBe(before);
  });
});
