import { configDefaults, defineConfig } from 'vitest/config'

// One Vitest project per package; each package's tests live in its own test/ folder.
//
// Two files at a time: Vitest's default on a 2-core machine is one (cores - 1), and most files
// spend their time waiting on child processes, sockets and Chromium rather than on the CPU.
// The contention test makes the machine busy on purpose (two CPU hogs): it runs in a group of its
// own, after every other file, so that it hogs no other test's CPU.
const CONTENTION = 'test/contention.test.ts'

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'core',
          root: 'packages/core',
          include: ['test/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'storage',
          root: 'packages/storage',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'net',
          root: 'packages/net',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'hub',
          root: 'packages/hub',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cli',
          root: 'packages/cli',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, CONTENTION],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'cli-contention',
          root: 'packages/cli',
          include: [CONTENTION],
          environment: 'node',
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
      'apps/web/vite.config.ts',
    ],
  },
})
