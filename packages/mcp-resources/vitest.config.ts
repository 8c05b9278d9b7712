import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/mcp-resources',
);
