import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../shared/logger.js';
import { publishRecords } from './consumer.js';
import { EventBridgeSink } from './eventbridge.js';

/** The audit stream's consumer: one event per audit entry on the stage's bus (EVENT_BUS_NAME). */
const sink = new EventBridgeSink(getStringFromEnv({ key: 'EVENT_BUS_NAME' }));

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const result = await publishRecords(event.Records, sink);
  logger.info('Published change events', {
    records: event.Records.length,
    published: result.published,
    failed: result.batchItemFailures.length,
  });
  return { batchItemFailures: result.batchItemFailures };
};
