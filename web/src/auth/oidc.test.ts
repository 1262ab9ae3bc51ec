import type { UserManager } from 'oidc-client-ts';
import { describe, expect, it, vi } from 'vitest';
import type { CognitoAuthConfig } from './config';
import { CognitoSession } from './oidc';

const config: CognitoAuthConfig = {
  mode: 'cognito',
  authority: 'https://cognito-idp.eu-north-1.amazonaws.com/pool',
  clientId: 'client',
  redirectUri: 'https://app.example/',
  postLogoutRedirectUri: 'https://app.example/',
  scope: 'openid samordning/api',
};

function manager(overrides: Partial<Record<keyof UserManager, unknown>>) {
  return {
    getUser: vi.fn(async () => null),
    signinRedirect: vi.fn(async () => {}),
    signinRedirectCallback: vi.fn(),
    signinSilent: vi.fn(async () => null),
    removeUser: vi.fn(async () => {}),
    signoutRedirect: vi.fn(async () => {}),
    ...overrides,
  } as unknown as UserManager;
}

describe('Cognito sign-in (authorization code with PKCE)', () => {
  it('completes the redirect and returns to the page the user was on, without the code in the address', async () => {
    window.history.replaceState(null, '', '/?code=abc&state=xyz');
    const m = manager({
      signinRedirectCallback: vi.fn(async () => ({ state: { returnTo: '/funding?by=AGENCY' }, profile: { sub: 'user-1' } })),
    });
    const session = new CognitoSession(config, m);
    await session.init();
    expect(window.location.pathname + window.location.search).toBe('/funding?by=AGENCY');
    expect(session.identity()).toBe('user-1');
  });

  it("signs out at the hosted UI's /logout with the client id and the registered sign-out address", async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign });
    const m = manager({
      metadataService: {
        getAuthorizationEndpoint: vi.fn(async () => 'https://samordning.auth.eu-north-1.amazoncognito.com/oauth2/authorize'),
      },
    });
    try {
      await new CognitoSession(config, m).signOut();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(m.removeUser).toHaveBeenCalled();
    expect(assign).toHaveBeenCalledWith(
      'https://samordning.auth.eu-north-1.amazoncognito.com/logout?client_id=client&logout_uri=https%3A%2F%2Fapp.example%2F',
    );
  });

  it('never returns to another site after sign-in', async () => {
    window.history.replaceState(null, '', '/?code=abc&state=xyz');
    const m = manager({ signinRedirectCallback: vi.fn(async () => ({ state: { returnTo: '//evil.example/' }, profile: { sub: 'u' } })) });
    await new CognitoSession(config, m).init();
    expect(window.location.pathname + window.location.search).toBe('/');
  });

  it('renews with the refresh token after a 401, and signs in again only when that fails, returning to this page', async () => {
    window.history.replaceState(null, '', '/measures/m1');
    const refreshed = manager({ signinSilent: vi.fn(async () => ({ access_token: 'fresh', profile: { sub: 'u' } })) });
    expect(await new CognitoSession(config, refreshed).renew()).toBe('fresh');

    const expired = manager({ signinSilent: vi.fn(async () => Promise.reject(new Error('invalid_grant'))) });
    void new CognitoSession(config, expired).renew();
    await vi.waitFor(() => expect(expired.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: '/measures/m1' } }));
  });
});
