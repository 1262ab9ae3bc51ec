import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asRetryable } from './faults.js';
import { tracer } from './tracer.js';

/**
 * The one DynamoDB client of the container, created at cold start and reused by every request.
 * The endpoint comes from the SDK's own resolution, so AWS_ENDPOINT_URL_DYNAMODB points it at
 * DynamoDB Local. The SDK's standard retry strategy backs off on throttling and transient errors.
 */
export const dynamoClient = new DynamoDBClient({ maxAttempts: 4 });

/**
 * Every DynamoDB call becomes an X-Ray subsegment (operation, table, retries, throttling, errors) in the cloud; a
 * no-op elsewhere (shared/tracer.ts). The document client shares this client's middleware stack, so it is traced too.
 */
tracer.captureAWSv3Client(dynamoClient);

/**
 * The one place where a fault that outlived those retries becomes RetryableError
 * (SERVICE_UNAVAILABLE, `retryable: true`), for reads and writes alike. Outermost on the stack, so
 * it sees what the retry middleware finally gives up with; the document client shares this stack.
 */
dynamoClient.middlewareStack.add(
  (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw asRetryable(error);
    }
  },
  { step: 'initialize', priority: 'high', name: 'retryableFaults' },
);

/**
 * The document client returns a Number as a JS number while it is a safe integer and as a bigint
 * past that, so money in øre (up to 10^30, see shared/money.ts) is never rounded on the way out
 * (test/graphql/funding.test.ts, "large amounts", holds the SDK to it).
 */
export const documentClient = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
