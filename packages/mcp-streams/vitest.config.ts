import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/mcp-streams',
  // Real servers, stdio children and the reference server: budgets for busy machines.
  { testTimeoutMs: 30_000 },
);
