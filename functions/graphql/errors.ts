import { randomUUID } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERROR_ANSWERS, graphqlExtensionsOf, INTERNAL_ERROR_MESSAGE, internalExtensions } from '../shared/error-answers.js';
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
      extensions: graphqlExtensionsOf(original),
    };
  }
  const domain = original instanceof GraphQLError ? domainCause(original) : undefined;
  if (original instanceof GraphQLError && domain) {
    // A scalar refused a literal (variables are refused by inputGuard first): the message says where,
    // up to the value, and the scalar says why, in words that never quote it.
    const variable = /^Variable "\$(\w+)"/.exec(original.message)?.[1];
    const cut = withoutValues(formatted.message);
    return {
      message: cut === formatted.message ? cut : `${cut} ${domain.message}`,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { ...graphqlExtensionsOf(domain), ...(variable ? { field: variable } : {}) },
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
    message: INTERNAL_ERROR_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: internalExtensions(correlationId),
  };
}

/**
 * Builds a request's context, turning a refusal (no valid token) or a fault of the integrations registry's lookup
 * (DynamoDB throttling past the retries: SERVICE_UNAVAILABLE, retryable) into the error Apollo answers with its HTTP
 * status: Apollo reads `http` to set the response's status and headers, and answers anything else thrown while the
 * context is made as a 500.
 */
export async function contextOrRefusal<T>(make: () => T | Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'UNAUTHENTICATED' || error.code === 'SERVICE_UNAVAILABLE')) {
      const headers = error.code === 'UNAUTHENTICATED' ? new HeaderMap([['www-authenticate', 'Bearer']]) : new HeaderMap();
      // Typed loosely: graphql-yoga's types (present for the dev IDE) declare `http.headers` a plain record.
      const extensions: Record<string, unknown> = {
        ...graphqlExtensionsOf(error),
        http: { status: ERROR_ANSWERS[error.code].status, headers },
      };
      throw new GraphQLError(error.message, { extensions });
    }
    throw error;
  }
}

/**
 * graphql-js quotes the offending value in variable and literal errors ("got invalid value {…}",
 * "found …", "cannot represent …: …"). A value may be confidential (an address), so an error names
 * where and why, never what. Where a value will follow, the message is cut, and nothing after the
 * cut is kept: no pattern tries to find where a value ends, which punctuation inside it could fake.
 * What comes before each cut is made of fixed words and schema names (a type's name holds no quote).
 * Variables reach here only when `inputGuard` (inputs.ts) missed them: it words their errors itself.
 */
export function withoutValues(message: string): string {
  const cuts: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^(Variable "\$\w+") got invalid value /, (m) => `${m[1]} got an invalid value.`],
    [/^(Argument "\w+") has invalid value /, (m) => `${m[1]} has an invalid value.`],
    [/^(Expected value of type "[^"]+"), found /, (m) => `${m[1]}.`],
    [/^((?:\w+|Enum "\w+") cannot represent [^:"]*):/, (m) => `${m[1]}.`],
    // An enum literal is a name in the document, not a value a client filled in: such a message stays whole.
    [/^Value "[_A-Za-z]\w*" does not exist in "\w+" enum\./, (m) => m.input],
    [/^Value "/, () => "The value is not one of the enum's values."],
  ];
  for (const [pattern, cut] of cuts) {
    const m = pattern.exec(message);
    if (m) return cut(m);
  }
  return message;
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
