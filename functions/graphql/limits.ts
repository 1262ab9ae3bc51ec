import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type ASTVisitor,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getIntrospectionQuery,
  Kind,
  Lexer,
  parse,
  Source,
  specifiedRules,
  TokenKind,
  TypeInfo,
  ValidationContext,
  type ValidationRule,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { StageSettings } from '../shared/config.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../shared/cursor.js';

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
  /** graphql-armor's cost, with every page of a connection counted at the size it can be (see `withWorstCasePageSizes`). */
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
  cost: 22_000,
};

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

type CostOptions = NonNullable<Parameters<typeof costLimitRule>[0]>;

/**
 * graphql-armor multiplies a field's cost by `first` only when `first` is a literal; a variable
 * counts as 1 and an omitted `first` too. A validated document is cached and reused with any
 * variables, so the cost must hold for all of them: the document is costed as if every `first`
 * given by a variable were the cap (100) and every omitted one the default (20).
 */
function worstCaseCostRule(options: CostOptions): ValidationRule {
  return (context) => ({
    Document(document) {
      const schema = context.getSchema();
      const worst = withWorstCasePageSizes(document, schema);
      const inner = new ValidationContext(schema, worst, new TypeInfo(schema), (error) => context.reportError(error));
      visit(worst, costLimitRule(options)(inner) as unknown as ASTVisitor);
      return false;
    },
  });
}

/** The document with each page-size argument replaced by the largest page it can yield. */
export function withWorstCasePageSizes(document: DocumentNode, schema: GraphQLSchema): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const first = typeInfo.getFieldDef()?.args.find((a) => a.name === 'first');
        if (!first) return undefined;
        const given = node.arguments?.find((a) => a.name.value === 'first');
        if (given?.value.kind === Kind.INT) return undefined;
        const size = given ? MAX_PAGE_SIZE : typeof first.defaultValue === 'number' ? first.defaultValue : DEFAULT_PAGE_SIZE;
        return {
          ...node,
          arguments: [
            ...(node.arguments ?? []).filter((a) => a.name.value !== 'first'),
            { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: { kind: Kind.INT, value: String(size) } },
          ],
        };
      },
    }),
  );
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
