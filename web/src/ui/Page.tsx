import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { takeFocusRequest } from '../router/router';

/** A page's h1 (focusable, so navigation can move focus to it) and the document title. */
export function PageHeading({ children, intro, title }: { children: ReactNode; intro?: ReactNode; title: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, []);
  return (
    <div className="page-heading">
      <Heading level={1} data-size="lg" tabIndex={-1} ref={ref}>
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
