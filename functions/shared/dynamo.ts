import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one DynamoDB client of the container, created at cold start and reused by every request.
 * The endpoint comes from the SDK's own resolution, so AWS_ENDPOINT_URL_DYNAMODB points it at
 * DynamoDB Local. The SDK's standard retry strategy backs off on throttling and transient errors.
 */
export const dynamoClient = new DynamoDBClient({ maxAttempts: 4 });

export const documentClient = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
