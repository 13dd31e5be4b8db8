import { defineConfig } from 'vitest/config';

// Projects: `unit` (pure tests beside the code) always; the integration projects are added by
// test/engines.ts for each engine that scripts/test.mjs found or started.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
