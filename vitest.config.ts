import { defineConfig } from 'vitest/config';

// `npm test` (scripts/test.mjs) starts the engines and sets the variables read here.
// Projects: `unit` (pure, beside the code); `integration:<engine>` runs test/integration on each
// engine present; `differential` compares our engine with DynamoDB Local; `e2e` runs the built
// binary against the embedded engine and `ddbctl serve`; `browser` drives `ddbctl ui` in Debian's
// chromium (test/browser; skipped, saying why, where /usr/bin/chromium is missing).
const engines: { name: string; endpoint?: string }[] = [{ name: 'embedded' }];
if (process.env.DDBCTL_TEST_DDBLOCAL)
  engines.push({ name: 'dynamodb-local', endpoint: process.env.DDBCTL_TEST_DDBLOCAL });
if (process.env.DDBCTL_TEST_ENDPOINT) {
  engines.push({
    name: process.env.DDBCTL_TEST_ENGINE_NAME ?? 'external',
    endpoint: process.env.DDBCTL_TEST_ENDPOINT,
  });
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'ui/src/**/*.test.ts'] } },
      ...engines.map((e) => ({
        extends: true as const,
        test: {
          name: `integration:${e.name}`,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/engine.ts'],
          env: {
            DDBCTL_TEST_ENGINE: e.name,
            ...(e.endpoint ? { DDBCTL_TEST_ENGINE_ENDPOINT: e.endpoint } : {}),
          },
        },
      })),
      // Our engine against DynamoDB Local, request by request (test/differential); the comparisons
      // say why they do not run when DynamoDB Local is absent, the fuzz test runs on our engine alone.
      {
        extends: true as const,
        test: {
          name: 'differential',
          include: ['test/differential/**/*.test.ts'],
          globalSetup: ['test/setup/differential.ts'],
        },
      },
      {
        extends: true as const,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/setup/build.ts'] },
      },
      // The built web app (dist/ui) served by the UI's server, in-process, on the embedded engine.
      {
        extends: true as const,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/setup/build.ts', 'test/setup/engine.ts'],
          env: { DDBCTL_TEST_ENGINE: 'embedded', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
        },
      },
    ],
  },
});
