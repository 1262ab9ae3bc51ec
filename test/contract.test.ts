import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildASTSchema, concatAST, isEnumType, isInputObjectType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkContract, copyDrift, ownContract, sharedContract } from './contract/check.js';

const root = join(import.meta.dirname, '..');

/** A scratch copy of a directory of the repository, to break on purpose. */
function scratch(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'contract-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function edit(file: string, from: string | RegExp, to: string) {
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${from} is not in ${file}`);
  writeFileSync(file, changed);
}

describe('the public contract (test/contract/, a copy of ../shared/contract/)', () => {
  it('holds: the schema has every contract type, field, argument and value, and the contract operations validate and ship unchanged', () => {
    const { problems, operations } = checkContract();
    expect(problems).toEqual([]);
    expect(operations).toHaveLength(16);
    // When the shared contract beside the checkout is present, the copy equals it and
    // the schema holds that one too; a clone with nothing beside it checks its own copy alone.
    if (existsSync(sharedContract)) {
      expect(copyDrift()).toEqual([]);
      expect(checkContract({ contractDir: sharedContract }).problems).toEqual([]);
    }
  });

  it('holds through `npm run contract`, which needs nothing beside the checkout', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/contract/check.ts', '--contract', ownContract], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toBe('contract: holds against test/contract (16 operations valid)\n');
  });

  it('the checker finds each kind of break: a missing field or value, a changed type, a new required argument, an invalid or edited operation', () => {
    const schemaDir = scratch(join(root, 'schema'));
    edit(join(schemaDir, 'plans.graphql'), /\n\s*("[^"\n]*"\s*)?DISCONTINUED\b/, '');
    const contractDir = scratch(ownContract);
    edit(join(contractDir, 'contract.graphql'), 'type Query {', 'type Query {\n  notInTheSchema: Int');
    edit(join(contractDir, 'contract.graphql'), 'viewer: Viewer!', 'viewer: Viewer');
    edit(join(contractDir, 'operations.graphql'), 'viewer {', 'viewer { notAField');
    const shipped = join(scratch(join(root, 'client/operations')), 'operations.graphql');
    edit(shipped, /\n$/, '\n# edited\n');
    const { problems } = checkContract({ schemaDir, contractDir, shippedOperations: shipped });
    expect(problems).toEqual(
      expect.arrayContaining([
        'Query.notInTheSchema is missing',
        'Query.viewer is Viewer!; the contract says Viewer',
        'MeasureStatus.DISCONTINUED is missing',
        'operations.graphql: Cannot query field "notAField" on type "Viewer".',
        "client/operations/operations.graphql is not the contract's operations.graphql unchanged",
      ]),
    );

    const original = scratch(ownContract);
    edit(join(original, 'operations.graphql'), /\n$/, '\n# edited\n');
    expect(copyDrift(original)).toEqual(['operations.graphql']);

    const required = scratch(join(root, 'schema'));
    edit(join(required, 'plans.graphql'), `measure("The measure's id." id: ID!)`, `measure("The measure's id." id: ID!, mustSend: Int!)`);
    expect(checkContract({ schemaDir: required }).problems).toContain(
      'Query.measure(mustSend:) is required, but the contract does not have it',
    );
  });
});

describe('the schema', () => {
  it('describes every type, field, argument, input field and enum value', () => {
    const files = readdirSync(join(root, 'schema')).filter((f) => f.endsWith('.graphql'));
    const schema = buildASTSchema(concatAST(files.map((f) => parse(readFileSync(join(root, 'schema', f), 'utf8')))));
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('keeps one file per domain', () => {
    // abilities.graphql: the viewerCan… fields of every domain's objects; limits.json: the limits server and clients read.
    expect(readdirSync(join(root, 'schema')).sort()).toEqual([
      'abilities.graphql',
      'agencies.graphql',
      'audit.graphql',
      'base.graphql',
      'funding.graphql',
      'identity.graphql',
      'integrations.graphql',
      'limits.json',
      'plans.graphql',
      'shelters.graphql',
    ]);
  });
});
