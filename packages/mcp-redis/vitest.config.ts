import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/mcp-redis',
  // A real redis-server and child processes: generous budgets for busy machines.
  { testTimeoutMs: 60_000 },
);
