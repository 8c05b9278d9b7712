import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

// Agent tests start real MCP servers (HTTP, stdio children): allow for busy cores.
export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/mcp-agents',
  { testTimeoutMs: 30_000 },
);
