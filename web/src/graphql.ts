/**
 * The app's only way to the API: the typed documents and types generated from client/operations
 * and web/src/**\/*.graphql (npm run codegen). Nothing here is written by hand.
 */
export * from '../../client/generated/graphql';
