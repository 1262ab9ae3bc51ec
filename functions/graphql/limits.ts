import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  Source,
  specifiedRules,
  TokenKind,
  type ValidationContext,
  type ValidationRule,
  validate,
} from 'graphql';
import type { StageSettings } from '../shared/config.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../shared/cursor.js';
import { listCaps, listTotals } from './generated/limits.js';

/** The bounds on one GraphQL document. docs/limits.md gives each value and where it comes from. */
export interface DocumentLimits {
  /** Nesting of fields (graphql-armor's max-depth). */
  readonly depth: number;
  /** Aliased fields (graphql-armor's max-aliases). */
  readonly aliases: number;
  /** Directives, known or not (graphql-armor's max-directives). */
  readonly directives: number;
  /** Lexical tokens, enforced by the parser itself (Apollo's `parseOptions.maxTokens`). */
  readonly tokens: number;
  /** Length of the `query` text: bounds what the token limit does not count (comments, whitespace, long strings). */
  readonly characters: number;
  /** The cost of a document, every list counted at the most it can hold (see `documentCost`). */
  readonly cost: number;
}

/**
 * About twice the largest value measured over the contract's operations (client/operations), so
 * that no real client is ever refused; test/graphql/abuse.test.ts proves every operation passes.
 * The contract uses no alias and no directive, so those two allow a few for a client's own use.
 */
export const productionLimits: DocumentLimits = {
  depth: 14,
  aliases: 10,
  directives: 10,
  tokens: 200,
  characters: 1_500,
  cost: 60_000,
};

/**
 * The largest response body the API sends, in bytes of UTF-8: 1 MiB, well under Lambda's 6 MB, and about twice the
 * largest answer a shipped document gets at every cap (docs/limits.md). A larger one is refused whole
 * (RESPONSE_TOO_LARGE), never cut.
 */
export const RESPONSE_MAX_BYTES = 1_048_576;

/** The refusal of a response body larger than RESPONSE_MAX_BYTES, or undefined. */
export function responseSizeRefusal(bytes: number): RequestRefusal | undefined {
  if (bytes <= RESPONSE_MAX_BYTES) return undefined;
  return {
    message: `The response is larger than ${RESPONSE_MAX_BYTES} bytes (found ${bytes}); ask for fewer fields, fewer aliases or a smaller page.`,
    code: 'RESPONSE_TOO_LARGE',
    extensions: { limit: 'responseBytes', maximum: RESPONSE_MAX_BYTES },
  };
}

/**
 * The limits of a stage. Where introspection is allowed (development stages), the IDE's schema
 * query must fit, so tokens and characters rise to twice the full introspection query's size.
 * Depth and cost do not need to: graphql-armor skips `__schema` for both.
 */
export function limitsFor(settings: StageSettings): DocumentLimits {
  if (!settings.introspection) return productionLimits;
  const introspection = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  });
  return {
    ...productionLimits,
    tokens: Math.max(productionLimits.tokens, 2 * countTokens(introspection)),
    characters: Math.max(productionLimits.characters, 2 * introspection.length),
  };
}

/** Tokens as graphql-js's parser counts them for `maxTokens` (comments are not tokens). */
export function countTokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

type Limit = 'depth' | 'aliases' | 'directives' | 'cost';

/**
 * graphql-armor's rules throw by default, which escapes graphql-js's `validate` and makes Apollo
 * answer 500. Reported instead, each becomes a validation error: HTTP 400, GRAPHQL_VALIDATION_FAILED,
 * with a message naming the limit and `extensions.limit`. Armor prefixes "Syntax Error: ", which
 * the document is not; that goes.
 */
function reportTo(limit: Limit, maximum: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    context?.reportError(new GraphQLError(message, { extensions: { limit, maximum } }));
  };
}

/** The validation rules that bound depth, aliases, directives and cost. */
export function limitRules(limits: DocumentLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.depth, propagateOnRejection: false, onReject: [reportTo('depth', limits.depth)] }),
    maxAliasesRule({ n: limits.aliases, propagateOnRejection: false, onReject: [reportTo('aliases', limits.aliases)] }),
    maxDirectivesRule({ n: limits.directives, propagateOnRejection: false, onReject: [reportTo('directives', limits.directives)] }),
    worstCaseCostRule({ maxCost: limits.cost, propagateOnRejection: false, onReject: [reportTo('cost', limits.cost)] }),
  ] as ValidationRule[];
}

interface CostOptions {
  readonly maxCost: number;
  readonly onAccept?: ((context: ValidationContext | null, details: { n: number }) => void)[];
  readonly onReject?: ((context: ValidationContext | null, error: GraphQLError) => void)[];
  /** Unused: a rejection is always reported, never thrown (kept for the same call shape as graphql-armor's rules). */
  readonly propagateOnRejection?: boolean;
}

/**
 * The cost of each operation of a document, every list counted at the most it can hold. A validated
 * document is cached and reused with any variables, so the cost must hold for all of them: a page
 * (a field taking `first`) counts as `first` when it is a literal, as the cap (100) when a variable
 * gives it and as the default (20) when it is omitted; every other list counts as its cap in
 * schema/limits.json (`lists`); the `edges` of a page as one, since the page counts them.
 */
function worstCaseCostRule(options: CostOptions): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context.getSchema(), operation, (name) => context.getFragment(name));
      if (cost > options.maxCost) {
        const error = new GraphQLError(`Query Cost limit of ${options.maxCost} exceeded, found ${cost}.`);
        for (const handler of options.onReject ?? []) handler(context, error);
      } else {
        for (const handler of options.onAccept ?? []) handler(context, { n: cost });
      }
      return false;
    },
  });
}

/** A list field not named in schema/limits.json (test/graphql/lists.test.ts allows none) counts as a full page. */
const UNLISTED_LIST = MAX_PAGE_SIZE;

/**
 * graphql-armor's measure, with lists counted by what they hold: a scalar field costs 1, an object field 2 plus 1.5
 * times the cost of each field under it, and a list field that many times its subtree as it can hold items.
 * Fragments count as their fields written in place; `__schema` and `__type` cost nothing (introspection is off in
 * production, and bounded by the depth limit where it is on); nor does `__typename`, which reads no data and which
 * normalizing clients add to every selection: a document costs the same as written and as Apollo or urql send it.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  /** The list field above, by coordinate, and how many items it answers: for a list whose items hold a total (`listTotals`). */
  interface Above {
    readonly coordinate: string;
    readonly items: number;
  }
  const selectionCost = (set: SelectionSetNode, parent: GraphQLNamedType, spreading: ReadonlySet<string>, above?: Above): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) cost += fieldCost(selection, parent, spreading, above);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? parent) : parent;
        cost += selectionCost(selection.selectionSet, type, spreading, above);
      } else {
        const name = selection.name.value;
        const definition = spreading.has(name) ? undefined : fragment(name);
        // A fragment that spreads itself is refused by validation; here it counts once.
        if (definition) {
          const type = schema.getType(definition.typeCondition.name.value) ?? parent;
          cost += selectionCost(definition.selectionSet, type, new Set([...spreading, name]), above);
        }
      }
    }
    return cost;
  };
  const fieldCost = (node: FieldNode, parent: GraphQLNamedType, spreading: ReadonlySet<string>, above?: Above): number => {
    const name = node.name.value;
    if (name === '__schema' || name === '__type' || name === '__typename') return 0;
    const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    const cap = def ? itemsOf(parent, def, node) : 1;
    // A list whose items over all items of the list above hold a total counts that total, spread over them.
    const total = above ? listTotals[`${above.coordinate}.${name}`] : undefined;
    const multiplier = total !== undefined && above ? Math.min(cap, total / above.items) : cap;
    if (!node.selectionSet) return multiplier;
    const type = def ? getNamedType(def.type) : parent;
    const here = { coordinate: `${parent.name}.${name}`, items: multiplier };
    return (2 + 1.5 * selectionCost(node.selectionSet, type, spreading, here)) * multiplier;
  };
  return selectionCost(operation.selectionSet, root, new Set());
}

/** How many items a field can answer: the size of its page, its list cap, or 1. */
function itemsOf(parent: GraphQLNamedType, def: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const first = def.args.find((a) => a.name === 'first');
  if (first) {
    const given = node.arguments?.find((a) => a.name.value === 'first');
    if (given?.value.kind === Kind.INT) return Math.max(1, Number.parseInt(given.value.value, 10));
    if (given) return MAX_PAGE_SIZE;
    return typeof first.defaultValue === 'number' ? first.defaultValue : DEFAULT_PAGE_SIZE;
  }
  if (!isListType(getNullableType(def.type))) return 1;
  if (isPageEdges(parent, def)) return 1;
  return listCaps[`${parent.name}.${def.name}`] ?? UNLISTED_LIST;
}

/** The `edges` of a connection type: as many as its page, which the field that answers the connection counts. */
export function isPageEdges(parent: GraphQLNamedType, def: GraphQLField<unknown, unknown>): boolean {
  return parent.name.endsWith('Connection') && def.name === 'edges';
}

/** What one document measures, by the same rules that enforce the limits; for the tests and docs/limits.md. */
export function measureDocument(schema: GraphQLSchema, text: string): Record<keyof DocumentLimits, number> {
  const found: Partial<Record<Limit, number>> = {};
  const record = (limit: Limit) => [
    (_: unknown, details: { n: number }) => {
      found[limit] = details.n;
    },
  ];
  const unbounded = Number.MAX_SAFE_INTEGER;
  const document = parse(text);
  const errors = validate(schema, document, [
    ...specifiedRules,
    maxDepthRule({ n: unbounded, onAccept: record('depth') }),
    maxAliasesRule({ n: unbounded, onAccept: record('aliases') }),
    maxDirectivesRule({ n: unbounded, onAccept: record('directives') }),
    worstCaseCostRule({ maxCost: unbounded, onAccept: record('cost') }),
  ] as ValidationRule[]);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  return {
    depth: found.depth ?? 0,
    aliases: found.aliases ?? 0,
    directives: found.directives ?? 0,
    cost: found.cost ?? 0,
    tokens: countTokens(text),
    characters: text.length,
  };
}

/**
 * The refusal of a `query` longer than the character limit, checked before anything parses it: the
 * token limit bounds the parser's work, but not comments, white space or one long string, which
 * it does not count.
 */
export function lengthRefusal(query: unknown, limits: DocumentLimits): RequestRefusal | undefined {
  if (typeof query !== 'string' || query.length <= limits.characters) return undefined;
  return {
    message: `Document length limit of ${limits.characters} characters exceeded, found ${query.length}.`,
    extensions: { limit: 'characters', maximum: limits.characters },
  };
}

/** Why a request is refused before Apollo parses it: answered as HTTP 400 with code BAD_REQUEST unless it says otherwise. */
export interface RequestRefusal {
  readonly message: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly status?: number;
  readonly code?: string;
}
