import '@digdir/designsystemet-css';
import '@digdir/designsystemet-theme';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadConfig } from './auth/config';
import { signInFromDeepLink } from './auth/deepLink';
import { createSession } from './auth/session';
import { translate } from './i18n/i18n';

const root = createRoot(document.getElementById('root') as HTMLElement);

async function start() {
  const config = await loadConfig();
  const session = await createSession(config);
  await signInFromDeepLink(session);
  root.render(
    <StrictMode>
      <App config={config} session={session} />
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  console.error('Samordning could not start', error);
  const locale = document.documentElement.lang === 'en' ? 'en' : 'nb';
  root.render(
    <main id="main" className="start-failed">
      <h1>Samordning</h1>
      <p role="alert">{translate(locale, 'auth.configFailed')}</p>
    </main>,
  );
});
