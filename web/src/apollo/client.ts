import { ApolloClient, HttpLink } from '@apollo/client';
import type { Session } from '../auth/session';
import { createCache } from './cache';

/** Called when a 401 was answered by signing in again, so the page can say that nothing was lost. */
export type RenewedListener = () => void;

/**
 * fetch for /graphql: adds `Authorization: Bearer <token>` (same origin, so no CORS), and on a 401
 * (an expired or revoked token) renews the session once and sends the same request again. The
 * request body is untouched, so a write that failed for want of a token is simply made again; money
 * writes carry their idempotency key, so even a retry after a lost answer writes once.
 */
export function authenticatedFetch(session: Session, onRenewed: RenewedListener = () => {}, fetchImpl: typeof fetch = fetch): typeof fetch {
  const send = (input: RequestInfo | URL, init: RequestInit | undefined, token: string | null) => {
    const headers = new Headers(init?.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetchImpl(input, { ...init, headers });
  };
  return async (input, init) => {
    const response = await send(input, init, await session.getToken());
    if (response.status !== 401) return response;
    const renewed = await session.renew();
    if (!renewed) return response;
    onRenewed();
    return send(input, init, renewed);
  };
}

export function createClient(session: Session, onRenewed?: RenewedListener, fetchImpl?: typeof fetch) {
  return new ApolloClient({
    link: new HttpLink({ uri: '/graphql', fetch: authenticatedFetch(session, onRenewed, fetchImpl) }),
    cache: createCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
