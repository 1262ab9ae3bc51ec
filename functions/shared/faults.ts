import { RetryableError } from './errors.js';

/** The faults the SDK's standard retry strategy retries (its throttling and transient classes), by error name. */
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
/** Connection faults, by Node's error code. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * A throttling or transient fault that outlived the SDK's retries becomes RetryableError: nothing
 * was written (every write is one transaction), and the client may try again. Anything else, such
 * as a cancelled transaction whose conditions name a domain error, stays as it is.
 */
export function asRetryable(error: unknown): unknown {
  if (error instanceof RetryableError || !(error instanceof Error)) return error;
  const fault = error as Error & { $retryable?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = fault.$metadata?.httpStatusCode ?? 0;
  const transient =
    TRANSIENT_NAMES.has(fault.name) ||
    fault.$retryable !== undefined ||
    (typeof fault.code === 'string' && NETWORK_CODES.has(fault.code)) ||
    status === 429 ||
    status >= 500;
  return transient ? new RetryableError({ cause: error }) : error;
}
