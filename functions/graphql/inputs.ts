import type { ApolloServerPlugin } from '@apollo/server';
import {
  coerceInputValue,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInputType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  typeFromAST,
  type ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Context } from '../app/context.js';
import { DomainError } from '../shared/errors.js';
import { limits } from './generated/limits.js';

/**
 * The most items each list argument and list input field of the schema takes, by schema
 * coordinate. docs/limits.md gives each value and where it comes from; test/graphql/inputs.test.ts
 * fails when a list of the schema has no entry here, or an entry names no list.
 */
export const listLimits: ReadonlyMap<string, number> = new Map([
  // A plan has five goals; a measure serves a few of them.
  ['CreateMeasureInput.goalNumbers', 20],
  ['UpdateMeasureInput.goalNumbers', 20],
  // As many as the enum has values: a longer list only repeats one.
  ['RegisterShelterInput.targetGroups', limits.targetGroups],
  ['UpdateShelterInput.targetGroups', limits.targetGroups],
  ['RegisterShelterInput.services', limits.services],
  ['UpdateShelterInput.services', limits.services],
  // Twice the plan's 35 measures; with the shelter's own key they still fit one BatchGetItem (100 keys).
  ['RegisterShelterInput.measureIds', limits.measuresPerShelter],
  ['UpdateShelterInput.measureIds', limits.measuresPerShelter],
  // Quarters over 25 years (calendar.ts SCHEDULE_MAX).
  ['SetReportingScheduleInput.periods', limits.reportingPeriodsPerPlan],
  // An integration's scopes: as many as there are.
  ['RegisterIntegrationInput.scopes', limits.integrationScopes],
  ['UpdateIntegrationInput.scopes', limits.integrationScopes],
]);

/** The cap of a list the table does not name (the tests keep the table complete; this keeps production safe). */
const DEFAULT_LIST_LIMIT = 20;

/** A request refused before it runs: HTTP 400, BAD_USER_INPUT, `extensions.field` naming where. */
function refusal(message: string, field: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions, field, http: { status: 400 } } });
}

/**
 * Checks a request's inputs after its document is validated and before anything runs, so that no
 * resolver and no DynamoDB request sees them:
 *
 * - every list argument and list input field, given inline or in a variable, holds at most its
 *   `listLimits` items. Checked on the variables as sent, before graphql-js coerces them, so a list
 *   of 200,000 ids costs one length comparison; the error names the field, never an item.
 * - every variable coerces to its type. graphql-js would say why not in a message that quotes the
 *   value (a confidential address among it); this builds the message from the schema and the path
 *   alone, so no part of a value can reach the response, whatever punctuation it holds.
 *
 * An error thrown here becomes the response; Apollo calls `didResolveOperation` before execution.
 */
export const inputGuard: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, request }) {
        if (!operation) return;
        const variables = request.variables ?? {};
        const error = listLengthRefusal(schema, document, operation, variables) ?? variableRefusal(schema, operation, variables);
        if (error) throw error;
      },
    };
  },
};

/** The first list over its cap in the operation (and the fragments it may spread), inline or in a variable. */
export function listLengthRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): GraphQLError | undefined {
  const defaults = new Map((operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue]));
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const typeInfo = new TypeInfo(schema);
  let found: GraphQLError | undefined;

  const checkLiteral = (node: ValueNode, type: GraphQLInputType, coordinate: string, field: string): void => {
    if (found) return;
    const t = isNonNullType(type) ? type.ofType : type;
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      if (Object.hasOwn(variables, name)) checkValue(variables[name], t, coordinate, field);
      else {
        const fallback = defaults.get(name);
        if (fallback) checkLiteral(fallback, t, coordinate, field);
      }
    } else if (isListType(t)) {
      if (node.kind !== Kind.LIST) checkLiteral(node, t.ofType, coordinate, field);
      else if (!over(node.values.length, coordinate, field))
        for (const item of node.values) checkLiteral(item, t.ofType, coordinate, field);
    } else if (isInputObjectType(t) && node.kind === Kind.OBJECT) {
      const fields = new Map(Object.values(t.getFields()).map((f) => [f.name, f]));
      for (const f of node.fields) {
        const def = fields.get(f.name.value);
        if (def) checkLiteral(f.value, def.type, `${t.name}.${def.name}`, def.name);
      }
    }
  };

  const checkValue = (value: unknown, type: GraphQLInputType, coordinate: string, field: string): void => {
    if (found || value === null || value === undefined) return;
    const t = isNonNullType(type) ? type.ofType : type;
    if (isListType(t)) {
      if (!Array.isArray(value)) checkValue(value, t.ofType, coordinate, field);
      else if (!over(value.length, coordinate, field)) for (const item of value) checkValue(item, t.ofType, coordinate, field);
    } else if (isInputObjectType(t) && typeof value === 'object' && !Array.isArray(value)) {
      // Only the type's own fields: a key the type lacks is refused by coercion, and a key such as `__proto__` is never followed.
      for (const def of Object.values(t.getFields())) {
        if (Object.hasOwn(value, def.name))
          checkValue((value as Record<string, unknown>)[def.name], def.type, `${t.name}.${def.name}`, def.name);
      }
    }
  };

  const over = (length: number, coordinate: string, field: string): boolean => {
    const maximum = listLimits.get(coordinate) ?? DEFAULT_LIST_LIMIT;
    if (length <= maximum) return false;
    found = refusal(`${field} may hold at most ${maximum} items; it held ${length}.`, field, { limit: 'listLength', maximum });
    return true;
  };

  visit(
    { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] },
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (!argument || found) return;
        const parent = typeInfo.getParentType();
        const fieldDef = typeInfo.getFieldDef();
        const directive = typeInfo.getDirective();
        const coordinate = directive
          ? `@${directive.name}(${argument.name}:)`
          : `${parent?.name ?? ''}.${fieldDef?.name ?? ''}(${argument.name}:)`;
        checkLiteral(node.value, argument.type, coordinate, argument.name);
      },
    }),
  );
  return found;
}

/**
 * The first variable that does not coerce to its type, with a message made of the variable's name,
 * the path in it (schema field names and list indexes) and the type expected there: never the value,
 * nor a key of it that is not a GraphQL name. Missing and null variables are left to graphql-js,
 * whose messages about them hold no value.
 */
export function variableRefusal(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): GraphQLError | undefined {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type) || !Object.hasOwn(variables, name) || variables[name] === null) continue;
    let first: GraphQLError | undefined;
    coerceInputValue(variables[name], type, (path, invalid, error) => {
      first ??= coercionRefusal(name, type, path, invalid, error);
    });
    if (first) return first;
  }
  return undefined;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

function coercionRefusal(
  variable: string,
  type: GraphQLInputType,
  path: readonly (string | number)[],
  invalid: unknown,
  error: GraphQLError,
): GraphQLError {
  const at = `${variable}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
  const expected = typeAt(type, path);
  const named = expected ? getNamedType(expected) : undefined;
  const cause = error.originalError;
  let reason = 'it is not of the type expected there.';
  if (invalid === null || invalid === undefined) {
    reason = expected ? `Expected non-nullable type "${String(expected)}" not to be null.` : 'it must not be null.';
  } else if (named && isInputObjectType(named)) {
    if (typeof invalid !== 'object' || Array.isArray(invalid)) reason = `Expected type "${named.name}" to be an object.`;
    else {
      const fields = Object.values(named.getFields());
      const missing = fields.find(
        (f) => isNonNullType(f.type) && f.defaultValue === undefined && (invalid as Record<string, unknown>)[f.name] === undefined,
      );
      const unknown = Object.keys(invalid).find((k) => !fields.some((f) => f.name === k));
      if (missing) reason = `Field "${missing.name}" of required type "${String(missing.type)}" was not provided.`;
      else if (unknown !== undefined)
        reason = GRAPHQL_NAME.test(unknown)
          ? `Field "${unknown}" is not defined by type "${named.name}".`
          : `A field is not defined by type "${named.name}".`;
    }
  } else if (named && isEnumType(named)) {
    reason = `Expected one of the values of enum "${named.name}".`;
  } else if (named && isLeafType(named)) {
    // A scalar of this platform says why in its own words, which never quote the value.
    reason = cause instanceof DomainError ? `Expected type "${named.name}". ${cause.message}` : `Expected type "${named.name}".`;
  }
  return refusal(`Variable "$${variable}" got an invalid value${path.length > 0 ? ` at "${at}"` : ''}; ${reason}`, at);
}

/** The type at a path of a value of `type`; a value given where a list is expected stands for a list of one. */
function typeAt(type: GraphQLInputType, path: readonly (string | number)[]): GraphQLInputType | undefined {
  let current: GraphQLInputType = type;
  for (const key of path) {
    let t: GraphQLInputType = isNonNullType(current) ? current.ofType : current;
    if (typeof key === 'number') {
      if (!isListType(t)) return undefined;
      current = t.ofType;
      continue;
    }
    while (isListType(t)) t = isNonNullType(t.ofType) ? t.ofType.ofType : t.ofType;
    if (!isInputObjectType(t)) return undefined;
    const field = Object.values(t.getFields()).find((f) => f.name === key);
    if (!field) return undefined;
    current = field.type;
  }
  return current;
}
