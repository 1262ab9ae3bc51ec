/** What /config.json says: written by the deployment in the cloud, answered by the local server locally. */
export interface LocalRole {
  as: string;
  label: string;
}

export interface LocalAuthConfig {
  mode: 'local';
  roles: LocalRole[];
}

export interface CognitoAuthConfig {
  mode: 'cognito';
  authority: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  scope: string;
}

export interface AppConfig {
  auth: LocalAuthConfig | CognitoAuthConfig;
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Checks the shape of /config.json; throws with a reason when it is not one the app understands. */
export function parseConfig(value: unknown): AppConfig {
  const auth = (value as { auth?: Record<string, unknown> } | null)?.auth;
  if (!auth || typeof auth !== 'object') throw new Error('config.json has no "auth"');
  if (auth.mode === 'local') {
    const roles = Array.isArray(auth.roles) ? auth.roles : [];
    return {
      auth: {
        mode: 'local',
        roles: roles
          .filter((r): r is LocalRole => isString((r as LocalRole)?.as))
          .map((r) => ({ as: r.as, label: isString(r.label) ? r.label : r.as })),
      },
    };
  }
  if (auth.mode === 'cognito') {
    const { authority, clientId, redirectUri, postLogoutRedirectUri, scope } = auth;
    if (![authority, clientId, redirectUri, postLogoutRedirectUri, scope].every(isString))
      throw new Error('config.json: cognito needs authority, clientId, redirectUri, postLogoutRedirectUri and scope');
    return { auth: { mode: 'cognito', authority, clientId, redirectUri, postLogoutRedirectUri, scope } as CognitoAuthConfig };
  }
  throw new Error(`config.json: unknown auth mode ${String(auth.mode)}`);
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetchImpl('/config.json', { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return parseConfig(await response.json());
}

/** "coordinator", "funder", "viewer" or "agency:<id>": what a local token may be minted as. */
export const ACT_AS = /^(coordinator|funder|viewer|agency:[a-z0-9][a-z0-9-]{0,62})$/;
