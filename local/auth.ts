import type { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type JWK, jwtVerify, SignJWT } from 'jose';

/**
 * The local stand-in for Cognito and API Gateway's JWT authorizer. Tokens are RS256, signed by a
 * key pair kept under .data/, with Cognito's access-token claims; verification does what the
 * authorizer does: signature, algorithm, issuer, client id (the audience), expiry (required),
 * not-before, issued-at (not in the future), scope (at least one of the routes').
 */
export const LOCAL_ISSUER = 'https://cognito-idp.local/samordning-local';
export const LOCAL_CLIENT_ID = 'samordning-local-client';
export const API_SCOPE = 'samordning/api';
/** The scopes the API's routes accept, any one of them: a person's API scope and the integrations' custom scopes. */
export const ROUTE_SCOPES = [API_SCOPE, 'samordning/read', 'samordning/write', 'samordning/publish-documents'] as const;
const KID = 'samordning-local-1';

export interface KeyPair {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
  readonly publicJwk: JWK;
}

/** The key pair under `dir`, made on first use. The private key never leaves the machine. */
export async function loadOrCreateKeys(dir: string): Promise<KeyPair> {
  const privatePath = join(dir, 'jwt-private.pem');
  const publicPath = join(dir, 'jwt-public.jwk.json');
  if (!existsSync(privatePath) || !existsSync(publicPath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    writeFileSync(privatePath, await exportPKCS8(privateKey), { mode: 0o600 });
    writeFileSync(publicPath, JSON.stringify({ ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' }));
  }
  const publicJwk = JSON.parse(readFileSync(publicPath, 'utf8')) as JWK;
  return {
    privateKey: await importPKCS8(readFileSync(privatePath, 'utf8'), 'RS256'),
    publicKey: (await importJWK(publicJwk, 'RS256')) as webcrypto.CryptoKey,
    publicJwk,
  };
}

export interface TokenRequest {
  readonly groups: readonly string[];
  readonly subject?: string;
  /** Lifetime in seconds (default 12 hours). */
  readonly ttlSeconds?: number;
  readonly extraClaims?: Record<string, unknown>;
}

/** A Cognito-shaped access token for local use. */
export async function issueToken(keys: KeyPair, request: TokenRequest): Promise<string> {
  const subject = request.subject ?? `local-${request.groups.join('+') || 'nobody'}`;
  return new SignJWT({
    ...request.extraClaims,
    'cognito:groups': [...request.groups],
    client_id: LOCAL_CLIENT_ID,
    token_use: 'access',
    scope: API_SCOPE,
    username: subject,
  })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt()
    .setNotBefore('0s')
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${request.ttlSeconds ?? 12 * 3600}s`)
    .sign(keys.privateKey);
}

/**
 * An access token as Cognito issues it to an app client by the client-credentials grant: `sub` and `client_id` the
 * client's id, the scopes granted in `scope`, no groups, no `aud`, `version` 2 and `auth_time`.
 */
export async function issueClientToken(keys: KeyPair, clientId: string, scopes: readonly string[], ttlSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: clientId, token_use: 'access', scope: scopes.join(' '), auth_time: now, version: 2 })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setSubject(clientId)
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt(now)
    .setJti(crypto.randomUUID())
    .setExpirationTime(now + ttlSeconds)
    .sign(keys.privateKey);
}

/**
 * How far ahead of this machine's clock a token's `iat` may be: the clocks of the issuer and of
 * API Gateway are not the same clock. `exp` and `nbf` get no such allowance.
 */
export const CLOCK_SKEW_SECONDS = 60;

export type Verification =
  | { readonly ok: true; readonly claims: Record<string, string>; readonly scopes: string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Verifies a bearer token as API Gateway's JWT authorizer would, and returns the claims as it
 * passes them to the function: every value a string, arrays flattened to "[a b]".
 */
export async function verifyBearer(
  keys: KeyPair,
  authorization: string | undefined,
  /** The authorizer's audience: the people's app client, and (locally) the integrations' clients. */
  audience: (clientId: string) => boolean = (clientId) => clientId === LOCAL_CLIENT_ID,
): Promise<Verification> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { ok: false, reason: 'missing bearer token' };
  try {
    // jose checks `exp` only when a token has one: a token that never expires is refused here, as API Gateway refuses it.
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ['RS256'],
      issuer: LOCAL_ISSUER,
      clockTolerance: 0,
      requiredClaims: ['exp'],
    });
    // jose reads `iat` only to bound a token's age; one issued in the future is refused here.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
      return { ok: false, reason: 'token issued in the future' };
    }
    if (typeof payload.client_id !== 'string' || !audience(payload.client_id))
      return { ok: false, reason: 'token was not issued to this client' };
    if (payload.token_use !== 'access') return { ok: false, reason: 'not an access token' };
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.some((s) => (ROUTE_SCOPES as readonly string[]).includes(s))) return { ok: false, reason: 'token lacks the API scope' };
    const claims: Record<string, string> = {};
    for (const [name, value] of Object.entries(payload)) {
      claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    return { ok: true, claims, scopes };
  } catch {
    return { ok: false, reason: 'invalid token' };
  }
}
