import { ACT_AS } from './config';
import { LocalSession, type Session } from './session';

/**
 * A deep link that signs in directly, locally: `/capacity?as=agency:nav`. The parameter leaves the
 * address before anything else happens (so a bookmark or a shared link never carries a role), then
 * the session signs in as it says. In the cloud the parameter is only removed: Cognito decides who
 * one is.
 */
export async function signInFromDeepLink(session: Session): Promise<void> {
  const url = new URL(window.location.href);
  const as = url.searchParams.get('as');
  if (as === null) return;
  url.searchParams.delete('as');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  if (session instanceof LocalSession && ACT_AS.test(as)) await session.signIn(as);
}
