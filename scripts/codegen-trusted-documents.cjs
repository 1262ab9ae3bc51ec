// A codegen plugin that writes the trusted manifest: for every operation of client/operations/ and
// web/src/, its text as written and its text as a normalizing client sends it (Apollo Client's cache
// and urql's Graphcache add __typename to every selection set below the operation's root), each under
// the sha256 of its normalized print. functions/graphql/trusted-documents.ts normalizes a request the
// same way, and test/graphql/trusted-documents.test.ts holds the two to agreeing.
const { createHash } = require('node:crypto');
const { Kind, visit } = require('graphql');
const { printExecutableGraphQLDocument } = require('@graphql-tools/documents');

const clientOnly = (node) => (node.directives?.some((d) => d.name.value === 'client') ? null : undefined);

function sanitized(document) {
  return visit(document, {
    [Kind.FIELD]: clientOnly,
    [Kind.FRAGMENT_SPREAD]: clientOnly,
    [Kind.INLINE_FRAGMENT]: clientOnly,
    [Kind.DIRECTIVE]: (directive) => (directive.name.value === 'connection' ? null : undefined),
  });
}

function withTypename(document) {
  return visit(document, {
    SelectionSet(node, _key, parent) {
      if (parent && !Array.isArray(parent) && parent.kind === Kind.OPERATION_DEFINITION) return undefined;
      if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias)) return undefined;
      return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
    },
  });
}

const idOf = (text) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

module.exports = {
  plugin(_schema, documents) {
    const manifest = {};
    for (const { document } of documents) {
      if (!document) continue;
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const operation = { kind: Kind.DOCUMENT, definitions: [definition] };
        for (const form of [sanitized(operation), withTypename(sanitized(operation))]) {
          const text = printExecutableGraphQLDocument(form);
          manifest[idOf(text)] = text;
        }
      }
    }
    const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
    return `${JSON.stringify(sorted, null, 2)}\n`;
  },
};
