import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

const root = join(import.meta.dirname, '..');

describe('generated code', () => {
  it('is committed exactly as codegen makes it from schema/ and client/operations/ (run `npm run codegen`)', async () => {
    const outputs = await generate({ ...config, cwd: root, silent: true }, false);

    expect(outputs.length).toBeGreaterThanOrEqual(5);
    for (const { filename, content } of outputs) {
      const onDisk = readFileSync(join(root, filename.replace(`${root}/`, '')), 'utf8');
      expect(onDisk, `${filename} drifted`).toBe(content);
    }
  }, 120_000);

  it("ships the contract's operations (test/contract/operations.graphql) as the client operations, unchanged", () => {
    const shipped = readFileSync(join(root, 'client/operations/operations.graphql'), 'utf8');
    const contract = readFileSync(join(root, 'test/contract/operations.graphql'), 'utf8');
    expect(shipped).toBe(contract);
  });
});
