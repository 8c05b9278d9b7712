import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

// Composes the packages from their sources; consumer child processes load them through tsx.
export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/integration',
  { testTimeoutMs: 120_000, test: { include: ['*.test.ts'] } },
);
