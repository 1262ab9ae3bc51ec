import { addTypenameToDocument } from '@apollo/client/utilities';
import { type DocumentNode, Kind, Lexer, print, Source, TokenKind } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as generated from './graphql';

/**
 * The app's documents go to production as Apollo Client sends them (with __typename, printed with
 * indentation), where docs/limits.md bounds every document: 200 tokens, 1,500 characters, 10 aliases,
 * 10 directives. A document over a bound would be a 400 for every user.
 */
const documents = Object.entries(generated).filter(
  ([name, value]) => name.endsWith('Document') && (value as DocumentNode)?.kind === Kind.DOCUMENT,
) as [string, DocumentNode][];

function tokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

describe('documents as Apollo Client sends them', () => {
  it('finds the generated documents', () => {
    expect(documents.length).toBeGreaterThan(20);
  });

  it.each(documents)('%s stays within the production limits', (_name, document) => {
    const sent = print(addTypenameToDocument(document));
    expect(sent.length).toBeLessThanOrEqual(1500);
    expect(tokens(sent)).toBeLessThanOrEqual(200);
    expect(sent.match(/\w+\s*:\s*\w+\s*[({]/g)?.length ?? 0).toBeLessThanOrEqual(10);
    expect(sent.match(/@\w+/g)?.length ?? 0).toBeLessThanOrEqual(10);
  });
});
