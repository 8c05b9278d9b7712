import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

// Real servers, sockets and child processes: generous per-test budgets for busy machines.
export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/mcp-testing',
  {
    testTimeoutMs: 30_000,
  },
);
