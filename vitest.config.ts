import { defineConfig } from 'vitest/config';

/**
 * Unit tests: tests/unit/**\/*.test.ts, in Node. They run onnxruntime-node (a native addon) on
 * real graphs and exported models, so each test file gets its own child process (`forks`):
 * native addons and worker threads do not mix well, and a crash stays in one file.
 */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
