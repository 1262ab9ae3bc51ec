import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs two projects: the platform's tests (test/, against DynamoDB Local) and the web app's
 * unit and component tests (web/vitest.config.ts, in happy-dom).
 */
export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) copies. Node loads the CJS one for Apollo, so the
    // project's code must load the same copy, or `instanceof GraphQLError` fails across the two.
    // The Lambda bundle has one copy (esbuild resolves both through `module`).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    // CDK synth and DynamoDB Local share two cores: bounded parallelism keeps timings sane.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'platform',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      'web/vitest.config.ts',
    ],
  },
});
