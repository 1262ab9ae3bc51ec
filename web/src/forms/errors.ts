import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import type { I18n } from '../i18n/i18n';

/** What the app makes of an error from the API, for a form or a page. */
export interface ApiProblem {
  kind: 'field' | 'conflict' | 'forbidden' | 'notFound' | 'unavailable' | 'tooLarge' | 'network' | 'unauthenticated' | 'server';
  /** Messages by the input field named in `extensions.field`. */
  fields: Record<string, string>;
  /** The server's message, where no field takes it. */
  message?: string;
  /** Of an INTERNAL_SERVER_ERROR: the id its log line carries too. */
  correlationId?: string;
  /** Of a CONFLICT on a stale version. */
  currentVersion?: number;
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

function graphQLErrors(error: unknown): GraphQLErrorLike[] | null {
  if (CombinedGraphQLErrors.is(error)) return [...error.errors] as GraphQLErrorLike[];
  // A 400 whose body is a GraphQL answer (a refused document) arrives as a ServerError with the body.
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: GraphQLErrorLike[] };
      if (Array.isArray(body.errors)) return body.errors;
    } catch {
      return null;
    }
  }
  return null;
}

/** Maps an Apollo error to fields, a kind and the correlation id. */
export function toApiProblem(error: unknown): ApiProblem {
  const errors = graphQLErrors(error);
  if (!errors) {
    if (ServerError.is(error)) {
      if (error.statusCode === 401) return { kind: 'unauthenticated', fields: {} };
      if (error.statusCode === 503 || error.statusCode === 429) return { kind: 'unavailable', fields: {} };
      return { kind: 'server', fields: {}, message: error.message };
    }
    return { kind: 'network', fields: {}, message: error instanceof Error ? error.message : String(error) };
  }
  const problem: ApiProblem = { kind: 'server', fields: {} };
  const rank: ApiProblem['kind'][] = ['server', 'field', 'notFound', 'tooLarge', 'unavailable', 'forbidden', 'conflict', 'unauthenticated'];
  const raise = (kind: ApiProblem['kind']) => {
    if (rank.indexOf(kind) > rank.indexOf(problem.kind)) problem.kind = kind;
  };
  for (const e of errors) {
    const ext = e.extensions ?? {};
    const field = typeof ext.field === 'string' ? ext.field : undefined;
    if (typeof ext.correlationId === 'string') problem.correlationId = ext.correlationId;
    switch (ext.code) {
      case 'BAD_USER_INPUT':
        raise('field');
        if (field) problem.fields[field] = e.message;
        else problem.message = e.message;
        break;
      case 'CONFLICT':
        raise('conflict');
        if (typeof ext.currentVersion === 'number') problem.currentVersion = ext.currentVersion;
        if (field && field !== 'expectedVersion') problem.fields[field] = e.message;
        problem.message = e.message;
        break;
      case 'FORBIDDEN':
        raise('forbidden');
        break;
      case 'NOT_FOUND':
        raise('notFound');
        if (field) problem.fields[field] = e.message;
        break;
      case 'UNAUTHENTICATED':
        raise('unauthenticated');
        break;
      case 'SERVICE_UNAVAILABLE':
        raise('unavailable');
        break;
      // The answer was over the server's response ceiling (docs/limits.md): refused whole.
      case 'RESPONSE_TOO_LARGE':
        raise('tooLarge');
        break;
      default:
        problem.message ??= e.message;
    }
  }
  return problem;
}

/** The correlation id of an error, wherever it sits, for the error boundary. */
export function correlationIdOf(error: unknown): string | undefined {
  return toApiProblem(error).correlationId;
}

/** The sentence for a problem of a kind, in the reader's language. */
export function problemText(i18n: I18n, problem: ApiProblem): string {
  switch (problem.kind) {
    case 'forbidden':
      return i18n.t('errors.forbidden');
    case 'notFound':
      return i18n.t('errors.notFound');
    case 'network':
      return i18n.t('errors.network');
    case 'unavailable':
      return i18n.t('errors.unavailable');
    case 'tooLarge':
      return i18n.t('errors.tooLarge');
    case 'field':
      return problem.message ? i18n.t('errors.fieldRejected', { message: problem.message }) : i18n.t('errors.badInput');
    case 'conflict':
      return problem.currentVersion !== undefined
        ? i18n.t('errors.conflict', { version: problem.currentVersion })
        : i18n.t('errors.conflictNoVersion');
    case 'unauthenticated':
      return i18n.t('auth.failed', { message: '401' });
    case 'server':
      return i18n.t('errors.server');
  }
}
