import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { type RefObject, useCallback, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { type ApiProblem, problemText, toApiProblem } from './errors';
import { type Errors, hasErrors } from './rules';

/**
 * The state every form shares: the client's checks, the server's answer mapped to fields, whether it
 * is being sent, and what to say when it went through.
 */
export function useForm<F extends string>() {
  const [errors, setErrors] = useState<Errors<F>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  /** The error to show at a field: the client's check first, then what the server said about it. */
  const fieldError = useCallback((name: F) => errors[name] ?? problem?.fields[name], [errors, problem]);

  /** Runs the checks; on failure shows them and moves focus to the first field in error. */
  const check = useCallback((found: Errors<F>) => {
    setErrors(found);
    setDone(null);
    if (!hasErrors(found)) return true;
    focusFirst(formRef, Object.keys(found));
    return false;
  }, []);

  /** Sends: a server error lands at its field (or above the form), success says `message`. */
  const run = useCallback(async (send: () => Promise<string | null>) => {
    setSubmitting(true);
    setProblem(null);
    setDone(null);
    try {
      const message = await send();
      setDone(message);
      setErrors({});
      return true;
    } catch (error) {
      const mapped = toApiProblem(error);
      setProblem(mapped);
      focusFirst(formRef, Object.keys(mapped.fields));
      return false;
    } finally {
      setSubmitting(false);
    }
  }, []);

  const clearFeedback = useCallback(() => {
    setProblem(null);
    setDone(null);
  }, []);

  return { formRef, errors, problem, setProblem, submitting, done, setDone, fieldError, check, run, clearFeedback };
}

function focusFirst(formRef: RefObject<HTMLFormElement | null>, fields: string[]) {
  const form = formRef.current;
  if (!form || fields.length === 0) return;
  queueMicrotask(() => {
    for (const field of fields) {
      const target = form.querySelector<HTMLElement>(
        `[data-field="${field}"] :is(input, select, textarea), :is(input, select, textarea)[name="${field}"]`,
      );
      if (target) {
        target.focus();
        return;
      }
    }
  });
}

/**
 * What went wrong with a submission that no single field shows: a refused right, a conflict (with
 * "load the latest and keep my changes" when the form can do that), an outage, a correlation id.
 */
export function FormProblem({
  problem,
  fieldsShown,
  onReload,
}: {
  problem: ApiProblem | null;
  fieldsShown: readonly string[];
  onReload?: () => void;
}) {
  const i18n = useI18n();
  if (!problem) return null;
  const unshown = Object.entries(problem.fields).filter(([field]) => !fieldsShown.includes(field));
  const onlyFields = problem.kind === 'field' && !problem.message && unshown.length === 0;
  if (onlyFields) return null;
  return (
    <Alert data-color={problem.kind === 'conflict' ? 'warning' : 'danger'} role="alert">
      <Paragraph>{problemText(i18n, problem)}</Paragraph>
      {problem.kind === 'conflict' && problem.currentVersion === undefined && problem.message && (
        <Paragraph data-size="sm">{problem.message}</Paragraph>
      )}
      {unshown.map(([field, message]) => (
        <Paragraph key={field} data-size="sm">
          {field}: {message}
        </Paragraph>
      ))}
      {problem.correlationId && <Paragraph data-size="sm">{i18n.t('errors.correlation', { id: problem.correlationId })}</Paragraph>}
      {problem.kind === 'conflict' && onReload && (
        <Button variant="secondary" data-size="sm" onClick={onReload}>
          {i18n.t('errors.reloadAndReapply')}
        </Button>
      )}
    </Alert>
  );
}
