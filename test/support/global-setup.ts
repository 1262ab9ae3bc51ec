import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { isLoopback } from '../../local/environment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** A directory of this run's own, removed at its end: what one test file makes for the others (test/infra/synth.ts). */
    runDir: string;
  }
}

/**
 * Starts AWS's DynamoDB Local once for the whole run (in memory, on a free loopback port). Tests
 * run only against a local DynamoDB: an endpoint that is not loopback is refused outright.
 */
export default async function setup(project: TestProject) {
  const runDir = mkdtempSync(join(tmpdir(), 'samordning-run-'));
  project.provide('runDir', runDir);
  const removeRunDir = () => rmSync(runDir, { recursive: true, force: true });
  const given = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (given) {
    if (!isLoopback(given)) throw new Error(`Refusing to run tests against ${given}: tests only run against a DynamoDB on loopback.`);
    project.provide('dynamoEndpoint', given);
    return removeRunDir;
  }
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
    removeRunDir();
  };
}
