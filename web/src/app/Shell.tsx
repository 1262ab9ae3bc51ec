import { Alert, Button, Heading, Paragraph, SkipLink, Tag } from '@digdir/designsystemet-react';
import { Suspense, useEffect, useState } from 'react';
import type { LocalRole } from '../auth/config';
import { useI18n } from '../i18n/i18n';
import { Link, matchPath, useLocation } from '../router/router';
import { DEFAULT_PLAN_ID, useApp } from '../session/context';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Loading } from '../ui/status';
import { ActAs } from './ActAs';
import { routes } from './routes';

const SESSION_RENEWED = 'samordning:session-renewed';
/** A renewal may happen before the notice is on the page (the first request of a reload): it is remembered. */
let renewedUnseen = false;

/** Called when a 401 was answered by signing in again, so the page can say that nothing was lost. */
export function markSessionRenewed() {
  renewedUnseen = true;
  window.dispatchEvent(new Event(SESSION_RENEWED));
}

function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <fieldset className="language">
      <legend className="visually-hidden">{t('app.language')}</legend>
      <Button
        variant={locale === 'nb' ? 'primary' : 'tertiary'}
        data-size="sm"
        aria-pressed={locale === 'nb'}
        lang="nb"
        onClick={() => setLocale('nb')}
      >
        Norsk
      </Button>
      <Button
        variant={locale === 'en' ? 'primary' : 'tertiary'}
        data-size="sm"
        aria-pressed={locale === 'en'}
        lang="en"
        onClick={() => setLocale('en')}
      >
        English
      </Button>
    </fieldset>
  );
}

function Identity() {
  const { t } = useI18n();
  const { session, viewer, signOut, config } = useApp();
  const [switching, setSwitching] = useState(false);
  const roleNames = viewer.roles.map((r) => t(`roles.${r}`)).join(', ');
  const who = viewer.agencyName ? `${roleNames} – ${viewer.agencyName}` : roleNames || (session.identity() ?? '');
  return (
    <div className="identity">
      <Paragraph data-size="sm">{t('app.signedInAs', { who })}</Paragraph>
      {config.auth.mode === 'local' && (
        <Button variant="tertiary" data-size="sm" onClick={() => setSwitching((s) => !s)} aria-expanded={switching}>
          {t('app.switchRole')}
        </Button>
      )}
      <Button variant="tertiary" data-size="sm" onClick={() => void signOut()}>
        {t('app.signOut')}
      </Button>
      {switching && config.auth.mode === 'local' && <SwitchRole roles={config.auth.roles} onDone={() => setSwitching(false)} />}
    </div>
  );
}

function SwitchRole({ roles, onDone }: { roles: LocalRole[]; onDone: () => void }) {
  const { actAs, session } = useApp();
  // Escape closes the chooser, as it would a menu.
  useEffect(() => {
    const close = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onDone();
    };
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [onDone]);
  return (
    <div className="switch-role">
      <ActAs
        roles={roles}
        current={session.identity()}
        onChoose={async (as) => {
          await actAs(as);
          onDone();
        }}
      />
    </div>
  );
}

function Nav() {
  const { t } = useI18n();
  const { viewer, planId } = useApp();
  const { pathname } = useLocation();
  // The pages of one plan keep it as the reader moves between them (the demo set is a plan of its own).
  const ofPlan = planId === DEFAULT_PLAN_ID ? '' : `?plan=${encodeURIComponent(planId)}`;
  const items = [
    { href: `/${ofPlan}`, label: t('nav.plan'), current: pathname === '/' || pathname.startsWith('/measures') },
    { href: `/duties${ofPlan}`, label: t('nav.duties'), current: pathname.startsWith('/duties') },
    { href: '/shelters', label: t('nav.shelters'), current: pathname.startsWith('/shelters') },
    { href: '/capacity', label: t('nav.capacity'), current: pathname.startsWith('/capacity') },
    {
      href: `/funding${ofPlan}`,
      label: t('nav.funding'),
      current: pathname.startsWith('/funding') || pathname.startsWith('/budget-lines'),
    },
    ...(viewer.agencyId
      ? [{ href: `/agencies/${encodeURIComponent(viewer.agencyId)}`, label: t('nav.myAgency'), current: pathname.startsWith('/agencies') }]
      : []),
  ];
  return (
    <nav aria-label={t('app.mainNav')} className="main-nav">
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={item.current ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function RenewedNotice() {
  const { t } = useI18n();
  const [shown, setShown] = useState(renewedUnseen);
  useEffect(() => {
    renewedUnseen = false;
    const show = () => {
      renewedUnseen = false;
      setShown(true);
    };
    window.addEventListener(SESSION_RENEWED, show);
    return () => window.removeEventListener(SESSION_RENEWED, show);
  }, []);
  if (!shown) return null;
  return (
    <Alert data-color="info" role="status" className="renewed">
      {t('auth.sessionRenewed')}{' '}
      <Button variant="tertiary" data-size="sm" onClick={() => setShown(false)}>
        {t('app.close')}
      </Button>
    </Alert>
  );
}

function NotFound({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <>
      <Heading level={1} data-size="lg" tabIndex={-1}>
        {t('app.notFound')}
      </Heading>
      <Paragraph>{t('app.notFoundText', { path })}</Paragraph>
      <Link href="/">{t('app.backHome')}</Link>
    </>
  );
}

export function Shell() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const { viewer } = useApp();
  let content = <NotFound path={pathname} />;
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) {
      const Page = route.page;
      content = <Page params={params} />;
      break;
    }
  }
  return (
    <>
      <SkipLink href="#main">{t('app.skipToContent')}</SkipLink>
      <header className="app-header">
        <div className="brand">
          <Link href="/" className="brand-link">
            <span className="brand-name">{t('app.name')}</span>
          </Link>
          <span className="brand-tagline">{t('app.tagline')}</span>
          {viewer.roles.map((role) => (
            <Tag key={role} data-size="sm" data-color="info">
              {t(`roles.${role}`)}
            </Tag>
          ))}
        </div>
        <div className="header-tools">
          <LanguageSwitch />
          <Identity />
        </div>
        <Nav />
      </header>
      <main id="main" tabIndex={-1}>
        <RenewedNotice />
        <ErrorBoundary resetKey={pathname}>
          <Suspense fallback={<Loading />}>{content}</Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}

/** Before sign-in: the same header, and the sign-in card. */
export function SignInShell({ children }: { children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <div className="header-tools">
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Heading level={1} data-size="lg" tabIndex={-1}>
          {t('auth.title')}
        </Heading>
        {children}
      </main>
    </>
  );
}
