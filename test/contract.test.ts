import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, concatAST, isEnumType, isInputObjectType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('the schema', () => {
  it('holds the public contract (../shared/tools/contract-check.mjs)', () => {
    const out = execFileSync(process.execPath, [join(root, '../shared/tools/contract-check.mjs')], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('contract: holds');
  });

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
    expect(readdirSync(join(root, 'schema')).sort()).toEqual([
      'agencies.graphql',
      'audit.graphql',
      'base.graphql',
      'funding.graphql',
      'identity.graphql',
      'plans.graphql',
      'shelters.graphql',
    ]);
  });
});
