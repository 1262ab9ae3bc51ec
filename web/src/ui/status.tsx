import { Alert, Button, Paragraph, Spinner } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { problemText, toApiProblem } from '../forms/errors';
import { useI18n } from '../i18n/i18n';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  const text = label ?? t('app.loading');
  return (
    <div className="loading" role="status">
      <Spinner aria-hidden data-size="sm" aria-label={text} />
      <span>{text}</span>
    </div>
  );
}

/** A failed query: what happened, the correlation id when there is one, and a retry. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const i18n = useI18n();
  const problem = toApiProblem(error);
  return (
    <Alert data-color={problem.kind === 'forbidden' ? 'warning' : 'danger'} role="alert">
      <Paragraph>{problemText(i18n, problem)}</Paragraph>
      {problem.correlationId && <Paragraph data-size="sm">{i18n.t('errors.correlation', { id: problem.correlationId })}</Paragraph>}
      {onRetry && (
        <Button variant="secondary" data-size="sm" onClick={onRetry}>
          {i18n.t('app.retry')}
        </Button>
      )}
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <Paragraph className="empty">{children}</Paragraph>;
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <Alert data-color="success" role="status">
      {children}
    </Alert>
  );
}
