import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { type ChangeEvent, EVENT_SOURCE } from '../functions/events/catalogue.js';
import { type EventSink, publishRecords } from '../functions/events/consumer.js';
import type { Mail, Mailer } from '../functions/reminders/mailer.js';
import { DATA_DIR } from './paths.js';

/**
 * The local outbox: where `npm start` puts the change events (one JSON line each, in the shape
 * EventBridge delivers to a rule's target) and `npm run reminders` the digests (.eml files), so
 * both can be read and tested without AWS. `$OUTBOX_DIR`, by default `.data/outbox`.
 */
export const outboxDir = () => resolve(process.env.OUTBOX_DIR ?? join(DATA_DIR, 'outbox'));

/** Appends each event to `<outbox>/events.ndjson` as EventBridge would deliver it. */
export class FileEventSink implements EventSink {
  constructor(
    private readonly dir: string,
    private readonly busName = 'samordning-local',
  ) {}

  async put(events: readonly ChangeEvent[]): Promise<readonly ChangeEvent[]> {
    if (events.length === 0) return [];
    await mkdir(this.dir, { recursive: true });
    const lines = events.map((e) =>
      JSON.stringify({
        version: '0',
        id: e.detail.id,
        'detail-type': e.detailType,
        source: EVENT_SOURCE,
        time: e.detail.occurredAt,
        resources: [],
        'event-bus-name': this.busName,
        detail: e.detail,
      }),
    );
    await appendFile(join(this.dir, 'events.ndjson'), `${lines.join('\n')}\n`);
    return [];
  }
}

interface Checkpoint {
  streamArn: string;
  /** The last sequence number published, per shard; `null` for a shard read to its end. */
  shards: Record<string, string | null>;
}

/**
 * Follows the audit table's stream on DynamoDB Local, as the event-source mapping does in the cloud,
 * and hands each batch to the same `publishRecords` the Lambda runs. What was published is kept in a
 * checkpoint file beside the outbox, so a restart over kept data goes on where it stopped instead of
 * publishing everything again.
 */
export class StreamFollower {
  private readonly client: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string>();
  private checkpoint: Checkpoint | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly streamArn: string,
    private readonly sink: EventSink,
    private readonly checkpointFile: string,
    endpoint: string,
    private readonly pollMs = 500,
  ) {
    this.client = new DynamoDBStreamsClient({ endpoint });
  }

  start(onError: (error: unknown) => void): void {
    this.running = (async () => {
      this.checkpoint = await this.readCheckpoint();
      while (!this.stopped) {
        try {
          await this.pollOnce();
        } catch (error) {
          onError(error);
          this.iterators.clear();
        }
        await new Promise((r) => setTimeout(r, this.pollMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** One pass over every open shard: what each holds now is published and checkpointed. */
  async pollOnce(): Promise<void> {
    if (!this.checkpoint) this.checkpoint = await this.readCheckpoint();
    const checkpoint = this.checkpoint;
    for (const shardId of await this.shardIds()) {
      if (checkpoint.shards[shardId] === null) continue;
      let iterator = this.iterators.get(shardId) ?? (await this.iterator(shardId, checkpoint.shards[shardId]));
      for (;;) {
        const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
        const records: StreamsRecord[] = out.Records ?? [];
        if (records.length > 0) {
          const result = await publishRecords(records, this.sink);
          const failed = result.batchItemFailures[0]?.itemIdentifier;
          const upTo = failed === undefined ? records.length : records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
          const last = upTo > 0 ? records[upTo - 1]?.dynamodb?.SequenceNumber : undefined;
          if (last) checkpoint.shards[shardId] = last;
          await this.writeCheckpoint();
          if (failed !== undefined) {
            // Read again from the failed record on the next pass, as Lambda would retry it.
            this.iterators.delete(shardId);
            return;
          }
        }
        if (!out.NextShardIterator) {
          checkpoint.shards[shardId] = null;
          this.iterators.delete(shardId);
          await this.writeCheckpoint();
          break;
        }
        iterator = out.NextShardIterator;
        this.iterators.set(shardId, iterator);
        if (records.length === 0) break;
      }
    }
  }

  private async shardIds(): Promise<string[]> {
    const ids: string[] = [];
    let start: string | undefined;
    do {
      const out = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }));
      for (const shard of out.StreamDescription?.Shards ?? []) if (shard.ShardId) ids.push(shard.ShardId);
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return ids;
  }

  private async iterator(shardId: string, after: string | undefined): Promise<string> {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    if (!out.ShardIterator) throw new Error(`No iterator for shard ${shardId}`);
    this.iterators.set(shardId, out.ShardIterator);
    return out.ShardIterator;
  }

  private async readCheckpoint(): Promise<Checkpoint> {
    try {
      const parsed = JSON.parse(await readFile(this.checkpointFile, 'utf8')) as Partial<Checkpoint>;
      // Tables made anew have a new stream: its shards start from the beginning.
      if (parsed.streamArn === this.streamArn && parsed.shards && typeof parsed.shards === 'object')
        return { streamArn: this.streamArn, shards: parsed.shards };
    } catch {
      // No checkpoint yet.
    }
    return { streamArn: this.streamArn, shards: {} };
  }

  private async writeCheckpoint(): Promise<void> {
    if (!this.checkpoint) return;
    await writeFile(this.checkpointFile, JSON.stringify(this.checkpoint));
  }
}

/**
 * Writes each mail as an RFC 5322 message (`<outbox>/mail/<day>-<recipient key>.eml`): UTF-8 plain
 * text, 8bit, the subject encoded as RFC 2047 words. A mail client opens it as it would have arrived.
 */
export class EmlMailer implements Mailer {
  readonly written: string[] = [];

  constructor(private readonly dir: string) {}

  async send(mail: Mail): Promise<void> {
    const folder = join(this.dir, 'mail');
    await mkdir(folder, { recursive: true });
    const file = join(folder, `${mail.fileStem}.eml`);
    await writeFile(file, toEml(mail), { flag: 'wx' });
    this.written.push(file);
  }
}

/** The message of a mail, as RFC 5322 and MIME say: CRLF line ends, headers, a blank line, the body. */
export function toEml(mail: Mail, now = new Date()): string {
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${encodeWord(mail.subject)}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@samordning.local>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    'Content-Language: nb, en',
  ];
  const body = mail.text.replace(/\r?\n/g, '\r\n');
  return `${headers.join('\r\n')}\r\n\r\n${body}${body.endsWith('\r\n') ? '' : '\r\n'}`;
}

/**
 * RFC 2047 encoded words when the text is not plain ASCII: each at most 75 characters (45 bytes of
 * UTF-8 before base64), never splitting a character, folded onto continuation lines.
 */
function encodeWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}
