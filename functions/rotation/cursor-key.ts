import { randomBytes } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

/** What Secrets Manager sends a rotation function, once per step. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

/** 48 random bytes, base64url: 64 characters, well above the 32 the GraphQL function requires. */
export function newCursorKey(): string {
  return randomBytes(48).toString('base64url');
}

const client = new SecretsManagerClient({});

/**
 * Rotates the cursor key, Secrets Manager's four steps for a secret that no other system holds: createSecret puts a
 * new random key as AWSPENDING; setSecret has nothing to tell; testSecret checks the pending key's form; finishSecret
 * makes it AWSCURRENT, and Secrets Manager labels the key before it AWSPREVIOUS. The GraphQL function signs with
 * AWSCURRENT and accepts AWSPREVIOUS too, so cursors handed out before the rotation keep working until the next one.
 * Each step is idempotent: Secrets Manager retries a step that failed.
 */
export async function rotate(event: RotationEvent, secrets: Pick<SecretsManagerClient, 'send'> = client): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!described.RotationEnabled) throw new Error(`Secret ${secretId} does not have rotation enabled`);
  const stages = described.VersionIdsToStages?.[token];
  if (!stages) throw new Error(`Secret ${secretId} has no version ${token} to rotate to`);
  if (stages.includes('AWSCURRENT')) return;
  if (!stages.includes('AWSPENDING')) throw new Error(`Version ${token} of secret ${secretId} is not AWSPENDING`);

  switch (step) {
    case 'createSecret': {
      try {
        await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException) && (error as Error).name !== 'ResourceNotFoundException') throw error;
        await secrets.send(
          new PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: token,
            SecretString: newCursorKey(),
            VersionStages: ['AWSPENDING'],
          }),
        );
      }
      return;
    }
    case 'setSecret':
      // The key lives only in this secret: nothing outside it needs the new value.
      return;
    case 'testSecret': {
      const pending = await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
      if ((pending.SecretString ?? '').length < 32) throw new Error(`The pending cursor key of ${secretId} is shorter than 32 characters`);
      return;
    }
    case 'finishSecret': {
      const current = Object.entries(described.VersionIdsToStages ?? {}).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
      await secrets.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          ...(current === undefined ? {} : { RemoveFromVersionId: current }),
        }),
      );
      return;
    }
    default:
      throw new Error(`Unknown rotation step ${JSON.stringify(step satisfies never)}`);
  }
}

/** The Lambda entry Secrets Manager invokes. */
export const handler = (event: RotationEvent): Promise<void> => rotate(event);
