import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { logger } from '../shared/logger.js';
import { type ChangeEvent, EVENT_SOURCE } from './catalogue.js';
import type { EventSink } from './consumer.js';

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;
/** Entries PutEvents refused (throttled, internal failure) are sent again this many times before the batch fails. */
const ENTRY_RETRIES = 3;

/**
 * The stage's bus. PutEvents has no idempotency key: a retried entry may be delivered twice, which
 * is why each detail carries the audit entry's id for consumers to dedupe on. Entries refused in
 * part (`FailedEntryCount`) are sent again with backoff; what is still refused is returned, and the
 * stream batch reports it as failed.
 */
export class EventBridgeSink implements EventSink {
  constructor(
    private readonly busName: string,
    private readonly client: EventBridgeClient = new EventBridgeClient({}),
  ) {}

  async put(events: readonly ChangeEvent[]): Promise<readonly ChangeEvent[]> {
    for (let start = 0; start < events.length; start += BATCH) {
      const batch = events.slice(start, start + BATCH);
      const refused = await this.putBatch(batch);
      // Events after a refused one are not sent: the stream resumes from the refused one, in order.
      if (refused.length > 0) return events.slice(start + batch.indexOf(refused[0] as ChangeEvent));
    }
    return [];
  }

  private async putBatch(batch: readonly ChangeEvent[]): Promise<readonly ChangeEvent[]> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      let results: readonly { ErrorCode?: string | undefined }[];
      try {
        const out = await this.client.send(new PutEventsCommand({ Entries: pending.map((e) => this.entry(e)) }));
        results = out.Entries ?? [];
      } catch (error) {
        if (attempt >= ENTRY_RETRIES) throw error;
        continue;
      }
      const refused = pending.filter((_, i) => results[i]?.ErrorCode !== undefined || results[i] === undefined);
      if (refused.length > 0)
        logger.warn('PutEvents refused entries', {
          refused: refused.length,
          codes: [...new Set(results.map((r) => r.ErrorCode).filter(Boolean))],
        });
      if (attempt >= ENTRY_RETRIES) return refused;
      pending = refused;
    }
    return [];
  }

  private entry(event: ChangeEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Time: new Date(event.detail.occurredAt),
      Resources: [],
    };
  }
}
