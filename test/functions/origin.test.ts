import { ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { RotatingSecret } from '../../functions/shared/cursor-keys.js';
import { ORIGIN_HEADER, requireDistribution } from '../../functions/shared/origin.js';

const ARN = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:origin-AbCdEf';

/** Secrets Manager answering GetSecretValue by version stage, from memory. */
function secret(versions: Record<string, string>): RotatingSecret {
  const client = new SecretsManagerClient({ region: 'eu-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  client.middlewareStack.add(
    () => async (args) => {
      const value = versions[(args.input as { VersionStage: string }).VersionStage];
      if (value === undefined) throw new ResourceNotFoundException({ message: 'no such version', $metadata: {} });
      return { output: { SecretString: value, $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', priority: 'high', name: 'fake' },
  );
  return new RotatingSecret(ARN, { client });
}

const event = (headers: Record<string, string>) => ({ headers }) as unknown as APIGatewayProxyEventV2;

describe('requests around the distribution', () => {
  const current = 'c'.repeat(64);
  const previous = 'p'.repeat(64);
  const check = requireDistribution(ARN, secret({ AWSCURRENT: current, AWSPREVIOUS: previous }));

  it('passes a request that carries the current or the previous value (during a rotation)', async () => {
    expect(await check(event({ [ORIGIN_HEADER]: current }))).toBeUndefined();
    expect(await check(event({ 'X-Samordning-Origin': previous }))).toBeUndefined();
  });

  it.each<Record<string, string>>([
    {},
    { [ORIGIN_HEADER]: '' },
    { [ORIGIN_HEADER]: 'x'.repeat(64) },
    { [ORIGIN_HEADER]: current.slice(1) },
  ])('answers 403 FORBIDDEN to a request with headers %j (the execute-api URL called directly)', async (headers) => {
    const response = await check(event(headers));
    expect(response?.statusCode).toBe(403);
    expect(JSON.parse(response?.body ?? '{}')).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'FORBIDDEN' } }] });
  });

  it('checks nothing where no distribution stands in front (npm start, tests: no ORIGIN_SECRET_ARN)', async () => {
    expect(await requireDistribution(undefined)(event({}))).toBeUndefined();
  });
});
