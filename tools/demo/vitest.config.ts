import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

// The demo's test runs `node tools/demo/demo.mjs` against the built packages (the test
// target depends on ^build), so it lives next to the script rather than under src/.
export default definePackageTestConfig(
  fileURLToPath(new URL('.', import.meta.url)),
  '@tframex/demo',
  {
    testTimeoutMs: 120_000,
    test: { include: ['demo.test.ts', 'demo-*.test.ts'] },
  },
);
