import { defineConfig } from 'vitest/config';

// One project per package, so each can have its own timeouts. Browser (e2e) tests need `pnpm build` first.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'domain', include: ['packages/domain/test/**/*.test.ts'] } },
      { test: { name: 'server', include: ['apps/server/test/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 30_000 } },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
