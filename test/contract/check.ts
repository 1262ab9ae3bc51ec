/**
 * The project's check of its GraphQL schema against the public contract, kept in the repository
 * (test/contract/contract.graphql and operations.graphql, copies of the shared contract beside the checkout) so that a
 * checkout needs nothing beside it.
 *
 * The contract holds when
 * - every type of contract.graphql is in the schema (schema/*.graphql) and of the same kind; every
 *   enum value, union member, implemented interface, field, argument and input field it names is
 *   there with the very same type; what the schema adds is optional to a client (no new required
 *   argument or input field), so a request written to the contract is never refused for lacking it;
 * - every operation of operations.graphql validates against the schema;
 * - client/operations/operations.graphql ships those operations unchanged, byte for byte.
 *
 *   npm run contract                        the copy in test/contract, and the shared contract beside the checkout, when present
 *   npm run contract -- --contract DIR      the contract in DIR only
 *
 * Exit 0 when it holds, 1 when it does not; each problem is printed on a line of its own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildASTSchema,
  concatAST,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  parse,
  validate,
} from 'graphql';

export const projectRoot = resolve(import.meta.dirname, '../..');
/** The copy of the contract the repository owns. */
export const ownContract = join(projectRoot, 'test/contract');
/** The shared original, when the checkout sits beside it. */
export const sharedContract = resolve(projectRoot, '../shared/contract');

export interface ContractCheck {
  /** One line per way the schema or the shipped operations break the contract; empty when it holds. */
  readonly problems: string[];
  /** The names of the contract's operations, each validated against the schema. */
  readonly operations: string[];
}

/** The schema as the project declares it: every .graphql file of the directory, in name order. */
export function projectSchema(schemaDir = join(projectRoot, 'schema')): GraphQLSchema {
  const files = readdirSync(schemaDir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`no .graphql file in ${schemaDir}`);
  return buildASTSchema(concatAST(files.map((name) => parse(readFileSync(join(schemaDir, name), 'utf8')))));
}

function kindOf(type: GraphQLNamedType): string {
  if (isScalarType(type)) return 'scalar';
  if (isObjectType(type)) return 'object type';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isEnumType(type)) return 'enum';
  return 'input type';
}

/** A field or input field the schema adds that a client must then send. */
const required = (x: GraphQLArgument | GraphQLInputField) => isNonNullType(x.type) && x.defaultValue === undefined;

function compareArguments(owner: string, want: GraphQLField<unknown, unknown>, have: GraphQLField<unknown, unknown>): string[] {
  const problems: string[] = [];
  const named = new Map(want.args.map((a) => [a.name, a]));
  for (const arg of want.args) {
    const mine = have.args.find((a) => a.name === arg.name);
    if (!mine) problems.push(`${owner}(${arg.name}:) is missing`);
    else if (String(mine.type) !== String(arg.type)) problems.push(`${owner}(${arg.name}:) is ${mine.type}; the contract says ${arg.type}`);
  }
  for (const extra of have.args.filter((a) => !named.has(a.name) && required(a)))
    problems.push(`${owner}(${extra.name}:) is required, but the contract does not have it`);
  return problems;
}

function compareType(want: GraphQLNamedType, have: GraphQLNamedType): string[] {
  const name = want.name;
  if (kindOf(want) !== kindOf(have)) return [`${name} is a ${kindOf(have)}; the contract says ${kindOf(want)}`];
  const problems: string[] = [];
  if (isEnumType(want) && isEnumType(have)) {
    const values = new Set(have.getValues().map((v) => v.name));
    for (const v of want.getValues()) if (!values.has(v.name)) problems.push(`${name}.${v.name} is missing`);
  }
  if (isUnionType(want) && isUnionType(have)) {
    const members = new Set(have.getTypes().map((t) => t.name));
    for (const t of want.getTypes()) if (!members.has(t.name)) problems.push(`${name} lacks the member ${t.name}`);
  }
  if ((isObjectType(want) || isInterfaceType(want)) && (isObjectType(have) || isInterfaceType(have))) {
    const implemented = new Set(have.getInterfaces().map((i) => i.name));
    for (const i of want.getInterfaces()) if (!implemented.has(i.name)) problems.push(`${name} does not implement ${i.name}`);
    const fields = have.getFields();
    for (const field of Object.values(want.getFields())) {
      const mine = fields[field.name];
      if (!mine) problems.push(`${name}.${field.name} is missing`);
      else if (String(mine.type) !== String(field.type))
        problems.push(`${name}.${field.name} is ${mine.type}; the contract says ${field.type}`);
      else problems.push(...compareArguments(`${name}.${field.name}`, field, mine));
    }
  }
  if (isInputObjectType(want) && isInputObjectType(have)) {
    const fields = have.getFields();
    const named = want.getFields();
    for (const field of Object.values(named)) {
      const mine = fields[field.name];
      if (!mine) problems.push(`${name}.${field.name} is missing`);
      else if (String(mine.type) !== String(field.type))
        problems.push(`${name}.${field.name} is ${mine.type}; the contract says ${field.type}`);
    }
    for (const extra of Object.values(fields).filter((f) => !named[f.name] && required(f)))
      problems.push(`${name}.${extra.name} is required, but the contract does not have it`);
  }
  return problems;
}

/** Checks the project (its schema and shipped operations) against the contract in `contractDir`. */
export function checkContract(options: { contractDir?: string; schemaDir?: string; shippedOperations?: string } = {}): ContractCheck {
  const contractDir = options.contractDir ?? ownContract;
  const shippedPath = options.shippedOperations ?? join(projectRoot, 'client/operations/operations.graphql');
  const problems: string[] = [];

  let schema: GraphQLSchema;
  try {
    schema = projectSchema(options.schemaDir);
  } catch (error) {
    return { problems: [`the schema does not build: ${(error as Error).message}`], operations: [] };
  }

  const contract = buildASTSchema(parse(readFileSync(join(contractDir, 'contract.graphql'), 'utf8')));
  for (const want of Object.values(contract.getTypeMap())) {
    if (want.name.startsWith('__')) continue;
    const have = schema.getType(want.name);
    if (!have) problems.push(`type ${want.name} is missing`);
    else problems.push(...compareType(want, have));
  }

  const operationsText = readFileSync(join(contractDir, 'operations.graphql'), 'utf8');
  const operations = parse(operationsText);
  for (const error of validate(schema, operations)) problems.push(`operations.graphql: ${error.message}`);
  const names = operations.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));

  if (!existsSync(shippedPath)) problems.push('client/operations/operations.graphql is missing');
  else if (readFileSync(shippedPath, 'utf8') !== operationsText)
    problems.push("client/operations/operations.graphql is not the contract's operations.graphql unchanged");

  return { problems, operations: names };
}

/** The files of the repository's copy that differ from the shared original (none when it is absent). */
export function copyDrift(shared = sharedContract, own = ownContract): string[] {
  if (!existsSync(shared)) return [];
  return ['contract.graphql', 'operations.graphql'].filter(
    (name) => !existsSync(join(own, name)) || readFileSync(join(own, name), 'utf8') !== readFileSync(join(shared, name), 'utf8'),
  );
}

function main(args: string[]): number {
  const at = args.indexOf('--contract');
  const given = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !given) {
    console.log('usage: npm run contract [-- --contract DIR]');
    return 1;
  }
  const dirs = given ? [resolve(given)] : [ownContract, ...(existsSync(sharedContract) ? [sharedContract] : [])];
  let failed = false;
  for (const dir of dirs) {
    const { problems, operations } = checkContract({ contractDir: dir });
    const where = relative(projectRoot, dir) || '.';
    for (const problem of problems) console.log(`${where}: ${problem}`);
    if (problems.length > 0) console.log(`contract: ${problems.length} problems against ${where}`);
    else console.log(`contract: holds against ${where} (${operations.length} operations valid)`);
    failed ||= problems.length > 0;
  }
  if (!given) {
    const drift = copyDrift();
    for (const name of drift) console.log(`contract: test/contract/${name} differs from ${relative(projectRoot, sharedContract)}/${name}`);
    failed ||= drift.length > 0;
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
