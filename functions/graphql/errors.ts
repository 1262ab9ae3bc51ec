import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';

/**
 * The one place errors become responses. Domain errors keep their code and extensions; errors that
 * GraphQL or Apollo raised about the request keep theirs; anything else is masked to
 * INTERNAL_SERVER_ERROR with a correlation id, logged with the same id and no request data.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: original.code, ...original.extensions },
    };
  }
  const domain = original instanceof GraphQLError ? domainCause(original) : undefined;
  if (original instanceof GraphQLError && domain) {
    // A scalar refused a variable: graphql-js names where ("… at \"input.amount\"; …"), which is the field.
    const where = /at "([^"]+)"/.exec(original.message)?.[1] ?? /Variable "\$(\w+)"/.exec(original.message)?.[1];
    return {
      message: withoutValues(formatted.message),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: domain.code, ...domain.extensions, ...(where ? { field: where } : {}) },
    };
  }
  if (original instanceof GraphQLError && (!original.originalError || original.originalError instanceof GraphQLError)) {
    // A parse, validation or variable error (Apollo wraps graphql-js's own), or one the server raised
    // on purpose: its message is about the request.
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message: withoutValues(formatted.message), extensions };
  }
  // The request's id (set with the context); a fresh one when the error came before a context existed.
  const current = logger.getCorrelationId();
  const correlationId = typeof current === 'string' && current.length > 0 ? current : randomUUID();
  const cause = original instanceof Error ? original : new Error(String(original));
  logger.error('Unhandled error', {
    correlationId,
    errorName: cause.name,
    errorMessage: cause.message,
    stack: cause.stack,
    path: formatted.path,
  });
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
  };
}

/**
 * graphql-js quotes the offending value in variable and literal errors ("got invalid value
 * {…}", "found …", "cannot represent …: …"). A value may be confidential (an address), so an error
 * names where and why, never what.
 */
export function withoutValues(message: string): string {
  return message
    .replace(/^(Variable "\$\w+") got invalid value [\s\S]*? at ("[^"]+");/, '$1 got an invalid value at $2;')
    .replace(/^(Variable "\$\w+") got invalid value [\s\S]*?;/, '$1 got an invalid value;')
    .replace(/(cannot represent[^:;]*): [^;]*/g, '$1')
    .replace(/(Expected value of type "[^"]+"), found [\s\S]*?(;|\.$)/, '$1$2');
}

/** The domain error a chain of GraphQL errors wraps (graphql-js and Apollo each wrap a scalar's error once). */
function domainCause(error: GraphQLError): DomainError | undefined {
  let cause: unknown = error.originalError;
  for (let depth = 0; depth < 5 && cause; depth++) {
    if (cause instanceof DomainError) return cause;
    cause = cause instanceof GraphQLError ? cause.originalError : undefined;
  }
  return undefined;
}
