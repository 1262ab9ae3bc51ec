import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) copies. Node loads the CJS one for Apollo, so the
    // project's code must load the same copy, or `instanceof GraphQLError` fails across the two.
    // The Lambda bundle has one copy (esbuild resolves both through `module`).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CDK synth and DynamoDB Local share two cores: bounded parallelism keeps timings sane.
    maxWorkers: 2,
  },
});
