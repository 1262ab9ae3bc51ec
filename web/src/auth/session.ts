import { ACT_AS, type AppConfig, type CognitoAuthConfig, type LocalRole } from './config';

/**
 * A signed-in session: it hands out the access token for /graphql and renews it when the API
 * answers 401. Renewing never touches what the user typed: forms keep their drafts in
 * sessionStorage, which outlives even a redirect to the sign-in page and back.
 */
export interface Session {
  readonly mode: 'local' | 'cognito';
  /** Who is signed in, for the header; null when nobody is. */
  identity(): string | null;
  /** The current access token, renewed first when it has expired; null when nobody is signed in. */
  getToken(): Promise<string | null>;
  /** A fresh token after a 401; may leave the page to sign in again (cognito), returning here after. */
  renew(): Promise<string | null>;
  signOut(): Promise<void>;
}

interface StoredToken {
  as: string;
  token: string;
  expiresAt: string;
}

const STORED = 'samordning.localToken';
/** Renew a little before expiry, so a request never leaves with a token about to lapse. */
const MARGIN_MS = 30_000;

/** Local mode: tokens minted by the local server for a chosen role or agency (loopback hosts only). */
export class LocalSession implements Session {
  readonly mode = 'local' as const;
  private stored: StoredToken | null;
  private pending: Promise<string> | null = null;

  constructor(
    readonly roles: LocalRole[],
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly storage: Storage | null = typeof sessionStorage === 'undefined' ? null : sessionStorage,
  ) {
    this.stored = this.read();
  }

  identity(): string | null {
    return this.stored?.as ?? null;
  }

  label(): string | null {
    const as = this.identity();
    if (!as) return null;
    return this.roles.find((r) => r.as === as)?.label ?? as;
  }

  /** Mints a token as `as` ("funder", "agency:nav", …) and keeps it for this tab. */
  async signIn(as: string): Promise<string> {
    if (!ACT_AS.test(as)) throw new Error(`cannot act as "${as}"`);
    // Two callers that need a token at once share one request.
    this.pending ??= (async () => {
      try {
        const response = await this.fetchImpl('/local/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ as }),
        });
        if (!response.ok) throw new Error(`/local/token answered ${response.status}`);
        const body = (await response.json()) as { token?: unknown; expiresAt?: unknown };
        if (typeof body.token !== 'string') throw new Error('/local/token gave no token');
        const expiresAt = typeof body.expiresAt === 'string' ? body.expiresAt : new Date(Date.now() + 3600_000).toISOString();
        this.stored = { as, token: body.token, expiresAt };
        this.storage?.setItem(STORED, JSON.stringify(this.stored));
        return body.token;
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }

  async getToken(): Promise<string | null> {
    const stored = this.stored;
    if (!stored) return null;
    if (Date.parse(stored.expiresAt) - MARGIN_MS > Date.now()) return stored.token;
    return this.signIn(stored.as);
  }

  async renew(): Promise<string | null> {
    const as = this.stored?.as;
    return as ? this.signIn(as) : null;
  }

  async signOut(): Promise<void> {
    this.stored = null;
    this.storage?.removeItem(STORED);
  }

  private read(): StoredToken | null {
    try {
      const raw = this.storage?.getItem(STORED);
      const value = raw ? (JSON.parse(raw) as StoredToken) : null;
      return value && typeof value.token === 'string' && ACT_AS.test(value.as) ? value : null;
    } catch {
      return null;
    }
  }
}

/** Builds the session the configuration asks for; the OIDC client loads only in the cloud. */
export async function createSession(config: AppConfig): Promise<Session> {
  if (config.auth.mode === 'local') return new LocalSession(config.auth.roles);
  const { CognitoSession } = await import('./oidc');
  const session = new CognitoSession(config.auth as CognitoAuthConfig);
  await session.init();
  return session;
}
