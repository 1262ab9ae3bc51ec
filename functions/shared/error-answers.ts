import type { DomainError, ErrorCode } from './errors.js';

/**
 * How a domain error is answered, in one place for both transports: the GraphQL function's `formatError` (an error's
 * `extensions`) and the exports function's router (an HTTP status and a JSON body). Nothing here imports GraphQL or
 * Apollo: the exports bundle uses it too.
 */
export interface CodeAnswer {
  /** The HTTP status of a plain HTTP answer (the exports); a GraphQL answer is 200 but for UNAUTHENTICATED. */
  readonly status: number;
  /**
   * A message that replaces the error's in a plain HTTP answer, which then carries no code and no extensions: a
   * refusal says nothing about what was asked for.
   */
  readonly fixedMessage?: string;
}

export const ERROR_ANSWERS: Readonly<Record<ErrorCode, CodeAnswer>> = {
  BAD_USER_INPUT: { status: 400 },
  UNAUTHENTICATED: { status: 401, fixedMessage: 'A valid access token is required.' },
  FORBIDDEN: { status: 403, fixedMessage: 'You are not allowed to do this.' },
  // A file names what it reads in its path and filters: something named there that does not exist (a plan) is a bad
  // filter value. A file that would be empty (IATI, nothing funded) is 404: `notFoundAnswer`, by the router's choice.
  NOT_FOUND: { status: 400 },
  // Reads raise none today; one would be the request's (a limit exceeded), not the server's.
  CONFLICT: { status: 400 },
  // DynamoDB kept throttling after the retries: the client may retry.
  SERVICE_UNAVAILABLE: { status: 503 },
};

/** What masks every error that is not a domain error, in both transports, beside a correlation id. */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';
export const INTERNAL_ERROR_CODE = 'INTERNAL_SERVER_ERROR';

/** A domain error's GraphQL extensions: its code, then its own extensions (`field`, `retryable`, …). */
export function graphqlExtensionsOf(error: DomainError): Record<string, unknown> {
  return { code: error.code, ...error.extensions };
}

/** The extensions of a masked error: the code and the correlation id that the log line carries too. */
export function internalExtensions(correlationId: string): Record<string, unknown> {
  return { code: INTERNAL_ERROR_CODE, correlationId };
}

/** A plain HTTP answer: its status and the fields of its JSON body (`message` first). */
export interface HttpErrorAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A domain error as a plain HTTP answer (the exports): the code's status; its message, code and extensions unless refused. */
export function httpAnswerOf(error: DomainError): HttpErrorAnswer {
  const { status, fixedMessage } = ERROR_ANSWERS[error.code];
  if (fixedMessage !== undefined) return { status, body: { message: fixedMessage } };
  return { status, body: { message: error.message, ...graphqlExtensionsOf(error) } };
}

/** A NOT_FOUND that means the file asked for would be empty: 404, with the error's message, code and extensions. */
export function notFoundAnswer(error: DomainError & { readonly code: 'NOT_FOUND' }): HttpErrorAnswer {
  return { status: 404, body: { message: error.message, ...graphqlExtensionsOf(error) } };
}

/** Any other error as a plain HTTP answer: 500, masked, with the correlation id (no code: the exports never sent one). */
export function internalHttpAnswer(correlationId: string): HttpErrorAnswer {
  return { status: 500, body: { message: INTERNAL_ERROR_MESSAGE, correlationId } };
}

/**
 * The body of a GraphQL error answered before GraphQL runs (an oversized or malformed body, a request that did not
 * come through the distribution): `{ errors: [{ message, extensions }] }`, as Apollo words its own.
 */
export function graphqlErrorsBody(message: string, extensions: Record<string, unknown>): string {
  return JSON.stringify({ errors: [{ message, extensions }] });
}
