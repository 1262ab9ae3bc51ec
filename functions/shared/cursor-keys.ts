import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CursorKeySource } from './config.js';
import { Cursors } from './cursor.js';
import { tracer } from './tracer.js';

/**
 * How long a container keeps the keys it read. After a rotation, a container that still holds the old key signs with
 * it (the others accept it as the previous key) but refuses cursors signed with the new one, for at most this long;
 * a minute keeps that window short for two GetSecretValue calls a minute per warm container.
 */
export const CURSOR_KEY_MAX_AGE_SECONDS = 60;

export interface RotatingSecretOptions {
  /** @default a Secrets Manager client of its own, traced */
  readonly client?: SecretsManagerClient;
  /** @default CURSOR_KEY_MAX_AGE_SECONDS */
  readonly maxAgeSeconds?: number;
}

/**
 * A secret that rotates, read at run time with Powertools Parameters: its AWSCURRENT version and, where there is one,
 * its AWSPREVIOUS version (a secret that has never rotated has none), each cached for `maxAgeSeconds`.
 */
export class RotatingSecret {
  private readonly current: SecretsProvider;
  private readonly previousProvider: SecretsProvider;
  private readonly maxAge: number;
  /** The previous version, or its absence, until this time (ms): Powertools caches values, not a missing version. */
  private previous: { value: string | undefined; until: number } | undefined;

  constructor(
    private readonly arn: string,
    options: RotatingSecretOptions = {},
  ) {
    const client = options.client ?? tracer.captureAWSv3Client(new SecretsManagerClient({}));
    // Two providers, one per version stage: a provider's cache is keyed by the secret's name alone, not by the SDK
    // options, so one provider asked for both stages would hand back whichever it read first.
    this.current = new SecretsProvider({ awsSdkV3Client: client });
    this.previousProvider = new SecretsProvider({ awsSdkV3Client: client });
    this.maxAge = options.maxAgeSeconds ?? CURSOR_KEY_MAX_AGE_SECONDS;
  }

  /** The current value (at least 32 characters) and the previous one, if any. */
  async values(): Promise<{ current: string; previous: string | undefined }> {
    const [current, previous] = await Promise.all([
      this.current.get(this.arn, { maxAge: this.maxAge, sdkOptions: { VersionStage: 'AWSCURRENT' } }),
      this.previousValue(),
    ]);
    if (typeof current !== 'string' || current.length < 32) {
      throw new Error(`The secret ${this.arn} must hold a string of at least 32 characters`);
    }
    return { current, previous };
  }

  private async previousValue(): Promise<string | undefined> {
    if (this.previous && this.previous.until > Date.now()) return this.previous.value;
    let value: string | undefined;
    try {
      const read = await this.previousProvider.get(this.arn, { maxAge: this.maxAge, sdkOptions: { VersionStage: 'AWSPREVIOUS' } });
      value = typeof read === 'string' ? read : undefined;
    } catch (error) {
      // A secret that has never rotated has no AWSPREVIOUS version: Secrets Manager answers ResourceNotFoundException.
      if (!isNotFound(error)) throw error;
    }
    this.previous = { value, until: Date.now() + this.maxAge * 1000 };
    return value;
  }
}

/**
 * The cursor signer of a request. With the key itself (local, tests, scripts) that is one fixed signer; with a secret
 * (the cloud) it reads the secret's AWSCURRENT version (signs and verifies) and AWSPREVIOUS version (verifies only) at
 * run time, cached, so the value is never in the function's environment and a rotation takes effect without a deploy.
 */
export class CursorKeyring {
  private readonly fixed: Cursors | undefined;
  private readonly secret: RotatingSecret | undefined;

  constructor(source: CursorKeySource, options: RotatingSecretOptions = {}) {
    if ('value' in source) this.fixed = new Cursors(source.value);
    else this.secret = new RotatingSecret(source.secretArn, options);
  }

  /** The signer for one request: the cached keys, read again once they are older than the maximum age. */
  async cursors(): Promise<Cursors> {
    if (this.fixed) return this.fixed;
    const { current, previous } = await (this.secret as RotatingSecret).values();
    return new Cursors(current, previous === undefined ? [] : [previous]);
  }
}

function isNotFound(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === 'ResourceNotFoundException') return true;
  }
  return false;
}
