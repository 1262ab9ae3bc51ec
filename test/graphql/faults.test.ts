import { InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MeasureDetailDocument, PlanOverviewDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { scanAll, scanTables } from '../support/scan.js';

let env: TestEnvironment;

/** The client's maxAttempts (functions/shared/dynamo.ts): the first try and three retries. */
const MAX_ATTEMPTS = 4;

/** Faults the service or the network gives, shaped as the SDK raises them, so its retry strategy classifies them as it would. */
const faultKinds = {
  ProvisionedThroughputExceededException: () =>
    new ProvisionedThroughputExceededException({
      message: 'The level of configured provisioned throughput for the table was exceeded.',
      $metadata: { httpStatusCode: 400, requestId: 'injected' },
    }),
  ThrottlingException: () =>
    Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'injected' },
    }),
  InternalServerError: () =>
    new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500, requestId: 'injected' } }),
  ECONNRESET: () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
} as const;
type FaultKind = keyof typeof faultKinds;

interface Injection {
  readonly command: string;
  /** A fault, or 'unprocessed': BatchGetItem answers but leaves every key unprocessed, as DynamoDB does when it throttles some keys. */
  readonly kind: FaultKind | 'unprocessed';
  /** How many attempts fail; Infinity for all of them. */
  remaining: number;
  /** When true, the request reaches DynamoDB and only its response is lost. */
  readonly afterSend?: boolean;
  injected: number;
  /** The ClientRequestToken of each attempt of the command (transactions only). */
  readonly tokens: unknown[];
}

let injection: Injection | null = null;

/** The JSON body of a serialized request: the SDK holds it as bytes. */
function bodyText(request: unknown): string {
  const body = (request as { body?: unknown }).body;
  return body instanceof Uint8Array ? new TextDecoder().decode(body) : String(body);
}

/** Makes the next `times` attempts of `command` fail with `kind`; returns the live record of what was injected. */
function inject(command: string, kind: Injection['kind'], times: number, afterSend = false): Injection {
  injection = { command, kind, remaining: times, afterSend, injected: 0, tokens: [] };
  return injection;
}

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  // Inside the retry middleware (finalizeRequest, after it), so that each attempt meets the fault
  // and the SDK's own retry strategy decides, as it would with DynamoDB.
  env.client.middlewareStack.add(
    (next, context) => async (args) => {
      const plan = injection;
      const name = String(context.commandName).replace(/Command$/, '');
      if (!plan || plan.command !== name) return next(args);
      if (name === 'TransactWriteItems') plan.tokens.push(JSON.parse(bodyText(args.request)).ClientRequestToken);
      if (plan.remaining <= 0) return next(args);
      plan.remaining--;
      plan.injected++;
      if (plan.kind === 'unprocessed') {
        const result = await next(args);
        const output = result.output as { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: unknown };
        output.UnprocessedKeys = Object.fromEntries(
          Object.entries(output.Responses ?? {}).map(([table, items]) => [table, { Keys: items.map(({ pk, sk }) => ({ pk, sk })) }]),
        );
        output.Responses = {};
        return result;
      }
      if (plan.afterSend) await next(args);
      throw faultKinds[plan.kind]();
    },
    { step: 'finalizeRequest', priority: 'low', name: 'testFaultInjector' },
  );
});

type RetryStrategy = Awaited<ReturnType<TestEnvironment['client']['config']['retryStrategy']>>;
let productionStrategy: RetryStrategy;

beforeEach(async () => {
  injection = null;
  // The SDK's own strategy, of the very class and maxAttempts the client uses, so that it retries
  // and gives up exactly as in production; only its backoff is shortened (throttling backs off from
  // 1 s), and each test starts with a full retry quota, as a fresh container does.
  productionStrategy ??= await env.client.config.retryStrategy();
  const Strategy = productionStrategy.constructor as new (options: {
    maxAttempts: number;
    backoff: { computeNextBackoffDelay(attempt: number): number; setDelayBase(delay: number): void };
  }) => RetryStrategy;
  const strategy = new Strategy({
    maxAttempts: await env.client.config.maxAttempts(),
    backoff: { computeNextBackoffDelay: () => 1, setDelayBase: () => undefined },
  });
  Object.assign(env.client.config, { retryStrategy: async () => strategy });
});

const snapshot = () => scanTables(env);

const CREATE = 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id title version } } }';
const createInput = (title: string) => ({ input: { planId: 'hp-2011-2014', title, goalNumbers: [1] } });

async function measuresTitled(title: string) {
  const items = await scanAll(env, env.names.measures);
  return items.filter((i) => i.sk === 'MEASURE' && i.title === title);
}

async function planCount(key: string): Promise<number> {
  const items = await scanAll(env, env.names.measures);
  const stats = items.find((i) => i.pk === 'PLAN#hp-2011-2014' && i.sk === 'STATS') as { counts: Record<string, number> } | undefined;
  return stats?.counts[key] ?? 0;
}

describe('reads', () => {
  it.each(Object.keys(faultKinds) as FaultKind[])(
    'a BatchGetItem that fails %s three times succeeds on the fourth attempt',
    async (kind) => {
      const injected = inject('BatchGetItem', kind, MAX_ATTEMPTS - 1);
      const res = await execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'hp-2011-2014-lauras-hus' });
      expect(res.errors).toBeUndefined();
      expect(res.data?.measure?.id).toBe('hp-2011-2014-lauras-hus');
      expect(injected.injected).toBe(MAX_ATTEMPTS - 1);
    },
  );

  it.each(Object.keys(faultKinds) as FaultKind[])(
    'a Query that fails %s on every attempt answers SERVICE_UNAVAILABLE, retryable',
    async (kind) => {
      const injected = inject('Query', kind, Number.POSITIVE_INFINITY);
      const res = await execute(env.handler, as.viewer, PlanOverviewDocument, { planId: 'hp-2011-2014' });
      expect(injected.injected).toBe(MAX_ATTEMPTS);
      expect(res.status).toBe(200);
      expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true }]);
      expect(res.raw).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|\bat .*\.(ts|js):\d+/);
    },
  );

  it('a BatchGetItem that fails on every attempt answers SERVICE_UNAVAILABLE, retryable', async () => {
    const injected = inject('BatchGetItem', 'ProvisionedThroughputExceededException', Number.POSITIVE_INFINITY);
    const res = await execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'hp-2011-2014-lauras-hus' });
    expect(injected.injected).toBe(MAX_ATTEMPTS);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(res.data?.measure).toBeNull();
  });

  it('a BatchGetItem that leaves its keys unprocessed twice is asked again until it answers', async () => {
    const injected = inject('BatchGetItem', 'unprocessed', 2);
    const res = await execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'hp-2011-2014-lauras-hus' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.measure?.title).toBe('Drive Lauras Hus som et forsøksprosjekt');
    expect(injected.injected).toBe(2);
  });

  it('a BatchGetItem that keeps its keys unprocessed answers SERVICE_UNAVAILABLE, retryable', async () => {
    const injected = inject('BatchGetItem', 'unprocessed', Number.POSITIVE_INFINITY);
    const res = await execute(env.handler, as.viewer, MeasureDetailDocument, { id: 'hp-2011-2014-lauras-hus' });
    // The first request and the loader's eight further rounds (functions/shared/item-loader.ts).
    expect(injected.injected).toBe(9);
    expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true }]);
  });
});

describe('writes', () => {
  it.each(Object.keys(faultKinds) as FaultKind[])('a TransactWriteItems that fails %s three times lands once', async (kind) => {
    const title = `Retried through ${kind}`;
    const before = await planCount('all');
    const injected = inject('TransactWriteItems', kind, MAX_ATTEMPTS - 1);
    const res = await executeText(env.handler, as.coordinator, CREATE, createInput(title));
    expect(res.errors).toBeUndefined();
    expect(injected.injected).toBe(MAX_ATTEMPTS - 1);
    expect(await measuresTitled(title)).toHaveLength(1);
    expect(await planCount('all')).toBe(before + 1);
  });

  it.each(Object.keys(faultKinds) as FaultKind[])(
    'a TransactWriteItems that fails %s on every attempt answers SERVICE_UNAVAILABLE and writes nothing',
    async (kind) => {
      const before = await snapshot();
      const injected = inject('TransactWriteItems', kind, Number.POSITIVE_INFINITY);
      const res = await executeText(env.handler, as.coordinator, CREATE, createInput(`Never stored (${kind})`));
      expect(injected.injected).toBe(MAX_ATTEMPTS);
      expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true }]);
      expect(res.data).toBeNull();
      injection = null;
      expect(await snapshot()).toEqual(before);
    },
  );

  it('a TransactWriteItems whose response is lost is retried with the same token and lands once', async () => {
    const title = 'Response lost once';
    const before = await planCount('all');
    const injected = inject('TransactWriteItems', 'ECONNRESET', 1, true);
    const res = await executeText(env.handler, as.coordinator, CREATE, createInput(title));
    expect(injected.injected).toBe(1);
    expect(res.errors).toBeUndefined();
    // DynamoDB recognises the second attempt by its token and does not apply the transaction again.
    expect(injected.tokens).toHaveLength(2);
    expect(injected.tokens[0]).toEqual(expect.any(String));
    expect(injected.tokens[1]).toBe(injected.tokens[0]);
    expect(await measuresTitled(title)).toHaveLength(1);
    expect(await planCount('all')).toBe(before + 1);
  });
});
