import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from './errors.js';

/**
 * Opaque, tamper-evident cursors: the position (a DynamoDB key) and the list it belongs to
 * (`scope`, e.g. the filter) are signed with HMAC-SHA256. A cursor that was altered, or taken
 * from another list, is BAD_USER_INPUT, so a client can never steer a Query to a key of its choosing.
 *
 * The key rotates (in the cloud, Secrets Manager's AWSCURRENT and AWSPREVIOUS versions): a cursor is
 * signed with the current key and accepted with the current or the previous one, so a client paging
 * through a list while the key rotates does not lose its place.
 */
export type CursorKey = Record<string, string | number>;

export class Cursors {
  private readonly secrets: readonly string[];

  /** @param secret signs new cursors and verifies them; @param previous only verifies (the key before a rotation). */
  constructor(
    private readonly secret: string,
    previous: readonly string[] = [],
  ) {
    this.secrets = [secret, ...previous.filter((p) => p !== secret)];
  }

  encode(scope: string, key: CursorKey): string {
    const body = Buffer.from(JSON.stringify(key)).toString('base64url');
    return `${body}.${this.sign(scope, body)}`;
  }

  /** The key inside a cursor of this scope; undefined when no cursor was given. */
  decode(scope: string, cursor: string | null | undefined, field = 'after'): CursorKey | undefined {
    if (cursor === null || cursor === undefined) return undefined;
    const [body, mac, extra] = cursor.split('.');
    const given = Buffer.from(mac ?? '');
    const signedBy = (secret: string) => {
      const expected = Buffer.from(this.sign(scope, body as string, secret));
      return expected.length === given.length && timingSafeEqual(expected, given);
    };
    // Every key is tried, not only until one matches, so the time taken says nothing about which key signed it.
    const matches = body ? this.secrets.map(signedBy) : [];
    if (!body || extra !== undefined || !matches.includes(true)) {
      throw new BadUserInputError('The cursor is not valid for this list.', field);
    }
    const key: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return key as CursorKey;
  }

  private sign(scope: string, body: string, secret = this.secret): string {
    return createHmac('sha256', secret).update(scope).update('\u0000').update(body).digest('base64url');
  }
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Validates `first` against the cap: 1–MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when absent (docs/api.md). */
export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${field} must be between 1 and ${MAX_PAGE_SIZE}.`, field);
  }
  return first;
}
