import { UserManager, type UserManagerSettings, WebStorageStateStore } from 'oidc-client-ts';
import type { CognitoAuthConfig } from './config';
import type { Session } from './session';

interface ReturnState {
  returnTo: string;
}

/** The settings for Cognito's hosted UI: authorization code with PKCE (oidc-client-ts's default for "code"). */
export function oidcSettings(config: CognitoAuthConfig, storage: Storage = sessionStorage): UserManagerSettings {
  return {
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    post_logout_redirect_uri: config.postLogoutRedirectUri,
    scope: config.scope,
    response_type: 'code',
    // Tokens stay in this tab's sessionStorage: never in localStorage, never in a cookie.
    userStore: new WebStorageStateStore({ store: storage }),
    stateStore: new WebStorageStateStore({ store: storage }),
    automaticSilentRenew: false,
    // Cognito's user info endpoint needs the openid scope; the API needs only the access token.
    loadUserInfo: false,
  };
}

const currentAddress = () => window.location.pathname + window.location.search + window.location.hash;

/**
 * Cloud mode: Cognito's hosted UI. After the redirect back, the callback is handled and the user
 * returns to the page they were on; an expired session is renewed with the refresh token, and only
 * when that fails does the page go to sign in again (forms keep their drafts in sessionStorage).
 */
export class CognitoSession implements Session {
  readonly mode = 'cognito' as const;
  private subject: string | null = null;

  constructor(
    private readonly config: CognitoAuthConfig,
    readonly manager: UserManager = new UserManager(oidcSettings(config)),
  ) {}

  /** Completes a sign-in redirect when the address carries one; otherwise picks up a stored user. */
  async init(): Promise<void> {
    const params = new URLSearchParams(window.location.search);
    if (params.has('code') && params.has('state')) {
      const user = await this.manager.signinRedirectCallback();
      const state = user.state as ReturnState | undefined;
      const returnTo = state?.returnTo?.startsWith('/') && !state.returnTo.startsWith('//') ? state.returnTo : '/';
      window.history.replaceState(null, '', returnTo);
      this.subject = user.profile.sub ?? null;
      return;
    }
    const user = await this.manager.getUser();
    this.subject = user && !user.expired ? (user.profile.sub ?? null) : null;
  }

  identity(): string | null {
    return this.subject;
  }

  signIn(returnTo: string = currentAddress()): Promise<void> {
    return this.manager.signinRedirect({ state: { returnTo } satisfies ReturnState });
  }

  async getToken(): Promise<string | null> {
    const user = await this.manager.getUser();
    if (!user) return null;
    if (!user.expired) return user.access_token;
    return this.refresh();
  }

  async renew(): Promise<string | null> {
    const token = await this.refresh();
    if (token) return token;
    await this.signIn();
    // The page is leaving for the sign-in page; nothing should go on in the meantime.
    return new Promise<never>(() => {});
  }

  /**
   * Signs out of the app and of the hosted UI. Cognito's discovery document names no end-session
   * endpoint (oidc-client-ts's signoutRedirect needs one): its hosted UI signs out at `/logout` on the
   * domain of its authorize endpoint, with the app's client id and a registered `logout_uri`.
   */
  async signOut(): Promise<void> {
    await this.manager.removeUser();
    const logout = new URL('/logout', await this.manager.metadataService.getAuthorizationEndpoint());
    logout.searchParams.set('client_id', this.config.clientId);
    logout.searchParams.set('logout_uri', this.config.postLogoutRedirectUri);
    window.location.assign(logout.toString());
  }

  private async refresh(): Promise<string | null> {
    try {
      const user = await this.manager.signinSilent();
      this.subject = user?.profile.sub ?? this.subject;
      return user?.access_token ?? null;
    } catch {
      return null;
    }
  }
}
