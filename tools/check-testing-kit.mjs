#!/usr/bin/env node
// @tframex/mcp-testing as a user meets it: packed, installed into a scratch project outside
// the workspace beside the msw and vitest majors it supports, on the Node those need, and a
// user's test file run there (the TFrameX testing example, the msw handlers, the vitest
// helpers). Each combination is one workspace check.
// Run after `nx run-many -t build`. Usage: node tools/check-testing-kit.mjs [--only msw3]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { recordCheck } from './lib/totals.mjs';
import { listPackages } from './lib/workspace.mjs';
import { envWithNode, nodeBinDir } from './node-versions/index.mjs';

const COMBINATIONS = [
  { id: 'msw3', msw: '^3.0.0', vitest: '^5.0.0', nodeMajor: 26 },
  { id: 'msw2', msw: '^2.15.0', vitest: '^3.2.0', nodeMajor: undefined },
];
const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : undefined;

const USER_TEST = `import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { mcpHandlers } from '@tframex/mcp-testing/msw';
import { installMcpMatchers, useMockMCPServer } from '@tframex/mcp-testing/vitest';

installMcpMatchers();

it('runs the TFrameX testing example', async () => {
  const server = new MockMCPServer({ name: 'db' });
  server.addTool('database/query', ({ sql }) => [{ id: 1, name: 'Test', sql }]);
  server.addResource('filesystem/docs', { files: ['doc1.txt', 'doc2.txt'] });
  await server.start();
  const client = new MCPTestClient(server.url);
  try {
    const rows = await client.executeTool('database/query', { sql: 'SELECT * FROM users' });
    expect(rows[0].name).toBe('Test');
    expect(await client.getResource('filesystem/docs').list()).toContain('doc1.txt');
  } finally {
    await client.close();
    await server.stop();
  }
});

it('serves MCP at any URL through the msw handlers', async () => {
  const server = new MockMCPServer();
  server.addTool('echo', ({ text }) => \`echo: \${text}\`);
  const interceptor = setupServer(...mcpHandlers(server, { url: 'https://mcp.example.com/mcp' }));
  interceptor.listen({ onUnhandledRequest: 'error' });
  const client = new MCPTestClient('https://mcp.example.com/mcp');
  try {
    expect(await client.executeTool('echo', { text: 'hi' })).toBe('echo: hi');
  } finally {
    await client.close();
    interceptor.close();
    await server.stop();
  }
});

describe('vitest helpers', () => {
  const mcp = useMockMCPServer({ setup: (server) => server.addTool('search', () => []) });
  it('records the call for the matchers', async () => {
    const client = new MCPTestClient(mcp.url);
    await client.executeTool('search', { q: 'mcp' });
    await client.close();
    expect(mcp.server).toHaveCalledTool('search', { q: 'mcp' });
    expect(mcp.server).toHaveCalledToolTimes('search', 1);
  });
});
`;

const USER_TEST_COUNT = 3;

const run = (file, args, options = {}) =>
  execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

const packages = new Map(listPackages().map((pkg) => [pkg.name, pkg]));
const kit = packages.get('@tframex/mcp-testing');
const wanted = [
  kit.name,
  ...Object.keys(kit.manifest.peerDependencies).filter((d) => packages.has(d)),
];
const packDir = mkdtempSync(join(tmpdir(), 'tframex-kit-pack-'));
let failures = 0;
try {
  const tarballs = wanted.map((name) => {
    const out = run('pnpm', ['pack', '--pack-destination', packDir], {
      cwd: packages.get(name).path,
    });
    const file = out.trim().split('\n').pop().trim();
    return file.startsWith('/') ? file : join(packDir, file);
  });
  for (const combo of COMBINATIONS) {
    if (only && combo.id !== only) continue;
    const nodeLabel = combo.nodeMajor
      ? `Node ${combo.nodeMajor}`
      : `Node ${process.versions.node.split('.')[0]}`;
    const name = `@tframex/mcp-testing with msw ${combo.msw} and vitest ${combo.vitest} on ${nodeLabel}`;
    if (combo.nodeMajor && !nodeBinDir(combo.nodeMajor)) {
      console.log(`  skip  ${name}: no Node ${combo.nodeMajor} binary for this platform`);
      continue;
    }
    const env = combo.nodeMajor ? envWithNode(combo.nodeMajor) : process.env;
    const dir = mkdtempSync(join(tmpdir(), `tframex-kit-${combo.id}-`));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'kit-user', private: true, type: 'module' }),
      );
      writeFileSync(join(dir, 'kit.test.ts'), USER_TEST);
      const install = spawnSync(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          ...tarballs,
          `msw@${combo.msw}`,
          `vitest@${combo.vitest}`,
        ],
        { cwd: dir, env, encoding: 'utf8' },
      );
      const test =
        install.status === 0
          ? spawnSync(join(dir, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=dot'], {
              cwd: dir,
              env: { ...env, CI: '1' },
              encoding: 'utf8',
              timeout: 300_000,
            })
          : install;
      // Every test of the user's file ran and passed (a run that found no tests is a failure).
      const plain = stripVTControlCharacters(test.stdout ?? '');
      const passed = /Tests\s+(\d+) passed/.exec(plain)?.[1];
      const ok = test.status === 0 && Number(passed) === USER_TEST_COUNT;
      console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${name}${ok ? ` (${passed} tests)` : ''}`);
      if (!ok) console.log(`${test.stdout ?? ''}${test.stderr ?? ''}`.replace(/^/gm, '          '));
      recordCheck(name, ok);
      if (!ok) failures += 1;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
process.exit(failures > 0 ? 1 : 0);
