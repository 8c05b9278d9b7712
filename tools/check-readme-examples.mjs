#!/usr/bin/env node
// Type-checks every ```ts block of every package README against the package's sources, so
// documented examples cannot rot. A block opening with ```ts no-check is skipped (for
// fragments). Usage: node tools/check-readme-examples.mjs [package-dir...]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordCheck } from './lib/totals.mjs';
import { listPackages, root } from './lib/workspace.mjs';

const only = process.argv.slice(2);
let failures = 0;

for (const pkg of listPackages()) {
  if (only.length > 0 && !only.includes(pkg.dir)) continue;
  const readme = join(pkg.path, 'README.md');
  if (!existsSync(readme)) continue;
  const blocks = [...readFileSync(readme, 'utf8').matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```/gm)]
    .filter((match) => !match[1].includes('no-check'))
    .map((match) => match[2]);
  if (blocks.length === 0) continue;

  // Inside the package, so the package resolves itself by name (exports self-reference).
  const dir = join(pkg.path, 'test-output', 'readme-examples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((code, index) => {
    const file = `example-${index + 1}.ts`;
    writeFileSync(join(dir, file), `${code}\nexport {};\n`);
    return file;
  });
  const compilerOptions = {
    noEmit: true,
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2023'],
    types: ['node'],
    skipLibCheck: true,
    noUnusedLocals: false,
    customConditions: ['@tframex/source'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }, null, 2));
  const name = `${pkg.name} README examples type-check (${blocks.length})`;
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], {
      cwd: pkg.path,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    console.log(`  ok    ${name}`);
    recordCheck(name, true);
  } catch (error) {
    failures += 1;
    console.log(
      `  FAIL  ${name}\n${String(error.stdout || error.message).replace(/^/gm, '          ')}`,
    );
    recordCheck(name, false);
  }
}
process.exit(failures > 0 ? 1 : 0);
