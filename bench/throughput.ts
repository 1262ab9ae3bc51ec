import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  buildSchema,
  type DocumentNode,
  execute,
  type GraphQLFieldResolver,
  GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLSchema,
  parse,
  validate,
} from 'graphql';
import { createContext } from '../functions/app/context.js';
import { typeDefs } from '../functions/graphql/generated/type-defs.js';
import { resolvers } from '../functions/graphql/resolvers.js';
import type { Config } from '../functions/shared/config.js';
import { apiEvent, type Caller, type Handler, invoke } from './event.js';
import type { ThroughputResult } from './results.js';

/**
 * The handler's schema for plain graphql-js: the generated type definitions with the same resolver
 * map attached field by field, and the custom scalars' functions, as makeExecutableSchema would.
 */
export function plainSchema(): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  for (const [typeName, entry] of Object.entries(resolvers as Record<string, unknown>)) {
    const type = schema.getType(typeName);
    if (type instanceof GraphQLScalarType && entry instanceof GraphQLScalarType) {
      type.serialize = entry.serialize;
      type.parseValue = entry.parseValue;
      type.parseLiteral = entry.parseLiteral;
    } else if (type instanceof GraphQLObjectType) {
      const fields = type.getFields();
      for (const [fieldName, resolve] of Object.entries(entry as Record<string, unknown>)) {
        const field = fields[fieldName];
        if (!field || typeof resolve !== 'function') throw new Error(`Cannot attach resolver ${typeName}.${fieldName}`);
        field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
      }
    } else {
      throw new Error(`Resolver map entry ${typeName} has no object or scalar type in the schema`);
    }
  }
  return schema;
}

interface Options {
  readonly name: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly caller: Caller;
  readonly handler: Handler;
  readonly client: DynamoDBDocumentClient;
  readonly config: Config;
  /** Calls per side, at most. */
  readonly iterations: number;
  /** Milliseconds per side, at most. */
  readonly maxMs: number;
}

/**
 * Warm, in-process calls per second of one operation through the Lambda handler and through plain
 * graphql-js `execute` (document parsed and validated once) over the same repositories and a fresh
 * context per call, in alternating blocks so that drift hits both sides alike.
 */
export async function compareThroughput(o: Options): Promise<ThroughputResult> {
  const schema = plainSchema();
  const document: DocumentNode = parse(o.query);
  const invalid = validate(schema, document);
  if (invalid.length > 0) throw new Error(`${o.name} is invalid for the plain schema: ${invalid.map((e) => e.message).join('; ')}`);

  const viaHandler = async () => {
    const answer = await invoke(o.handler, o.caller, o.query, o.variables);
    if (answer.status !== 200 || answer.errors) throw new Error(`${o.name} through the handler failed: ${answer.raw.slice(0, 500)}`);
    return answer.data;
  };
  const viaGraphqlJs = async () => {
    const event = apiEvent(o.caller, '');
    const result = await execute({
      schema,
      document,
      variableValues: o.variables,
      contextValue: createContext(event, o.client, o.config),
    });
    if (result.errors) throw new Error(`${o.name} through graphql-js failed: ${result.errors.map((e) => e.message).join('; ')}`);
    return result.data;
  };

  // Both answer the same, and both are warm before anything is timed.
  const [a, b] = [await viaHandler(), await viaGraphqlJs()];
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${o.name}: the handler and graphql-js answer differently`);
  for (let i = 0; i < 20; i++) {
    await viaHandler();
    await viaGraphqlJs();
  }

  const sides = { handler: { calls: 0, ms: 0, run: viaHandler }, graphqlJs: { calls: 0, ms: 0, run: viaGraphqlJs } };
  const block = Math.max(1, Math.ceil(o.iterations / 6));
  for (let round = 0; ; round++) {
    const order = round % 2 === 0 ? [sides.handler, sides.graphqlJs] : [sides.graphqlJs, sides.handler];
    let ran = false;
    for (const side of order) {
      const n = Math.min(block, o.iterations - side.calls);
      if (n <= 0 || side.ms >= o.maxMs) continue;
      ran = true;
      const start = performance.now();
      for (let i = 0; i < n; i++) await side.run();
      side.ms += performance.now() - start;
      side.calls += n;
    }
    if (!ran) break;
  }
  return {
    operation: o.name,
    handler: { calls: sides.handler.calls, ms: sides.handler.ms },
    graphqlJs: { calls: sides.graphqlJs.calls, ms: sides.graphqlJs.ms },
  };
}
