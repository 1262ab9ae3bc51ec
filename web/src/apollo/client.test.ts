import { describe, expect, it, vi } from 'vitest';
import { LocalSession } from '../auth/session';
import { authenticatedFetch } from './client';

function tokenServer() {
  let n = 0;
  const calls: string[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    calls.push(String(init?.body));
    n++;
    return new Response(JSON.stringify({ token: `token-${n}`, expiresAt: new Date(Date.now() + 3600_000).toISOString() }), { status: 200 });
  });
  return { fetchImpl: fetchImpl as unknown as typeof fetch, calls };
}

describe('requests to /graphql', () => {
  it('carry the bearer token, and a 401 renews the session and sends the same request again', async () => {
    const { fetchImpl: mint } = tokenServer();
    const session = new LocalSession([], mint, null);
    await session.signIn('coordinator');
    const seen: { auth: string | null; body: unknown }[] = [];
    const api = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('authorization');
      seen.push({ auth, body: init?.body });
      return new Response('{}', { status: auth === 'Bearer token-1' ? 401 : 200 });
    });
    const renewed = vi.fn();
    const send = authenticatedFetch(session, renewed, api as unknown as typeof fetch);
    const response = await send('/graphql', { method: 'POST', body: '{"query":"{ viewer { subject } }"}' });
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.auth)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(seen[1]?.body).toBe(seen[0]?.body);
    expect(renewed).toHaveBeenCalledTimes(1);
  });
});
