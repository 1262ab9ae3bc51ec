import { auditEntryEntity } from '../audit/entities/audit-entry.js';
import { fromAttributeValues } from '../shared/transact.js';
import { type ChangeEvent, changeEvent } from './catalogue.js';

/** A record of the audit table's stream, as Lambda delivers it and as DynamoDB Streams' GetRecords returns it. */
export interface StreamRecord {
  readonly eventName?: string | undefined;
  readonly dynamodb?:
    | {
        readonly SequenceNumber?: string | undefined;
        readonly NewImage?: Record<string, unknown> | undefined;
      }
    | undefined;
}

/** Where events go: the stage's bus in the cloud, a file locally. Returns the events it could not take. */
export interface EventSink {
  put(events: readonly ChangeEvent[]): Promise<readonly ChangeEvent[]>;
}

export interface BatchResult {
  /** Sequence numbers of records to deliver again (Lambda resumes from the lowest: ReportBatchItemFailures). */
  readonly batchItemFailures: { itemIdentifier: string }[];
  readonly published: number;
}

/**
 * The event of a stream record, or null when the record is no audit entry's trail item. The audit
 * entity writes one item per trail (`ENTITY#<id>`) and one per owner's view of it
 * (`ENTITY#<id>#OWNER#<agency>`): only the trail item, whose key is exactly the entry's entity's
 * trail, makes an event, so each entry publishes exactly one. Entries are never modified or
 * removed, so only INSERTs count.
 */
export function eventOf(record: StreamRecord): ChangeEvent | null {
  if (record.eventName !== 'INSERT') return null;
  const image = fromAttributeValues(record.dynamodb?.NewImage);
  if (!image || typeof image.pk !== 'string') return null;
  const entry = auditEntryEntity.parse(image);
  if (image.pk !== auditEntryEntity.trailPk(entry.entityId)) return null;
  return changeEvent(entry);
}

/**
 * Publishes one event per audit entry of a batch, in order. A record that cannot be read, or whose
 * event the sink refused after its own retries, is reported with every record after it (the stream
 * is ordered, and Lambda resumes from the lowest failure); with the event-source mapping's retries
 * exhausted, the batch goes to the dead-letter queue. A record delivered again publishes again
 * with the same `id`: consumers dedupe on it.
 */
export async function publishRecords(records: readonly StreamRecord[], sink: EventSink): Promise<BatchResult> {
  const events: { event: ChangeEvent; sequence: string }[] = [];
  let firstBad: number | undefined;
  for (const [index, record] of records.entries()) {
    try {
      const event = eventOf(record);
      if (event) events.push({ event, sequence: record.dynamodb?.SequenceNumber ?? '' });
    } catch {
      firstBad = index;
      break;
    }
  }
  const failed = new Set(await sink.put(events.map((e) => e.event)));
  const failedAt = events.findIndex((e) => failed.has(e.event));
  const published = failedAt < 0 ? events.length : failedAt;
  const failures: { itemIdentifier: string }[] = [];
  if (failedAt >= 0) {
    const sequence = events[failedAt]?.sequence ?? '';
    failures.push({ itemIdentifier: sequence });
  } else if (firstBad !== undefined) {
    failures.push({ itemIdentifier: records[firstBad]?.dynamodb?.SequenceNumber ?? '' });
  }
  return { batchItemFailures: failures, published };
}
