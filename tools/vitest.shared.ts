// Shared vitest settings: every package tests its sources (through the `@tframex/source`
// export condition, so no build is needed first) and writes a JSON report that the
// workspace's test totals are summed from.
import { defineConfig, type ViteUserConfig } from 'vitest/config';

export const SOURCE_CONDITION = '@tframex/source';

export interface PackageTestOptions {
  /** Per-test timeout; integration suites that spawn servers raise it. */
  testTimeoutMs?: number;
  /** Files run once before the suite (vitest `setupFiles`). */
  setupFiles?: string[];
  /** Extra vitest options merged over the defaults. */
  test?: NonNullable<ViteUserConfig['test']>;
}

export function definePackageTestConfig(
  packageDir: string,
  name: string,
  options: PackageTestOptions = {},
): ViteUserConfig {
  return defineConfig({
    root: packageDir,
    cacheDir: `${packageDir}/../../node_modules/.vite/${name.replace('/', '__')}`,
    resolve: { conditions: [SOURCE_CONDITION, 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, 'node', 'import', 'default'] } },
    test: {
      name,
      watch: false,
      environment: 'node',
      include: ['{src,tests}/**/*.test.ts'],
      testTimeout: options.testTimeoutMs ?? 10_000,
      hookTimeout: Math.max(options.testTimeoutMs ?? 10_000, 30_000),
      setupFiles: options.setupFiles ?? [],
      reporters: ['default', ['json', { outputFile: 'test-output/vitest-report.json' }]],
      ...options.test,
    },
  });
}
