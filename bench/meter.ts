import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Commands that read: they get `ReturnConsumedCapacity: 'TOTAL'`, and what they consume counts as RCU. */
const READS = new Set(['Query', 'GetItem', 'BatchGetItem', 'TransactGetItems']);
/** Commands that write: their consumed capacity counts as WCU. */
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface Usage {
  /** Command names without the `Command` suffix, in the order they were sent. */
  readonly commands: string[];
  rcu: number;
  wcu: number;
}

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

function units(consumed: Capacity): number {
  if (!consumed) return 0;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/**
 * A meter on the one DynamoDB client of the handler: a middleware that records every command sent
 * (exact request counts, Scans included), asks read and write commands for their consumed capacity
 * and sums it. Only what is sent inside `measure` is recorded.
 */
export function attachMeter(client: DynamoDBClient) {
  let current: Usage | undefined;
  let scans = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      if (name === 'Scan') scans++;
      const usage = current;
      if (!usage) return next(args);
      usage.commands.push(name);
      const metered = READS.has(name) || WRITES.has(name);
      const result = await next(metered ? { ...args, input: { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' } } : args);
      const consumed = units((result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity);
      if (READS.has(name)) usage.rcu += consumed;
      else if (WRITES.has(name)) usage.wcu += consumed;
      return result;
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return {
    /** Runs `fn` alone (nothing else may send meanwhile) and returns what it sent and consumed. */
    async measure<T>(fn: () => Promise<T>): Promise<{ result: T; usage: Usage }> {
      const usage: Usage = { commands: [], rcu: 0, wcu: 0 };
      current = usage;
      try {
        return { result: await fn(), usage };
      } finally {
        current = undefined;
      }
    },
    /** Scan commands seen since the meter was attached, inside `measure` or not. */
    scans: () => scans,
  };
}

export type Meter = ReturnType<typeof attachMeter>;
