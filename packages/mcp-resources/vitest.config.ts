import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/mcp-resources',
  // Suites spawn real MCP servers, PostgreSQL, Redis and s3rver: slow on busy cores.
  { testTimeoutMs: 60_000 },
);
