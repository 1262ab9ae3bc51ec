import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CDK synth and DynamoDB Local share two cores: bounded parallelism keeps timings sane.
    maxWorkers: 2,
  },
});
