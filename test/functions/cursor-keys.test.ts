import { ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { Cursors } from '../../functions/shared/cursor.js';
import { CursorKeyring } from '../../functions/shared/cursor-keys.js';

const ARN = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:cursor-key-AbCdEf';

/**
 * A Secrets Manager client that answers GetSecretValue from `versions` (by version stage) without a network: a
 * middleware at the front of its stack returns the answer, so Powertools' provider runs exactly as in Lambda.
 */
function fakeSecretsManager(versions: Record<string, string | undefined>) {
  const calls: string[] = [];
  const client = new SecretsManagerClient({ region: 'eu-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as { SecretId: string; VersionStage?: string };
      const stage = input.VersionStage ?? 'AWSCURRENT';
      calls.push(stage);
      const value = versions[stage];
      if (input.SecretId !== ARN || value === undefined) {
        throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value", $metadata: {} });
      }
      return { output: { SecretString: value, $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', priority: 'high', name: 'fakeSecretsManager' },
  );
  return { client, calls, versions };
}

describe('the cursor key ring', () => {
  const current = 'c'.repeat(64);
  const previous = 'p'.repeat(64);

  it('signs with AWSCURRENT and verifies AWSPREVIOUS, read from the one secret', async () => {
    // Prepare
    const fake = fakeSecretsManager({ AWSCURRENT: current, AWSPREVIOUS: previous });
    const ring = new CursorKeyring({ secretArn: ARN }, { client: fake.client });
    const oldCursor = new Cursors(previous).encode('list', { pk: 'a' });

    // Act
    const cursors = await ring.cursors();

    // Assess
    expect(cursors.decode('list', oldCursor)).toEqual({ pk: 'a' });
    expect(new Cursors(current).decode('list', cursors.encode('list', { pk: 'b' }))).toEqual({ pk: 'b' });
    expect(fake.calls.sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });

  it('keeps both versions for the maximum age instead of reading them for every request', async () => {
    const fake = fakeSecretsManager({ AWSCURRENT: current, AWSPREVIOUS: previous });
    const ring = new CursorKeyring({ secretArn: ARN }, { client: fake.client, maxAgeSeconds: 60 });
    await ring.cursors();
    await ring.cursors();
    await ring.cursors();
    expect(fake.calls).toHaveLength(2);
  });

  it('reads the key again once the cached one is older than the maximum age, and then accepts the one before', async () => {
    // Prepare
    const fake = fakeSecretsManager({ AWSCURRENT: previous });
    const ring = new CursorKeyring({ secretArn: ARN }, { client: fake.client, maxAgeSeconds: 0 });
    const issuedBefore = (await ring.cursors()).encode('list', { pk: 'a' });

    // Act: the key rotates.
    fake.versions.AWSCURRENT = current;
    fake.versions.AWSPREVIOUS = previous;
    const cursors = await ring.cursors();

    // Assess
    expect(cursors.decode('list', issuedBefore)).toEqual({ pk: 'a' });
    expect(() => new Cursors(previous).decode('list', cursors.encode('list', { pk: 'a' }))).toThrow(/not valid/);
  });

  it('works with a secret that has never rotated (no AWSPREVIOUS), and asks for the missing version once per maximum age', async () => {
    const fake = fakeSecretsManager({ AWSCURRENT: current });
    const ring = new CursorKeyring({ secretArn: ARN }, { client: fake.client, maxAgeSeconds: 60 });
    const cursors = await ring.cursors();
    await ring.cursors();
    expect(cursors.decode('list', cursors.encode('list', { pk: 'a' }))).toEqual({ pk: 'a' });
    expect(fake.calls.filter((c) => c === 'AWSPREVIOUS')).toHaveLength(1);
  });

  it('refuses a secret value too short to be a key', async () => {
    const fake = fakeSecretsManager({ AWSCURRENT: 'short' });
    await expect(new CursorKeyring({ secretArn: ARN }, { client: fake.client }).cursors()).rejects.toThrow(/at least 32 characters/);
  });

  it('uses the key itself where one is configured (local, tests, scripts), with no Secrets Manager call', async () => {
    const ring = new CursorKeyring({ value: current });
    const cursors = await ring.cursors();
    expect(new Cursors(current).decode('list', cursors.encode('list', { pk: 'a' }))).toEqual({ pk: 'a' });
  });
});
