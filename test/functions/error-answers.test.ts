import { describe, expect, it } from 'vitest';
import { formatError } from '../../functions/graphql/errors.js';
import {
  ERROR_ANSWERS,
  graphqlErrorsBody,
  httpAnswerOf,
  internalHttpAnswer,
  notFoundAnswer,
} from '../../functions/shared/error-answers.js';
import {
  BadUserInputError,
  ConflictError,
  type DomainError,
  type ErrorCode,
  ForbiddenError,
  NotFoundError,
  RetryableError,
  UnauthenticatedError,
} from '../../functions/shared/errors.js';

/** One error of every code, as the domain raises them. */
const examples: Record<ErrorCode, DomainError> = {
  BAD_USER_INPUT: new BadUserInputError('fiscalYear must be a year of four digits.', 'fiscalYear'),
  UNAUTHENTICATED: new UnauthenticatedError('The token names no one.'),
  FORBIDDEN: new ForbiddenError('You may not read the funding of agency a-1.'),
  NOT_FOUND: new NotFoundError('No plan p-9.', 'planId'),
  CONFLICT: new ConflictError('The version is stale.', { field: 'version' }),
  SERVICE_UNAVAILABLE: new RetryableError(),
};

describe('error answers: one mapping for GraphQL and the exports', () => {
  it('gives every code its HTTP status', () => {
    expect(Object.fromEntries(Object.entries(ERROR_ANSWERS).map(([code, a]) => [code, a.status]))).toEqual({
      BAD_USER_INPUT: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 400,
      CONFLICT: 400,
      SERVICE_UNAVAILABLE: 503,
    });
  });

  it.each(Object.entries(examples))('%s: GraphQL extensions are the code and the error’s own extensions', (code, error) => {
    // Act
    const formatted = formatError({ message: 'ignored' }, error);

    // Assess
    expect(formatted).toEqual({ message: error.message, extensions: { code, ...error.extensions } });
  });

  it.each(Object.entries(examples))('%s: a plain HTTP answer of the code’s status', (code, error) => {
    // Act
    const answer = httpAnswerOf(error);

    // Assess: refusals say nothing of what was asked for; everything else names its code and field.
    const fixed = ERROR_ANSWERS[code as ErrorCode].fixedMessage;
    expect(answer).toEqual({
      status: ERROR_ANSWERS[code as ErrorCode].status,
      body: fixed === undefined ? { message: error.message, code, ...error.extensions } : { message: fixed },
    });
  });

  it('refuses with fixed messages: 403 and 401 name neither the object nor the reason', () => {
    expect(httpAnswerOf(examples.FORBIDDEN)).toEqual({ status: 403, body: { message: 'You are not allowed to do this.' } });
    expect(httpAnswerOf(examples.UNAUTHENTICATED)).toEqual({ status: 401, body: { message: 'A valid access token is required.' } });
  });

  it('answers a missing plan 400 naming planId, a file with nothing in it 404, the service busy 503', () => {
    expect(httpAnswerOf(examples.NOT_FOUND)).toEqual({
      status: 400,
      body: { message: 'No plan p-9.', code: 'NOT_FOUND', field: 'planId' },
    });
    expect(notFoundAnswer(new NotFoundError('Nothing is funded.'))).toEqual({
      status: 404,
      body: { message: 'Nothing is funded.', code: 'NOT_FOUND' },
    });
    expect(httpAnswerOf(examples.SERVICE_UNAVAILABLE)).toEqual({
      status: 503,
      body: { message: 'The service is busy. Nothing was changed; please retry.', code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
  });

  it('masks anything else: GraphQL INTERNAL_SERVER_ERROR and HTTP 500, each with a correlation id', () => {
    // Act
    const graphql = formatError({ message: 'secret detail', path: ['plan'] }, new Error('secret detail'));
    const http = internalHttpAnswer('req-1');

    // Assess
    expect(graphql).toEqual({
      message: 'Internal server error',
      path: ['plan'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: expect.any(String) },
    });
    expect(http).toEqual({ status: 500, body: { message: 'Internal server error', correlationId: 'req-1' } });
  });

  it('words a refusal before GraphQL runs as Apollo words its errors', () => {
    expect(JSON.parse(graphqlErrorsBody('The request body is not valid JSON.', { code: 'BAD_REQUEST' }))).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});
