// Shared vitest settings: every package tests its sources (through the `@tframex/source`
// export condition, so no build is needed first) and writes a JSON report that the
// workspace's test totals are summed from. `examples/` holds the TFrameX examples of the
// package's section, in TypeScript: each `examples/<name>.ts` exports `main()`, which starts
// what it needs, runs the example against real servers, throws when the outcome is wrong and
// stops everything; `examples/examples.test.ts` runs each one, so `npm test` executes them.
import { defineConfig, type ViteUserConfig } from 'vitest/config';

export const SOURCE_CONDITION = '@tframex/source';

/**
 * The report file of this run. A Node leg of the suite (TFRAMEX_TEST_LEG=node26, ...) writes
 * its own report beside the main one, and the totals count every leg.
 */
function reportFile(): string {
  const leg = process.env['TFRAMEX_TEST_LEG'];
  return leg ? `test-output/vitest-report.${leg}.json` : 'test-output/vitest-report.json';
}

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
      include: ['{src,tests,examples}/**/*.test.ts'],
      testTimeout: options.testTimeoutMs ?? 10_000,
      hookTimeout: Math.max(options.testTimeoutMs ?? 10_000, 30_000),
      setupFiles: options.setupFiles ?? [],
      reporters: ['default', ['json', { outputFile: reportFile() }]],
      ...options.test,
    },
  });
}
