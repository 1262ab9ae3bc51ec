import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { type RotationEvent, rotate } from '../../functions/rotation/cursor-key.js';

const ARN = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:cursor-key-AbCdEf';

/** Secrets Manager's versions and stages in memory, answering the four commands the rotation sends. */
function secretsInMemory() {
  const versions = new Map<string, { value?: string; stages: string[] }>([['v1', { value: 'k'.repeat(64), stages: ['AWSCURRENT'] }]]);
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof DescribeSecretCommand) {
      return { RotationEnabled: true, VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, [...v.stages]])) };
    }
    if (command instanceof GetSecretValueCommand) {
      const { VersionId, VersionStage } = command.input;
      const version = VersionId === undefined ? undefined : versions.get(VersionId);
      if (!version?.value || (VersionStage && !version.stages.includes(VersionStage))) {
        throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
      }
      return { SecretString: version.value };
    }
    if (command instanceof PutSecretValueCommand) {
      const { ClientRequestToken, SecretString, VersionStages } = command.input;
      versions.set(ClientRequestToken as string, { value: SecretString as string, stages: VersionStages ?? [] });
      return {};
    }
    if (command instanceof UpdateSecretVersionStageCommand) {
      const { VersionStage, MoveToVersionId, RemoveFromVersionId } = command.input;
      // As Secrets Manager does: the version losing AWSCURRENT becomes AWSPREVIOUS, and the pending label goes.
      for (const version of versions.values()) version.stages = version.stages.filter((s) => s !== 'AWSPREVIOUS');
      const from = versions.get(RemoveFromVersionId as string);
      if (from) from.stages = [...from.stages.filter((s) => s !== VersionStage), 'AWSPREVIOUS'];
      const to = versions.get(MoveToVersionId as string);
      if (to) to.stages = [...to.stages.filter((s) => s !== 'AWSPENDING'), VersionStage as string];
      return {};
    }
    throw new Error(`unexpected command ${String(command)}`);
  };
  return { versions, client: { send } as never };
}

describe('cursor key rotation', () => {
  it('makes a new random key current and keeps the old one as AWSPREVIOUS, through the four steps', async () => {
    // Prepare: Secrets Manager labels the new version AWSPENDING before it calls the function.
    const sm = secretsInMemory();
    sm.versions.set('v2', { stages: ['AWSPENDING'] });
    const event = (Step: RotationEvent['Step']): RotationEvent => ({ SecretId: ARN, ClientRequestToken: 'v2', Step });

    // Act
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) await rotate(event(step), sm.client);

    // Assess
    const v1 = sm.versions.get('v1');
    const v2 = sm.versions.get('v2');
    expect(v2?.stages).toEqual(['AWSCURRENT']);
    expect(v1?.stages).toEqual(['AWSPREVIOUS']);
    expect(v2?.value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(v2?.value).not.toBe(v1?.value);
  });

  it('creates the pending key once, however often Secrets Manager retries the step', async () => {
    const sm = secretsInMemory();
    sm.versions.set('v2', { stages: ['AWSPENDING'] });
    const event: RotationEvent = { SecretId: ARN, ClientRequestToken: 'v2', Step: 'createSecret' };
    await rotate(event, sm.client);
    const first = sm.versions.get('v2')?.value;
    await rotate(event, sm.client);
    expect(sm.versions.get('v2')?.value).toBe(first);
  });

  it('does nothing for a version that is already current', async () => {
    const sm = secretsInMemory();
    await rotate({ SecretId: ARN, ClientRequestToken: 'v1', Step: 'finishSecret' }, sm.client);
    expect(sm.versions.get('v1')?.stages).toEqual(['AWSCURRENT']);
  });
});
