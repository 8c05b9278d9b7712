import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

// Composes the packages from their sources; child processes load them through tsx. Each file
// starts several processes of its own: one file at a time, so they do not crowd each other.
export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/integration',
  { testTimeoutMs: 120_000, test: { include: ['*.test.ts'], fileParallelism: false } },
);
