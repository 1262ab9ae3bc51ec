import type { ApolloClient } from '@apollo/client';
import { ApolloProvider, useQuery } from '@apollo/client/react';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { createClient } from '../apollo/client';
import type { AppConfig } from '../auth/config';
import type { CognitoSession } from '../auth/oidc';
import { LocalSession, type Session } from '../auth/session';
import { AppViewerDocument } from '../graphql';
import { I18nProvider } from '../i18n/i18n';
import { useLocation } from '../router/router';
import { AppContext, type AppContextValue, appViewerOf, DEFAULT_PLAN_ID, NO_VIEWER } from '../session/context';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Loading, QueryError } from '../ui/status';
import { ActAs, CognitoSignIn } from './ActAs';
import { markSessionRenewed, Shell, SignInShell } from './Shell';

interface Props {
  config: AppConfig;
  session: Session;
  /** For tests: a client over a mocked link. */
  client?: ApolloClient;
}

/** The app: sign-in first, then one Apollo client (and cache) per identity, so no data crosses roles. */
export function App({ config, session, client: givenClient }: Props) {
  return (
    <I18nProvider>
      <ErrorBoundary>
        <Signed config={config} session={session} givenClient={givenClient} />
      </ErrorBoundary>
    </I18nProvider>
  );
}

function Signed({ config, session, givenClient }: { config: AppConfig; session: Session; givenClient?: ApolloClient | undefined }) {
  const [identity, setIdentity] = useState(() => session.identity());
  const client = useMemo(
    () => givenClient ?? (identity ? createClient(session, markSessionRenewed) : null),
    [givenClient, identity, session],
  );

  const actAs = useCallback(
    async (as: string) => {
      if (!(session instanceof LocalSession)) throw new Error('act as is local only');
      await session.signIn(as);
      setIdentity(session.identity());
    },
    [session],
  );
  const signOut = useCallback(async () => {
    await session.signOut();
    setIdentity(null);
  }, [session]);

  if (!identity || !client) {
    return (
      <SignInShell>
        {session instanceof LocalSession ? (
          <ActAs roles={session.roles} onChoose={actAs} />
        ) : (
          <CognitoSignIn onSignIn={() => (session as CognitoSession).signIn()} />
        )}
      </SignInShell>
    );
  }
  return (
    <ApolloProvider client={client} key={identity}>
      <WithViewer config={config} session={session} actAs={actAs} signOut={signOut}>
        <Shell />
      </WithViewer>
    </ApolloProvider>
  );
}

function WithViewer({
  config,
  session,
  actAs,
  signOut,
  children,
}: Pick<AppContextValue, 'config' | 'session' | 'actAs' | 'signOut'> & { children: ReactNode }) {
  const { data, error, loading, refetch } = useQuery(AppViewerDocument);
  const { search } = useLocation();
  const viewer = data?.viewer;
  const value = useMemo<AppContextValue>(
    () => ({
      config,
      session,
      actAs,
      signOut,
      viewer: viewer ? appViewerOf(viewer) : NO_VIEWER,
      planId: search.get('plan') ?? DEFAULT_PLAN_ID,
    }),
    [config, session, actAs, signOut, viewer, search],
  );
  if (!viewer) {
    if (error)
      return (
        <SignInShell>
          <QueryError error={error} onRetry={() => void refetch()} />
        </SignInShell>
      );
    if (loading) return <Loading />;
  }
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}
