import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from './config';
import { oidcSettings } from './oidc';
import { LocalSession } from './session';

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

describe('local sign-in', () => {
  it('mints a token as the chosen role and keeps it for the tab', async () => {
    const { fetchImpl, calls } = tokenServer();
    const session = new LocalSession([], fetchImpl, sessionStorage);
    await session.signIn('agency:nav');
    expect(calls).toEqual(['{"as":"agency:nav"}']);
    expect(await session.getToken()).toBe('token-1');
    // A reload finds the same session.
    expect(await new LocalSession([], fetchImpl, sessionStorage).getToken()).toBe('token-1');
  });

  it('refuses what is not a role or an agency id', async () => {
    const session = new LocalSession([], tokenServer().fetchImpl, null);
    await expect(session.signIn('agency:NAV; drop')).rejects.toThrow();
    await expect(session.signIn('admin')).rejects.toThrow();
  });
});

describe('cloud sign-in settings', () => {
  it('reads Cognito settings from config.json and asks for the authorization code flow (PKCE)', () => {
    const config = parseConfig({
      auth: {
        mode: 'cognito',
        authority: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_abc',
        clientId: 'client',
        redirectUri: 'https://samordning.example/',
        postLogoutRedirectUri: 'https://samordning.example/',
        scope: 'openid samordning/api',
      },
    });
    expect(config.auth.mode).toBe('cognito');
    if (config.auth.mode !== 'cognito') return;
    const settings = oidcSettings(config.auth, sessionStorage);
    expect(settings).toMatchObject({
      response_type: 'code',
      client_id: 'client',
      scope: 'openid samordning/api',
      redirect_uri: 'https://samordning.example/',
    });
    // oidc-client-ts always uses PKCE with the code flow; the client has no secret to leak.
    expect(settings.client_secret).toBeUndefined();
    expect(() => parseConfig({ auth: { mode: 'cognito', authority: 'x' } })).toThrow();
    expect(() => parseConfig({})).toThrow();
  });
});

describe('the deep link ?as=', () => {
  it('signs in as the role it names and leaves the address without it', async () => {
    const { signInFromDeepLink } = await import('./deepLink');
    window.history.replaceState(null, '', '/capacity?as=agency:nav&county=Oslo');
    const { fetchImpl, calls } = tokenServer();
    const session = new LocalSession([], fetchImpl, null);
    await signInFromDeepLink(session);
    expect(window.location.pathname + window.location.search).toBe('/capacity?county=Oslo');
    expect(calls).toEqual(['{"as":"agency:nav"}']);
    expect(session.identity()).toBe('agency:nav');
  });

  it('drops a parameter that names no role, and signs in as nobody', async () => {
    const { signInFromDeepLink } = await import('./deepLink');
    window.history.replaceState(null, '', '/?as=root');
    const { fetchImpl, calls } = tokenServer();
    await signInFromDeepLink(new LocalSession([], fetchImpl, null));
    expect(window.location.search).toBe('');
    expect(calls).toEqual([]);
  });
});
