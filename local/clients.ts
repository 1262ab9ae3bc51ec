import { randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The local stand-in for the integrations' Cognito app clients (confidential clients of the client-credentials grant):
 * a client id and secret, kept under .data/ with the secret hashed (scrypt), as Cognito keeps one and shows it to
 * whoever may describe the client. What a client may do is not here: that is the integrations registry's, in the
 * platform's own tables, as in the cloud. The file is read on each use, so a client made by `npm run integration`
 * works at once with the running `npm start`.
 */
export interface LocalClient {
  readonly clientId: string;
  readonly name: string;
  /** `scrypt$<salt>$<hash>`, both base64url. */
  readonly secretHash: string;
  readonly createdAt: string;
}

/** What an integration's app client may ask for: every platform scope (the registry decides what a token holds). */
export const CLIENT_SCOPES = ['samordning/read', 'samordning/write', 'samordning/publish-documents'] as const;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Like Cognito's: a client id of 26 and a secret of 51 lower-case letters and digits. */
const randomText = (length: number) => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

function hash(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32);
}

export class LocalClients {
  constructor(private readonly path: string) {}

  list(): LocalClient[] {
    if (!existsSync(this.path)) return [];
    const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
    if (!Array.isArray(parsed)) throw new Error(`${this.path} does not hold a list of clients`);
    return parsed.filter(
      (c): c is LocalClient =>
        typeof c === 'object' &&
        c !== null &&
        typeof c.clientId === 'string' &&
        typeof c.name === 'string' &&
        typeof c.secretHash === 'string' &&
        typeof c.createdAt === 'string',
    );
  }

  has(clientId: string): boolean {
    return this.list().some((c) => c.clientId === clientId);
  }

  /** A new client, and its secret: shown this once, kept only as a hash. */
  create(name: string): { readonly clientId: string; readonly secret: string } {
    const clientId = randomText(26);
    const secret = randomText(51);
    const salt = randomBytes(16);
    const client: LocalClient = {
      clientId,
      name,
      secretHash: `scrypt$${salt.toString('base64url')}$${hash(secret, salt).toString('base64url')}`,
      createdAt: new Date().toISOString(),
    };
    this.write([...this.list(), client]);
    return { clientId, secret };
  }

  remove(clientId: string): void {
    this.write(this.list().filter((c) => c.clientId !== clientId));
  }

  /** The client whose id and secret these are; undefined for an unknown id or a wrong secret (told apart by no one). */
  authenticate(clientId: string, secret: string): LocalClient | undefined {
    const client = this.list().find((c) => c.clientId === clientId);
    const [, salt, stored] = (client?.secretHash ?? 'scrypt$$').split('$');
    // An unknown client costs the same hash as a known one.
    const given = hash(secret, Buffer.from(salt ?? '', 'base64url'));
    const expected = Buffer.from(stored ?? '', 'base64url');
    return client && expected.length === given.length && timingSafeEqual(expected, given) ? client : undefined;
  }

  private write(clients: readonly LocalClient[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(clients, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}
