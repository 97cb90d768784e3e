import { defineConfig } from 'vitest/config';

// The tests drive the built app as a real process over HTTP: build it once, run files one by one.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/build-app.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
