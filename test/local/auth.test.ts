import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { createLocalApi, type LambdaHandler } from '../../local/adapter.js';
import {
  API_SCOPE,
  CLOCK_SKEW_SECONDS,
  issueToken,
  type KeyPair,
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  loadOrCreateKeys,
} from '../../local/auth.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;
let keys: KeyPair;
let otherKeys: KeyPair;
let url: string;
let invocations = 0;
let close: () => Promise<void>;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  keys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'keys-')));
  otherKeys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'other-keys-')));
  const counted: LambdaHandler = async (event, context) => {
    invocations++;
    return env.handler(event, context);
  };
  const server = createLocalApi(counted, keys, { ide: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await close?.();
});

async function post(token: string | undefined, query = '{ viewer { subject roles agency { id } } }', headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, wwwAuthenticate: res.headers.get('www-authenticate'), body: await res.json() };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'forger',
  'cognito:groups': ['coordinator'],
  client_id: LOCAL_CLIENT_ID,
  token_use: 'access',
  scope: API_SCOPE,
  iss: LOCAL_ISSUER,
  iat: now(),
  exp: now() + 3600,
  ...extra,
});

function sign(privateKey: KeyPair['privateKey'], payload: Record<string, unknown>) {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
}

describe('the local API Gateway', () => {
  it('passes a valid token, and the handler sees the claims where API Gateway puts them', async () => {
    const token = await issueToken(keys, { groups: ['coordinator', 'agency:jd'], subject: 'u-1' });
    const res = await post(token);
    expect(res.status).toBe(200);
    expect(res.body.data.viewer).toEqual({ subject: 'u-1', roles: ['COORDINATOR', 'AGENCY_EDITOR'], agency: { id: 'jd' } });
  });

  it('answers 401 with www-authenticate when there is no token, and runs nothing', async () => {
    const before = invocations;
    const res = await post(undefined);
    expect(res).toMatchObject({ status: 401, wwwAuthenticate: 'Bearer', body: { message: 'Unauthorized' } });
    expect(invocations).toBe(before);
  });

  const forgeries: [string, () => Promise<string>][] = [
    ['a wrong signature', () => sign(otherKeys.privateKey, claims())],
    ['a wrong issuer', () => sign(keys.privateKey, claims({ iss: 'https://evil.example/pool' }))],
    ['a wrong client', () => sign(keys.privateKey, claims({ client_id: 'another-client' }))],
    ['an expired token', () => sign(keys.privateKey, claims({ iat: now() - 7200, exp: now() - 60 }))],
    ['a token not valid yet', () => sign(keys.privateKey, claims({ nbf: now() + 600 }))],
    ['a token that never expires (no exp)', () => sign(keys.privateKey, claims({ exp: undefined }))],
    ['a token with a non-numeric exp', () => sign(keys.privateKey, claims({ exp: 'never' }))],
    [
      'a token issued in the future, past the clock skew',
      () => sign(keys.privateKey, claims({ iat: now() + CLOCK_SKEW_SECONDS + 30, exp: now() + 7200 })),
    ],
    ['an id token', () => sign(keys.privateKey, claims({ token_use: 'id' }))],
    ['a token without the API scope', () => sign(keys.privateKey, claims({ scope: 'openid' }))],
    ['alg none', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`],
    [
      'HS256 with the public key as secret',
      async () => {
        const header = base64url({ alg: 'HS256', typ: 'JWT' });
        const body = base64url(claims());
        const secret = JSON.stringify(keys.publicJwk);
        const mac = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
        return `${header}.${body}.${mac}`;
      },
    ],
    ['garbage', async () => 'not.a.token'],
  ];

  it.each(forgeries)('refuses %s with 401, and runs nothing', async (_name, forge) => {
    const before = invocations;
    const res = await post(await forge());
    expect(res.status).toBe(401);
    expect(res.wwwAuthenticate).toContain('Bearer');
    expect(res.body).toEqual({ message: 'Unauthorized' });
    expect(invocations).toBe(before);
  });

  it('allows an issuer clock up to the skew ahead: a token issued a little in the future passes', async () => {
    const res = await post(await sign(keys.privateKey, claims({ iat: now() + CLOCK_SKEW_SECONDS - 10 })));
    expect(res.status).toBe(200);
    expect(res.body.data.viewer.roles).toEqual(['COORDINATOR']);
  });

  it('gives a custom attribute naming another agency no effect', async () => {
    const token = await issueToken(keys, { groups: ['viewer'], subject: 'u-2', extraClaims: { 'custom:agency': 'nav', agency: 'nav' } });
    const res = await post(token);
    expect(res.body.data.viewer).toEqual({ subject: 'u-2', roles: ['VIEWER'], agency: null });
  });
});

describe('npm run token', () => {
  const root = join(import.meta.dirname, '../..');
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'local/token.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('prints only a token, valid 12 hours, for a role', () => {
    const out = run('--role', 'funder');
    expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const payload = decodeJwt(out.trim());
    expect(decodeProtectedHeader(out.trim()).alg).toBe('RS256');
    expect(payload['cognito:groups']).toEqual(['funder']);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(12 * 3600);
  });

  it('prints a token for an agency', () => {
    expect(decodeJwt(run('--agency', 'nav').trim())['cognito:groups']).toEqual(['agency:nav']);
  });

  it('refuses an unknown role', () => {
    expect(() => run('--role', 'admin')).toThrow();
  });
});
