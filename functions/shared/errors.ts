/**
 * Domain errors. Each has a name, a GraphQL error code and optional extensions; the one
 * `formatError` in functions/graphql/errors.ts turns them into responses and masks everything else.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'SERVICE_UNAVAILABLE';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(message: string, extensions: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.extensions = extensions;
  }
}

/** The request is wrong: `field` names the argument or input field at fault. */
export class BadUserInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, field: string, options?: ErrorOptions) {
    super(message, { field }, options);
  }
}

/**
 * A list at its cap (schema/limits.json): nothing more is added to it. BAD_USER_INPUT naming `field`, the input that
 * names what would grow, with `limit` (the cap's name) and `maximum`.
 */
export class ListFullError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, field: string, limit: string, maximum: number) {
    super(message, { field, limit, maximum });
  }
}

/** The request carries no valid token, or one whose claims name no one. */
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'A valid access token is required.') {
    super(message);
  }
}

/** A right is missing. The message never describes the object that was asked for. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'You are not allowed to do this.') {
    super(message);
  }
}

/**
 * An integration's token lacks the scope an operation needs (`samordning/read` for a query or an export,
 * `samordning/write` for a mutation): FORBIDDEN, with `scope` naming the one missing. The whole operation is refused
 * before anything runs, answered 403 as OAuth's `insufficient_scope` (RFC 6750).
 */
export class InsufficientScopeError extends DomainError {
  readonly code = 'FORBIDDEN';
  readonly scope: string;
  constructor(scope: string) {
    super(`The token lacks the scope ${scope}.`, { scope });
    this.scope = scope;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(message: string, field?: string) {
    super(message, field ? { field } : {});
  }
}

/** A condition did not hold: a stale version, a LEAD already held, a limit exceeded. */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

/** DynamoDB kept throttling or failing after the SDK's retries; nothing was written, the client may retry. */
export class RetryableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(options?: ErrorOptions) {
    super('The service is busy. Nothing was changed; please retry.', { retryable: true }, options);
  }
}

/** Ends an exhaustive switch: the compiler proves it unreachable. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
    this.name = 'UnreachableCaseError';
  }
}
