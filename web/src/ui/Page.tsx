import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { type ReactNode, useEffect, useId } from 'react';
import { useI18n } from '../i18n/i18n';

/** A page's h1 (focusable, so navigation can move focus to it) and the document title. */
export function PageHeading({ children, intro, title }: { children: ReactNode; intro?: ReactNode; title: string }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  return (
    <div className="page-heading">
      <Heading level={1} data-size="lg" tabIndex={-1}>
        {children}
      </Heading>
      {intro && <Paragraph>{intro}</Paragraph>}
    </div>
  );
}

export function Section({ title, children, level = 2 }: { title: string; children: ReactNode; level?: 2 | 3 }) {
  const headingId = useId();
  return (
    <section className="section" aria-labelledby={headingId}>
      <Heading level={level} data-size={level === 2 ? 'md' : 'sm'} id={headingId}>
        {title}
      </Heading>
      {children}
    </section>
  );
}
