import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { correlationIdOf } from '../forms/errors';
import { useI18n } from '../i18n/i18n';

interface State {
  error: unknown;
}

/** Whatever a page throws ends here: a message, the correlation id when the API gave one, and a way on, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string; fallback?: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey?: string }) {
    // Moving to another page leaves the error behind.
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.warn('Samordning: a page failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error && this.props.fallback !== undefined) return this.props.fallback;
    if (this.state.error) return <Fallback error={this.state.error} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}

function Fallback({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  const correlationId = correlationIdOf(error);
  return (
    <Alert data-color="danger" role="alert">
      <Heading level={2} data-size="xs">
        {t('errors.title')}
      </Heading>
      <Paragraph>{t('errors.unexpected')}</Paragraph>
      {correlationId && <Paragraph>{t('errors.correlation', { id: correlationId })}</Paragraph>}
      <Button variant="secondary" onClick={onRetry}>
        {t('app.retry')}
      </Button>
    </Alert>
  );
}
